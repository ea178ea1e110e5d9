"""Small helpers shared by unit tests."""

from __future__ import annotations

from typing import Any

import newscrawl.settings


def project_settings(**overrides: Any) -> dict[str, Any]:
    """newscrawl's default settings (as ``scrapy crawl`` would load them), plus overrides."""
    defaults = {k: v for k, v in vars(newscrawl.settings).items() if k.isupper()}
    # unit tests hand their spider class to get_crawler: no spider loading
    defaults.pop("SPIDER_LOADER_CLASS")
    defaults["SPIDER_MODULES"] = []
    return {**defaults, **overrides}
