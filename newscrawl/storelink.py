"""The crawl's one connection to the store, on one writer thread.

The pipeline writes articles through it and the spider asks it what is already stored,
without blocking Scrapy's event loop on database I/O.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, TypeVar

from scrapy.crawler import Crawler

if TYPE_CHECKING:
    from newscrawl.storage import Store

T = TypeVar("T")


class StoreLink:
    """Runs every store call on a dedicated thread; ``await link.call(Store.method, ...)``."""

    def __init__(self, url: str):
        self.url = url
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newscrawl-store")
        self._store: Store | None = None
        self.run_id: int | None = None

    @classmethod
    def for_crawler(cls, crawler: Crawler) -> StoreLink:
        """The crawler's shared link, created on first use from ``NEWSCRAWL_STORE``."""
        link = getattr(crawler, "_newscrawl_store_link", None)
        if link is None:
            link = cls(crawler.settings.get("NEWSCRAWL_STORE"))
            crawler._newscrawl_store_link = link  # type: ignore[attr-defined]
        return link

    def _on_thread(self, fn: Callable[..., T], args: tuple[Any, ...]) -> T:
        if self._store is None:
            from newscrawl.storage import open_store  # the backend loads only when used

            self._store = open_store(self.url)
        return fn(self._store, *args)

    async def call(self, fn: Callable[..., T], *args: Any) -> T:
        """Run ``fn(store, *args)`` on the store thread (opening the store on first use)."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._on_thread, fn, args)

    def close(self) -> None:
        """Close the store and stop its thread (waits for queued writes)."""
        def _close() -> None:
            if self._store is not None:
                self._store.close()
                self._store = None
        self._executor.submit(_close).result()
        self._executor.shutdown(wait=True)
