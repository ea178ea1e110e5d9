"""The storage pipeline: batched writes to the store, and what happens when the store fails.

Transient faults are retried on the store thread (``StoreLink``). When the store is gone
(``StoreFailed``), nothing is lost: the unwritten articles still go on to the JSON lines feed,
are appended to a spool file the next run imports (``newscrawl/store/spooled``), the crawl
stops (close reason ``store_failed``) and its run row ends as ``failed``.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.statscollectors import StatsCollector

from newscrawl.sites.model import Site
from newscrawl.storage.articles import ARTICLE_KEY
from newscrawl.storage.faults import StoreFailed
from newscrawl.storage.spool import Spool, import_spools
from newscrawl.storelink import StoreLink

logger = logging.getLogger(__name__)

STORE_FAILED = "store_failed"
"""The close reason of a crawl stopped because its store failed."""
KEPT = ("spooled", "unspooled")
"""Outcomes of articles the store did not take: passed on to the feed all the same."""


class StoragePipeline:
    """Writes articles to the store in batched transactions (``NEWSCRAWL_STORE_BATCH``
    items, or whatever arrived within ``NEWSCRAWL_STORE_FLUSH_SECONDS``). An item waits for
    its batch: duplicates of stored articles are then dropped, not exported."""

    def __init__(self, crawler: Crawler, batch: int, flush_seconds: float, spool_dir: str = "output/spool",
                 stale_run_hours: float = 48.0):
        self.crawler = crawler
        self.link = StoreLink.for_crawler(crawler)
        self.batch_size = max(1, batch)
        self.flush_seconds = flush_seconds
        self.spool_dir = spool_dir
        self.stale_run_hours = stale_run_hours
        self.site = ""
        self.spool: Spool | None = None
        self._batch: list[tuple[dict[str, Any], asyncio.Future[str]]] = []
        self._timer: asyncio.TimerHandle | None = None
        self._flushing: set[asyncio.Task[None]] = set()
        self._closing: set[asyncio.Task[None]] = set()
        self._stopping = False
        self._saved_urls: set[str] = set()  # this run's articles: a second copy is dropped
        self.near_similarity = crawler.settings.getfloat("NEWSCRAWL_DEDUP_NEAR_SIMILARITY", 0.5)

    @property
    def stats(self) -> StatsCollector | None:
        return self.crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StoragePipeline:
        settings = crawler.settings
        if not settings.getbool("NEWSCRAWL_STORE_ENABLED"):
            raise NotConfigured("NEWSCRAWL_STORE_ENABLED is off")
        pipeline = cls(crawler, settings.getint("NEWSCRAWL_STORE_BATCH"),
                       settings.getfloat("NEWSCRAWL_STORE_FLUSH_SECONDS"),
                       settings.get("NEWSCRAWL_STORE_SPOOL_DIR"),
                       settings.getfloat("NEWSCRAWL_STORE_STALE_RUN_HOURS"))
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        pipeline.link.on_failure.append(pipeline._stop_crawl)
        return pipeline

    async def open_spider(self) -> None:
        """Import what earlier runs spooled, then begin this run's row."""
        spider = self.crawler.spider
        self.site = getattr(getattr(spider, "site", None), "name", getattr(spider, "name", ""))
        imported = await self.link.call(import_spools, self.spool_dir, self.site, self.link.url)
        if imported and self.stats is not None:
            self.stats.set_value("newscrawl/store/imported", sum(count for _, count in imported))
        settings = {k: v for k, v in self.crawler.settings.copy_to_dict().items()
                    if k.startswith("NEWSCRAWL_")}
        site, hours = self.site, self.stale_run_hours
        self.link.run_id = await self.link.call(lambda store: int(store.begin_run(site, settings, hours)))

    async def process_item(self, item: Any) -> Any:
        url = str(ItemAdapter(item).get("url"))
        if url in self._saved_urls:  # e.g. fetched again after a resumed job
            raise DropItem(f"already saved in this run: {url}", log_level="DEBUG")
        self._saved_urls.add(url)
        future: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        record = ItemAdapter(item).asdict()
        site = getattr(self.crawler.spider, "site", None)
        if isinstance(site, Site):
            record[ARTICLE_KEY] = site.article_key(url)
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
        outcomes = store.save_articles(run_id, articles)
        store.resolve_pending([a["url"] for a in articles])  # fetched at last, if it was pending
        return list(outcomes)

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
            outcomes = await self.link.call(self._save, self.link.run_id, records, self.near_similarity)
        except StoreFailed:  # the link called _stop_crawl already
            outcomes = [self._keep(records)] * len(records)
            self._mark_failed()
        for (_, future), outcome in zip(batch, outcomes, strict=True):
            future.set_result(str(outcome))

    def _keep(self, records: list[dict[str, Any]]) -> str:
        """Spool articles the store did not take: ``spooled``, or ``unspooled`` when the
        spool cannot be written either (they are then in the JSON lines feed only)."""
        if self.spool is None:
            self.spool = Spool(self.spool_dir, self.site, self.link.url, self.link.run_id)
        try:
            self.spool.add(records)
        except OSError as exc:
            logger.error("%d articles neither stored nor spooled (%s: %s); they are in the JSON lines only",
                         len(records), self.spool.path, exc.strerror or exc)
            return "unspooled"
        return "spooled"

    def _stop_crawl(self) -> None:
        """Close the spider with ``store_failed`` (once; without waiting, as this runs inside
        the item processing the close waits for)."""
        if self._stopping or self.stats is None:
            return
        self._stopping = True
        self._mark_failed()
        logger.error("%s; stopping the crawl, unwritten articles go to the JSON lines and a spool file in %s",
                     self.link.failed, self.spool_dir)
        engine = self.crawler.engine
        if engine is not None and engine.spider is not None:
            task = asyncio.ensure_future(engine.close_spider_async(reason=STORE_FAILED))
            self._closing.add(task)

    def _mark_failed(self) -> None:
        assert self.stats is not None
        self.stats.set_value("newscrawl/store/error", self.link.failed)
        if self.spool is not None:
            self.stats.set_value("newscrawl/store/spool_file", str(self.spool.path))

    async def close_spider(self) -> None:
        self._start_flush()
        if self._flushing:
            await asyncio.gather(*self._flushing, return_exceptions=True)

    async def spider_closed(self, spider: Any, reason: str) -> None:
        """Finish the run row (``failed`` when the store failed, even if the crawl had ended
        on its own); a store too far gone for that gets the run's end in the spool."""
        stats = self.stats.get_stats() if self.stats else {}
        counts = {k.removeprefix("newscrawl/"): v for k, v in stats.items()
                  if k.startswith("newscrawl/") and isinstance(v, int)}
        run_id, outcome = self.link.run_id, "failed" if self.link.failed else reason
        if run_id is not None:
            try:
                await self.link.last_try(lambda store: store.finish_run(run_id, counts, outcome))
            except Exception as exc:  # the store is gone: the next run finishes the row
                self._record_run_end(counts, outcome, exc)
        if self.link.failed:
            self._mark_failed()
        self.link.close()

    def _record_run_end(self, counts: dict[str, Any], outcome: str, exc: Exception) -> None:
        if self.spool is None:
            self.spool = Spool(self.spool_dir, self.site, self.link.url, self.link.run_id)
        try:
            self.spool.end_run(counts, outcome)
        except OSError:
            logger.error("the run row could not be finished (%s) nor spooled", exc)
