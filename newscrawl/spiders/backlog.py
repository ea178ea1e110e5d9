"""Article URLs found but not requested yet, handed to Scrapy's scheduler as it drains.

A feed of 200,000 items or a sitemap index of a thousand sitemaps would otherwise put every
article request in the scheduler at once (a few KB each) before the first one is answered;
a crawl stopping at ``--max-articles 20`` would still have built them all. Here the
scheduler holds at most ``NEWSCRAWL_DISCOVERY_QUEUE`` requests; the rest wait as URLs
(about a tenth of the memory) and become requests as answers come in.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider

logger = logging.getLogger(__name__)
MakeRequests = Callable[[list[str]], Awaitable[list[Request]]]


class ArticleBacklog:
    """URLs waiting to become requests (oldest first) while the scheduler is full."""

    def __init__(self, make: MakeRequests, queue_limit: int):
        self._urls: deque[str] = deque()
        self._make = make
        self.limit = max(1, queue_limit)
        self.crawler: Crawler | None = None
        self._refill: asyncio.Future[None] | None = None

    def connect(self, crawler: Crawler) -> None:
        """Top up the scheduler after each response, and keep the spider open while URLs wait."""
        self.crawler = crawler
        crawler.signals.connect(self.top_up, signal=signals.response_received)
        crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)

    def __len__(self) -> int:
        return len(self._urls)

    def add(self, urls: Iterable[str]) -> None:
        self._urls.extend(urls)

    def clear(self) -> None:
        """Forget every waiting URL (the crawl has all the articles it wants)."""
        self._urls.clear()

    def room(self) -> int:
        """How many more requests the scheduler may hold now."""
        try:
            engine = self.crawler.engine if self.crawler is not None else None
        except RuntimeError:  # not crawling (yet): nothing is queued
            engine = None
        scheduler = engine.scheduler if engine is not None else None
        queued = len(scheduler) if scheduler is not None and hasattr(scheduler, "__len__") else 0
        return max(0, self.limit - queued)

    async def take(self, count: int) -> list[Request]:
        """Up to ``count`` requests made from the oldest waiting URLs (URLs that make no
        request, known or out of bounds, are dropped on the way)."""
        made: list[Request] = []
        while self._urls and len(made) < count:
            chunk = [self._urls.popleft() for _ in range(min(count - len(made), len(self._urls)))]
            made += await self._make(chunk)
        return made

    def top_up(self, **_: Any) -> None:
        """Schedule requests from the waiting URLs while the scheduler has room."""
        if self._urls and self._refill is None and self.room() > 0:
            self._refill = asyncio.ensure_future(self._push())

    async def _push(self) -> None:
        try:
            requests = await self.take(self.room())
            engine = self.crawler.engine if self.crawler is not None else None
            if engine is not None and engine.spider is not None:  # not closed meanwhile
                for request in requests:
                    engine.crawl(request)
        except Exception:  # e.g. the store lookup of stored articles failed: try again later
            logger.exception("could not schedule waiting article URLs (%d left)", len(self._urls))
        finally:
            self._refill = None

    def spider_idle(self, **_: Any) -> None:
        """Nothing left to download: schedule waiting URLs, and do not close meanwhile."""
        if self._urls or self._refill is not None:
            self.top_up()
            raise DontCloseSpider
