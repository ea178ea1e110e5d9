"""Scrapy's feed exporter, but a feed that cannot be written mid-crawl (disk full, a device
that refuses writes) is one error line and stops the crawl with ``feed_failed`` (exit 1),
instead of a traceback per article and exit status 0.

Nothing is lost: the articles are in the store (``newscrawl export`` writes them); the
stats count the articles the file lacks (``newscrawl/feed/unwritten``) and name the error
(``newscrawl/feed/error``). A file that cannot be opened at all is refused before the crawl
starts (``newscrawl.inputs.check_output``).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from scrapy import Spider
from scrapy.extensions.feedexport import FeedExporter

logger = logging.getLogger(__name__)

FEED_FAILED = "feed_failed"


class GuardedFeedExporter(FeedExporter):
    """Replaces ``scrapy.extensions.feedexport.FeedExporter`` (``EXTENSIONS``)."""

    def item_scraped(self, item: Any, spider: Spider) -> None:
        try:
            super().item_scraped(item, spider)
        except OSError as exc:
            self._failed(exc)

    def _failed(self, error: OSError) -> None:
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value("newscrawl/feed/unwritten")
        if stats.get_value("newscrawl/feed/error"):
            return
        reason = error.strerror or str(error)
        stats.set_value("newscrawl/feed/error", reason)
        logger.error("JSON lines %s: cannot write (%s); stopping the crawl (the articles are in "
                     "the store: newscrawl export writes them)", ", ".join(map(str, self.feeds)), reason)
        engine = self.crawler.engine
        if engine is not None and engine.spider is not None:  # not awaited here: it waits for us
            self._closing = asyncio.ensure_future(engine.close_spider_async(reason=FEED_FAILED))
