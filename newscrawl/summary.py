"""The end-of-crawl summary: articles found, stored, dropped (by reason), errors, elapsed."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


def _prefixed(stats: Mapping[str, Any], prefix: str) -> dict[str, int]:
    return {k.removeprefix(prefix): int(v) for k, v in sorted(stats.items())
            if k.startswith(prefix) and isinstance(v, int)}


def format_summary(site: str, stats: Mapping[str, Any]) -> str:
    """A short, human-readable account of one crawl, from its Scrapy stats."""
    get = stats.get
    store = _prefixed(stats, "newscrawl/store/")
    dropped = _prefixed(stats, "newscrawl/dropped/")
    errors = _prefixed(stats, "downloader/exception_type_count/")
    lines = [
        f"newscrawl summary for {site} ({get('finish_reason', 'unknown')}):",
        f"  listing pages  {get('newscrawl/listing_pages', 0)}",
        f"  articles found {get('newscrawl/articles/discovered', 0)}"
        f" (parsed {get('newscrawl/articles/parsed', 0)},"
        f" skipped by --since {get('newscrawl/articles/skipped_since', 0)})",
        f"  stored         {store.get('new', 0)} new, {store.get('revision', 0)} revised,"
        f" {store.get('unchanged', 0)} unchanged,"
        f" {store.get('duplicate', 0) + store.get('near_duplicate', 0)} duplicates",
        "  dropped        " + (", ".join(f"{k} {v}" for k, v in dropped.items()) or "0"),
        "  errors         " + (", ".join(f"{k.rsplit('.', 1)[-1]} {v}" for k, v in errors.items())
                               or "0")
        + (f"; {get('spider_exceptions/count', 0)} in callbacks"
           if get("spider_exceptions/count") else ""),
        f"  elapsed        {float(get('elapsed_time_seconds', 0.0)):.1f} s",
    ]
    return "\n".join(lines)


class RunSummary:
    """Logs ``format_summary`` when the spider closes (after the stats are final)."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.text = ""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunSummary:
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_closed(self, spider: Any, reason: str) -> None:
        stats = dict(self.crawler.stats.get_stats()) if self.crawler.stats else {}
        stats.setdefault("finish_reason", reason)
        site = getattr(getattr(spider, "site", None), "name", spider.name)
        self.text = format_summary(site, stats)
        logger.info("%s", self.text)
