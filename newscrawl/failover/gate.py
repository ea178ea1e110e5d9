"""The second look of failover, right before a request is downloaded.

``FailoverMiddleware`` (priority 50) moves requests off open domains before robots.txt
(100) holds them; a request held while its domain's robots.txt was fetched may find the
domain opened meanwhile. ``FailoverGate`` (150) moves such a request, then counts it and
arms its hedge with the latest hedge delay.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from newscrawl.failover.middleware import FailoverMiddleware


class FailoverGate:
    """Downloader middleware working for the crawl's ``FailoverMiddleware``."""

    def __init__(self, failover: FailoverMiddleware):
        self.failover = failover

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FailoverGate:
        failover = getattr(crawler, "_newscrawl_failover", None)
        if failover is None:
            raise NotConfigured("FailoverMiddleware is not enabled")
        return cls(failover)

    async def process_request(self, request: Request) -> Request | None:
        if not self.failover.handles(request) or not self.failover.site or \
                not self.failover.site.owns(request.url):
            return None
        moved = await self.failover.reroute(request, only_if_open=True)
        if moved is None:
            self.failover.dispatch(request)
        return moved
