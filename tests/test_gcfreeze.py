"""FreezeStartupObjects: startup objects frozen while the spider runs, given back at the end."""

from __future__ import annotations

import gc

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from newscrawl.gcfreeze import FreezeStartupObjects


def test_objects_are_frozen_while_the_spider_runs_and_given_back_when_the_engine_stops() -> None:
    extension = FreezeStartupObjects.from_crawler(get_crawler(settings_dict={"NEWSCRAWL_GC_FREEZE": True}))
    startup = [["made before the crawl"]]  # a container the collector tracks
    assert gc.get_freeze_count() == 0
    try:
        extension.spider_opened()
        assert gc.get_freeze_count() > 1000  # the test process's modules and objects
        assert not any(o is startup for o in gc.get_objects())  # walked by no collection
    finally:
        extension.engine_stopped()
    assert gc.get_freeze_count() == 0
    assert any(o is startup for o in gc.get_objects())


def test_off_by_setting() -> None:
    with pytest.raises(NotConfigured):
        FreezeStartupObjects.from_crawler(get_crawler(settings_dict={"NEWSCRAWL_GC_FREEZE": False}))
