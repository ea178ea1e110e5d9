"""Scrapy's response counters, counting a winning hedge's answer once.

A hedge sent through the engine comes back through the downloader middlewares and the
engine's ``response_received`` signal as the mirror's answer; the hedging handler then hands
the same response to the first request, and it passes both again (the first request's own
transfer was cancelled: no second response came). Scrapy's ``DownloaderStats`` and
``CoreStats`` counted it twice (``downloader/response_count``, ``.../response_status_count/``,
``.../response_bytes``, ``response_received_count``). These subclasses skip the second pass:
the first request then carries ``meta["failover_hedge_passed"]``, as the WARC writer reads it.
"""

from __future__ import annotations

from typing import Any

from scrapy import Request, Spider
from scrapy.downloadermiddlewares.stats import DownloaderStats
from scrapy.extensions.corestats import CoreStats
from scrapy.http import Response

from newscrawl.failover.meta import HEDGE_PASSED


class HedgeDownloaderStats(DownloaderStats):
    """``DownloaderStats`` (replaces it at 850), the second pass of a hedge's answer not counted."""

    def process_response(self, request: Request, response: Response, spider: Spider | None = None
                         ) -> Request | Response:
        if request.meta.get(HEDGE_PASSED):
            return response
        return super().process_response(request, response)


class HedgeCoreStats(CoreStats):
    """``CoreStats`` (replaces it), ``response_received_count`` once per winning hedge's answer."""

    def response_received(self, spider: Spider, request: Any = None) -> None:
        if request is not None and request.meta.get(HEDGE_PASSED):
            return
        super().response_received(spider)
