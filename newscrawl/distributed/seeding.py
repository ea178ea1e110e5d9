"""The start of a distributed crawl: the first worker seeds, the others join."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

from scrapy.crawler import Crawler

from newscrawl.distributed.scheduler import RedisScheduler
from newscrawl.storage.faults import StoreFailed
from newscrawl.storeext import StoreExtension

WAIT_SECONDS = 0.5
"""How often a worker looks whether the seeding worker is done (or gone)."""


class SeedOnce:
    """Spider middleware: the spider's ``start()`` (pending requests, feeds, sitemaps,
    sections) runs in the worker that joins first; the others start with nothing and take
    requests from the shared queue once it is seeded. If the seeding worker dies, its marker
    expires and a waiting worker seeds again (the dupefilter drops what was queued already)."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SeedOnce:
        return cls(crawler)

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        engine = self.crawler.engine
        scheduler = engine.scheduler if engine is not None else None
        if not isinstance(scheduler, RedisScheduler):  # not a distributed crawl
            async for item in start:
                yield item
            return
        while (role := scheduler.join()) == "wait":
            await asyncio.sleep(WAIT_SECONDS)
        store = self.crawler.get_extension(StoreExtension)
        if role is not None and store is not None and not store.failed:
            with contextlib.suppress(StoreFailed):  # logged, the crawl stopped: no traceback
                await store.join_crawl(scheduler.crawl_id)
        if role != "seed":
            return
        async for item in start:
            yield item
        scheduler.seeded()
