"""Optional components that are off by default stay silent: Scrapy logs a WARNING for every
component whose NotConfigured carries a reason, which would fill a quiet (-q) crawl's log."""

from __future__ import annotations

from typing import Any

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from newscrawl.progress import ProgressLine
from newscrawl.quietlog import QuietScrapyLog
from newscrawl.warc import WarcWriterMiddleware
from tests.helpers import project_settings


@pytest.mark.parametrize(("component", "off"), [
    (WarcWriterMiddleware, {"NEWSCRAWL_WARC_DIR": ""}),
    (ProgressLine, {"NEWSCRAWL_PROGRESS": False}),
    (QuietScrapyLog, {"NEWSCRAWL_QUIET_SCRAPY_LOG": False}),
])
def test_an_optional_component_turned_off_is_disabled_without_a_warning(
        component: Any, off: dict[str, Any]) -> None:
    crawler = get_crawler(settings_dict=project_settings(**off))
    with pytest.raises(NotConfigured) as disabled:
        component.from_crawler(crawler)
    assert disabled.value.args == ()
