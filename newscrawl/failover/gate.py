"""The second look of failover, right before a request is downloaded.

``FailoverMiddleware`` (priority 50) moves requests off open domains before robots.txt
(100) holds them; a request held while its domain's robots.txt was fetched may find the
domain opened meanwhile. ``FailoverGate`` (150) moves such a request, then counts it and
arms its hedge with the latest hedge delay.
"""

from __future__ import annotations

from scrapy import Request, signals
from scrapy.crawler import Crawler

from newscrawl.failover.middleware import FailoverMiddleware


class FailoverGate:
    """Downloader middleware working for the crawl's ``FailoverMiddleware``."""

    def __init__(self, failover: FailoverMiddleware | None = None, crawler: Crawler | None = None):
        self.failover = failover  # from_crawler: found when the spider opens
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FailoverGate:
        gate = cls(crawler=crawler)
        crawler.signals.connect(gate.spider_opened, signal=signals.spider_opened)
        return gate

    def spider_opened(self) -> None:
        """The crawl's failover middleware (none: the gate lets every request pass)."""
        if self.crawler is not None:
            self.failover = self.crawler.get_downloader_middleware(FailoverMiddleware)

    async def process_request(self, request: Request) -> Request | None:
        failover = self.failover
        if failover is None or not failover.handles(request) or not failover.site or \
                not failover.site.owns(request.url):
            return None
        moved = await failover.reroute(request, only_if_open=True)
        if moved is None:
            failover.dispatch(request)
        return moved
