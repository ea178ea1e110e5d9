"""The store extension: the one owner of the crawl's store.

It opens the store (a ``StoreLink``, one writer thread), begins the run when the spider opens,
knows the requests earlier runs left pending and resolves them, stops the crawl when the store
is gone, finishes the run after every other ``spider_closed`` handler and closes the store
last. Components get it with ``crawler.get_extension(StoreExtension)`` (from ``spider_opened``
on); it is absent when ``NEWSCRAWL_STORE_ENABLED`` is off.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from newscrawl.sites import Site
from newscrawl.storage.faults import StoreFailed, one_line
from newscrawl.storage.spool import Spool, import_spools
from newscrawl.storelink import RetryPolicy, StoreLink

T = TypeVar("T")
logger = logging.getLogger(__name__)

STORE_FAILED = "store_failed"
"""The close reason of a crawl stopped because its store failed."""


class StoreExtension:
    """Owns the store for one crawl (``NEWSCRAWL_STORE``, ``NEWSCRAWL_STORE_*``)."""

    def __init__(self, crawler: Crawler, link: StoreLink, spool_dir: str = "output/spool",
                 stale_run_hours: float = 48.0):
        self.crawler = crawler
        self.link = link
        self.spool_dir = spool_dir
        self.stale_run_hours = stale_run_hours
        self.site = ""
        self.spool: Spool | None = None
        self.pending_urls: set[str] = set()
        """Requests earlier runs left pending (canonical URLs), until they are resolved."""
        self._stopping = False
        self._closing: set[asyncio.Task[None]] = set()
        self._closed = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StoreExtension:
        settings = crawler.settings
        if not settings.getbool("NEWSCRAWL_STORE_ENABLED"):
            raise NotConfigured("NEWSCRAWL_STORE_ENABLED is off")
        link = StoreLink(settings.get("NEWSCRAWL_STORE"), RetryPolicy.from_settings(settings))
        extension = cls(crawler, link, settings.get("NEWSCRAWL_STORE_SPOOL_DIR"),
                        settings.getfloat("NEWSCRAWL_STORE_STALE_RUN_HOURS"))
        link.on_failure.append(extension._stop_crawl)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.engine_stopped, signal=signals.engine_stopped)
        return extension

    # --- what components use ----------------------------------------------------------

    @property
    def run_id(self) -> int | None:
        return self.link.run_id

    @property
    def failed(self) -> str | None:
        """Why the store is gone for this crawl (one line), None while it works."""
        return self.link.failed

    @property
    def url(self) -> str:
        return self.link.url

    async def call(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(store, *args)`` on the store thread (``StoreLink.call``)."""
        return await self.link.call(fn, *args)

    async def load_pending(self) -> list[str]:
        """The URLs earlier runs of this site left pending: retried first by the spider."""
        site = self.site
        pending = await self.call(lambda store: store.pending(site))
        self.pending_urls = {p.url for p in pending}
        return sorted(self.pending_urls)

    async def resolve(self, urls: list[str]) -> None:
        """``urls`` were fetched at last (stored articles): pending rows of them resolved."""
        self.pending_urls.difference_update(urls)
        await self.call(lambda store: store.resolve_pending(urls))

    async def resolve_if_pending(self, url: str) -> None:
        """A request an earlier run left pending got its answer (a store call only then)."""
        if url in self.pending_urls:
            await self.resolve([url])

    async def join_crawl(self, crawl: str) -> None:
        """This run is one worker of a distributed crawl (``newscrawl.distributed``): its row
        says so, and ``newscrawl runs`` shows the workers' rows as one run."""
        run_id = self.link.run_id
        if run_id is not None:
            await self.call(lambda store: store.join_crawl(run_id, crawl))

    def spool_for_run(self) -> Spool:
        """The spool file of this run (articles and the run's end the store did not take)."""
        if self.spool is None:
            self.spool = Spool(self.spool_dir, self.site, self.link.url, self.link.run_id)
        return self.spool

    # --- the run ---------------------------------------------------------------------

    async def spider_opened(self, spider: Spider) -> None:
        """Import what earlier runs spooled, then begin this run's row. The run is finished
        by a ``spider_closed`` handler connected now, after every other component's."""
        self.site = getattr(getattr(spider, "site", None), "name", spider.name)
        self.crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        try:
            imported = await self.call(import_spools, self.spool_dir, self.site, self.link.url)
            stats = self.crawler.stats
            if imported and stats is not None:
                stats.set_value("newscrawl/store/imported", sum(count for _, count in imported))
            await self._rekey(getattr(spider, "site", None))
            settings = {k: v for k, v in self.crawler.settings.copy_to_dict().items()
                        if k.startswith("NEWSCRAWL_")}
            site, hours = self.site, self.stale_run_hours
            self.link.run_id = await self.call(lambda store: int(store.begin_run(site, settings, hours)))
        except StoreFailed:  # logged in one line, the crawl stopped (_stop_crawl): no traceback
            return

    async def _rekey(self, site: Site | None) -> None:
        """Stored articles of the site keyed with its article pattern as this crawl defines it
        (articles stored before keys existed, or under another pattern or primary domain)."""
        if not isinstance(site, Site):
            return
        name, identity = site.name, f"{site.primary} {site.article_pattern.pattern}"
        changed = await self.call(lambda store: store.rekey_articles(name, identity, site.article_key))
        if changed:
            logger.info("article keys of %d stored articles of %s recomputed", changed, name)
            if self.crawler.stats is not None:
                self.crawler.stats.set_value("newscrawl/store/rekeyed", changed)

    async def spider_closed(self, spider: Spider, reason: str) -> None:
        """Finish the run row (``failed`` when the store failed, even if the crawl had ended
        on its own); a store too far gone for that gets the run's end in the spool."""
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        counts = {k.removeprefix("newscrawl/"): v for k, v in stats.items()
                  if k.startswith("newscrawl/") and isinstance(v, int)}
        run_id, outcome = self.link.run_id, "failed" if self.link.failed else reason
        if run_id is not None:
            try:
                await self.link.last_try(lambda store: store.finish_run(run_id, counts, outcome))
            except Exception as exc:  # the store is gone: the next run finishes the row
                self._run_unfinished(run_id, exc)
                self._record_run_end(counts, outcome, exc)
        if self.link.failed:
            self.mark_failed()
        self.close()

    def engine_stopped(self) -> None:
        self.close()  # a crawl that never opened its spider still stops the store thread

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self.link.close()

    def _run_unfinished(self, run_id: int, exc: Exception) -> None:
        """The run row was not finished: counted (the crawl exits non-zero) and logged."""
        why = f"run {run_id}: {one_line(exc)}"
        logger.error("the run row was not finished (%s)", why)
        if self.crawler.stats is not None:
            self.crawler.stats.set_value("newscrawl/store/run_unfinished", why)

    def _record_run_end(self, counts: dict[str, Any], outcome: str, exc: Exception) -> None:
        try:
            self.spool_for_run().end_run(counts, outcome)
        except OSError:
            logger.error("the run row could not be finished (%s) nor spooled", exc)

    # --- when the store is gone --------------------------------------------------------

    def give_up(self, why: str) -> None:
        """Treat the store as gone for this crawl (an answer that makes no sense): the crawl
        stops with ``store_failed`` and what is unwritten goes to the spool."""
        self.link.give_up(why)

    def mark_failed(self) -> None:
        stats = self.crawler.stats
        assert stats is not None
        stats.set_value("newscrawl/store/error", self.link.failed)
        if self.spool is not None:
            stats.set_value("newscrawl/store/spool_file", str(self.spool.path))

    def _stop_crawl(self) -> None:
        """Close the spider with ``store_failed`` (once; without waiting, as this may run
        inside the item processing the close waits for)."""
        if self._stopping or self.crawler.stats is None:
            return
        self._stopping = True
        self.mark_failed()
        logger.error("%s; stopping the crawl, unwritten articles go to the JSON lines and a spool file in %s",
                     self.link.failed, self.spool_dir)
        engine = self.crawler.engine
        if engine is not None and engine.spider is not None:
            task = asyncio.ensure_future(engine.close_spider_async(reason=STORE_FAILED))
            self._closing.add(task)
            task.add_done_callback(self._closing.discard)
