"""The storage pipeline: batched writes to the store, and what happens when the store fails.

The store itself, the run and the spool belong to the store extension (``newscrawl.storeext``).
Transient faults are retried on the store thread (``StoreLink``). When the store is gone
(``StoreFailed``), nothing is lost: the unwritten articles still go on to the JSON lines feed,
are appended to a spool file the next run imports (``newscrawl/store/spooled``), the crawl
stops (close reason ``store_failed``) and its run row ends as ``failed``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.statscollectors import StatsCollector

from newscrawl.storage.faults import StoreFailed
from newscrawl.storeext import STORE_FAILED, StoreExtension

logger = logging.getLogger(__name__)
__all__ = ["KEPT", "STORE_FAILED", "StoragePipeline"]
KEPT = ("spooled", "unspooled")
"""Outcomes of articles the store did not take: passed on to the feed all the same."""


class StoragePipeline:
    """Writes articles to the store in batched transactions (``NEWSCRAWL_STORE_BATCH``
    items, or whatever arrived within ``NEWSCRAWL_STORE_FLUSH_SECONDS``). An item waits for
    its batch: duplicates of stored articles are then dropped, not exported."""

    def __init__(self, crawler: Crawler, store: StoreExtension, batch: int, flush_seconds: float):
        self.crawler = crawler
        self.store = store
        self.batch_size = max(1, batch)
        self.flush_seconds = flush_seconds
        self._batch: list[tuple[dict[str, Any], asyncio.Future[str]]] = []
        self._timer: asyncio.TimerHandle | None = None
        self._flushing: set[asyncio.Task[None]] = set()
        self._saved_urls: set[str] = set()  # this run's articles: a second copy is dropped
        self.near_similarity = crawler.settings.getfloat("NEWSCRAWL_DEDUP_NEAR_SIMILARITY", 0.5)

    @property
    def stats(self) -> StatsCollector | None:
        return self.crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StoragePipeline:
        settings = crawler.settings
        store = crawler.get_extension(StoreExtension)
        if store is None:  # NEWSCRAWL_STORE_ENABLED off, or the extension not in EXTENSIONS
            raise NotConfigured("no store extension (NEWSCRAWL_STORE_ENABLED is off)")
        return cls(crawler, store, settings.getint("NEWSCRAWL_STORE_BATCH"),
                   settings.getfloat("NEWSCRAWL_STORE_FLUSH_SECONDS"))

    async def process_item(self, item: Any) -> Any:
        url = str(ItemAdapter(item).get("url"))
        if url in self._saved_urls:  # e.g. fetched again after a resumed job
            raise DropItem(f"already saved in this run: {url}", log_level="DEBUG")
        self._saved_urls.add(url)
        future: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        record = ItemAdapter(item).asdict()  # with its article_key (set by extraction)
        self._batch.append((record, future))
        if len(self._batch) >= self.batch_size:
            self._start_flush()
        elif self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(self.flush_seconds, self._start_flush)
        outcome = await future
        assert self.stats is not None
        self.stats.inc_value(f"newscrawl/store/{outcome}")
        if outcome in ("duplicate", "near_duplicate"):
            raise DropItem(f"{outcome} of a stored article: {ItemAdapter(item).get('url')}",
                           log_level="DEBUG")
        return item  # stored, or kept (spooled) when the store failed: in the feed either way

    @staticmethod
    def _save(store: Any, run_id: int | None, articles: list[dict[str, Any]],
              near_similarity: float | None = None) -> list[str]:
        if near_similarity is not None:
            store.near_similarity = near_similarity
        return list(store.save_articles(run_id, articles))

    def _start_flush(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        batch, self._batch = self._batch, []
        if batch:
            task = asyncio.ensure_future(self._write(batch))
            self._flushing.add(task)
            task.add_done_callback(self._flushing.discard)

    async def _write(self, batch: list[tuple[dict[str, Any], asyncio.Future[str]]]) -> None:
        records = [record for record, _ in batch]
        try:
            outcomes = await self._outcomes(records)
        except Exception as exc:  # unforeseen: no item may wait forever, none may be lost
            logger.exception("store write of %d articles failed unexpectedly", len(records))
            self.store.give_up(f"unexpected {type(exc).__name__}: {exc}")
            outcomes = [self._keep(records)] * len(records)
        for (_, future), outcome in zip(batch, outcomes, strict=True):
            if not future.done():
                future.set_result(str(outcome))

    async def _outcomes(self, records: list[dict[str, Any]]) -> list[str]:
        try:
            outcomes = await self.store.call(self._save, self.store.run_id, records, self.near_similarity)
        except StoreFailed:  # the store extension stops the crawl
            self.store.mark_failed()
            return [self._keep(records)] * len(records)
        if len(outcomes) != len(records):
            raise ValueError(f"the store answered {len(outcomes)} outcomes for {len(records)} articles")
        with contextlib.suppress(StoreFailed):  # stored; still pending, the next run resolves it
            await self.store.resolve([r["url"] for r in records])  # fetched at last
        return outcomes

    def _keep(self, records: list[dict[str, Any]]) -> str:
        """Spool articles the store did not take: ``spooled``, or ``unspooled`` when the
        spool cannot be written either (they are then in the JSON lines feed only)."""
        try:
            spool = self.store.spool_for_run()
            spool.add(records)
        except Exception as exc:  # OSError mostly: a full disk is why the store failed, often
            logger.error("%d articles neither stored nor spooled (%s); they are in the JSON lines only",
                         len(records), getattr(exc, "strerror", None) or exc)
            return "unspooled"
        return "spooled"

    async def close_spider(self) -> None:
        self._start_flush()
        if self._flushing:
            await asyncio.gather(*self._flushing, return_exceptions=True)
