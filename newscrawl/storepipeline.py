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
from collections import OrderedDict
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.statscollectors import StatsCollector

from newscrawl.dedup.content import BodyPrint
from newscrawl.storage.faults import StoreFailed
from newscrawl.storeext import STORE_FAILED, StoreExtension

logger = logging.getLogger(__name__)
__all__ = ["KEPT", "STORE_FAILED", "StoragePipeline"]
KEPT = ("spooled", "unspooled")
"""Outcomes of articles the store did not take: passed on to the feed all the same."""


def _plain(value: Any) -> Any:
    """``value`` as plain data, like ``ItemAdapter.asdict`` but without asking each string and
    number whether it is an item (a tenth of a millisecond per article)."""
    if value is None or isinstance(value, str | int | float):
        return value
    if isinstance(value, dict):
        return {key: _plain(inner) for key, inner in value.items()}
    if isinstance(value, list | tuple | set):
        return value.__class__(_plain(inner) for inner in value)
    return ItemAdapter(value).asdict() if ItemAdapter.is_item(value) else value


class BodyPrints:
    """Bodies' fingerprints computed where they were extracted (``ExtractionPool``), until
    their article reaches the store: the store thread then need not compute them, holding
    the interpreter's lock the crawl runs on. Found by body text, so a body changed on the
    way (normalisation) finds none and is fingerprinted as it is stored; at most ``size``
    held (those of articles dropped on the way go, oldest first)."""

    def __init__(self, size: int = 256):
        self.size = size
        self._prints: OrderedDict[str, BodyPrint] = OrderedDict()

    def add(self, found: BodyPrint) -> None:
        self._prints[found.body] = found
        if len(self._prints) > self.size:
            self._prints.popitem(last=False)

    def take(self, body: Any) -> BodyPrint | None:
        return self._prints.pop(body, None) if isinstance(body, str) else None


class StoragePipeline:
    """Writes articles to the store in batched transactions (``NEWSCRAWL_STORE_BATCH``
    items, or whatever arrived within ``NEWSCRAWL_STORE_FLUSH_SECONDS``). An item waits for
    its batch: duplicates of stored articles are then dropped, not exported."""

    def __init__(self, crawler: Crawler, store: StoreExtension, batch: int, flush_seconds: float):
        self.crawler = crawler
        self.store = store
        self.batch_size = max(1, batch)
        self.flush_seconds = flush_seconds
        self._batch: list[tuple[dict[str, Any], BodyPrint | None, asyncio.Future[str]]] = []
        self.prints = BodyPrints()  # the spider adds those its extraction workers computed
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
        adapter = ItemAdapter(item)
        url = str(adapter.get("url"))
        if url in self._saved_urls:  # e.g. fetched again after a resumed job
            raise DropItem(f"already saved in this run: {url}", log_level="DEBUG")
        self._saved_urls.add(url)
        future: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        record = {name: _plain(value) for name, value in adapter.items()}  # article_key included
        self._batch.append((record, self.prints.take(record.get("body")), future))
        if len(self._batch) >= self.batch_size:
            self._start_flush()
        elif self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(self.flush_seconds, self._start_flush)
        outcome = await future
        assert self.stats is not None
        self.stats.inc_value(f"newscrawl/store/{outcome}")
        if outcome in ("duplicate", "near_duplicate"):
            raise DropItem(f"{outcome} of a stored article: {url}",
                           log_level="DEBUG")
        return item  # stored, or kept (spooled) when the store failed: in the feed either way

    @staticmethod
    def _save(store: Any, run_id: int | None, articles: list[dict[str, Any]],
              near_similarity: float | None = None,
              prints: list[BodyPrint | None] | None = None) -> list[str]:
        if near_similarity is not None:
            store.near_similarity = near_similarity
        return list(store.save_articles(run_id, articles, prints or ()))

    def _start_flush(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        batch, self._batch = self._batch, []
        if batch:
            task = asyncio.ensure_future(self._write(batch))
            self._flushing.add(task)
            task.add_done_callback(self._flushing.discard)

    async def _write(self, batch: list[tuple[dict[str, Any], BodyPrint | None, asyncio.Future[str]]]) -> None:
        records = [record for record, _, _ in batch]
        try:
            outcomes = await self._outcomes(records, [found for _, found, _ in batch])
        except Exception as exc:  # unforeseen: no item may wait forever, none may be lost
            logger.exception("store write of %d articles failed unexpectedly", len(records))
            self.store.give_up(f"unexpected {type(exc).__name__}: {exc}")
            outcomes = [self._keep(records)] * len(records)
        for (_, _, future), outcome in zip(batch, outcomes, strict=True):
            if not future.done():
                future.set_result(str(outcome))

    async def _outcomes(self, records: list[dict[str, Any]], prints: list[BodyPrint | None]) -> list[str]:
        try:
            outcomes = await self.store.call(self._save, self.store.run_id, records, self.near_similarity,
                                             prints)
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
