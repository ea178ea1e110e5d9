"""Run article extraction beside the crawler, in worker processes.

Scrapy's engine is one thread; HTML extraction is CPU work. Handing it to a process pool
lets the crawler keep downloading on one core while pages are parsed on another.

Each page has a deadline (``NEWSCRAWL_EXTRACT_TIMEOUT``): past it the page keeps the fields
found so far (``newscrawl/extract/timeout``). A page is never parsed in the crawler's own
thread when workers are on: when a worker dies (``newscrawl/extract/worker_died``) the pool
starts afresh and each page it held is retried once, one at a time, in a worker of its own
(``newscrawl/extract/retried``); a page whose retry dies too is dropped
(``newscrawl/dropped/extract_worker_died``). Layers that failed on a page are counted as
``newscrawl/extract/error/<layer>``. Workers die with the crawler (``extraction_worker``).
"""

from __future__ import annotations

import asyncio
import concurrent.futures.process
import logging
import multiprocessing
import os
import time
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from newscrawl import extraction_worker
from newscrawl.dedup.content import BodyPrint
from newscrawl.extract import parse_article
from newscrawl.extract.layers import TIMEOUT, failures
from newscrawl.items import Article
from newscrawl.sites.model import Site

logger = logging.getLogger(__name__)

JOIN_TIMEOUT = 5.0
"""Seconds ``close`` waits for the worker processes to exit before terminating them."""

QUEUED_PAGES = 4
"""Pages waiting in the pipe to the workers beyond one each. The executor's own default is
1, refilled by its threads in this process; those wait for the GIL while the crawl's thread
holds it (up to the 5 ms switch interval, several pages' worth of extraction), and the
worker idles meanwhile: `bench/crawl.py` crawled 1,000 articles in 3.17 s with 1 and in
2.33 s with 4. The executor takes the depth from a module constant when it is built and has
no argument for it, so the constant is raised for this process (whose only process pools are
these); typeshed marks it Final, hence setattr."""
setattr(concurrent.futures.process, "EXTRA_QUEUED_CALLS",  # noqa: B010
        max(concurrent.futures.process.EXTRA_QUEUED_CALLS, QUEUED_PAGES))


class _Workers:
    """A process pool started on first use and started afresh after a worker died."""

    def __init__(self, workers: int):
        self.workers = workers
        self.executor: ProcessPoolExecutor | None = None

    def get(self) -> ProcessPoolExecutor:
        if self.executor is None:
            context = multiprocessing.get_context("forkserver")
            self.executor = ProcessPoolExecutor(self.workers, mp_context=context,
                                                initializer=extraction_worker.init, initargs=(os.getpid(),))
        return self.executor

    def warm(self) -> Future[None]:
        """Start the workers now (they import the extractors: about 0.4 s), not at the first page."""
        started = self.get().submit(extraction_worker.ready)
        started.add_done_callback(_warmed)
        return started

    def discard(self, broken: ProcessPoolExecutor) -> bool:
        """Drop a broken pool; False when another page saw it break first."""
        if self.executor is not broken:
            return False
        self.close()
        return True

    def close(self, join_timeout: float = JOIN_TIMEOUT) -> None:
        """Stop the pool and join its processes: each gets until a shared deadline
        (``join_timeout`` seconds) to exit, then is terminated (killed if that fails too)."""
        if self.executor is None:
            return
        executor, self.executor = self.executor, None
        processes = list((getattr(executor, "_processes", None) or {}).values())  # no public way
        executor.shutdown(wait=False, cancel_futures=True)
        deadline = time.monotonic() + join_timeout
        for process in processes:
            process.join(max(0.0, deadline - time.monotonic()))
        for process in processes:
            if process.is_alive():
                logger.warning("extraction worker %s did not exit in %.1fs: terminated",
                               process.pid, join_timeout)
                process.terminate()
                process.join(1.0)
            if process.is_alive():
                process.kill()
                process.join(1.0)


def _warmed(done: Future[None]) -> None:
    if (error := done.exception()) is not None:  # the next page sees the broken pool and says so
        logger.debug("extraction worker failed while starting: %r", error)


class ExtractionPool:
    """``await pool.extract(html, url, site)``: in ``workers`` processes, or inline when 0."""

    def __init__(self, workers: int, timeout: float = 0.0, crawler: Crawler | None = None):
        self.workers = max(0, workers)
        self.timeout = max(0.0, timeout)
        self.crawler = crawler  # its stats exist once the crawl starts
        self._main = _Workers(self.workers)
        self._retry = _Workers(1)
        self._retry_lock: asyncio.Lock | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractionPool:
        settings = crawler.settings
        return cls(settings.getint("NEWSCRAWL_EXTRACT_WORKERS"),
                   settings.getfloat("NEWSCRAWL_EXTRACT_TIMEOUT"), crawler)

    def warm(self) -> Future[None] | None:
        """Start the worker processes ahead of the first page (at ``spider_opened``); done
        when one is ready. None when extraction is inline."""
        return self._main.warm() if self.workers else None

    async def extract(self, html: bytes, url: str, site: Site | None,
                      encoding: str | None = None) -> Article | None:
        """Extract one article (``encoding``: the charset of its HTTP header, when it had one);
        None when its worker died on it twice (counted as dropped)."""
        extracted = await self.extract_printed(html, url, site, encoding)
        return extracted[0] if extracted is not None else None

    async def extract_printed(self, html: bytes, url: str, site: Site | None,
                              encoding: str | None = None) -> tuple[Article, BodyPrint | None] | None:
        """``extract``, with the body's fingerprints when a worker computed them (None inline:
        the store computes them then, on the same thread as the crawl either way)."""
        page = (html, url, site)
        extracted: tuple[Article, BodyPrint | None] | None
        if not self.workers:
            deadline = time.monotonic() + self.timeout if self.timeout else None
            extracted = parse_article(html, url, site, deadline=deadline, encoding=encoding), None
        else:
            extracted = await self._in_worker(self._main, page, encoding)
            if extracted is None:
                extracted = await self._retried(page, encoding)
        if extracted is not None:
            self._count_failures(extracted[0])
        return extracted

    async def _in_worker(self, workers: _Workers, page: tuple[bytes, str, Site | None],
                         encoding: str | None) -> tuple[Article, BodyPrint] | None:
        executor = workers.get()
        try:
            return await asyncio.wrap_future(
                executor.submit(extraction_worker.extract, *page, self.timeout, encoding))
        except BrokenProcessPool:
            if workers.discard(executor):
                self._inc("newscrawl/extract/worker_died")
            return None

    async def _retried(self, page: tuple[bytes, str, Site | None],
                       encoding: str | None) -> tuple[Article, BodyPrint] | None:
        """A page whose worker died, once more in a worker of its own: pages retried one at a
        time, so a page that kills its worker again takes no other page with it."""
        url = page[1]
        logger.warning("extraction worker died while holding %s; retrying it in a fresh worker", url)
        self._inc("newscrawl/extract/retried")
        if self._retry_lock is None:
            self._retry_lock = asyncio.Lock()
        async with self._retry_lock:
            extracted = await self._in_worker(self._retry, page, encoding)
        if extracted is None:
            logger.error("extraction worker died twice on %s; article dropped", url)
            self._inc("newscrawl/dropped/extract_worker_died")
        return extracted

    def _count_failures(self, article: Article) -> None:
        found = failures(article.sources)
        for layer, reason in found:
            if reason != TIMEOUT:
                self._inc(f"newscrawl/extract/error/{layer}")
        if any(reason == TIMEOUT for _, reason in found):
            self._inc("newscrawl/extract/timeout")

    def _inc(self, key: str) -> None:
        stats: StatsCollector | None = self.crawler.stats if self.crawler is not None else None
        if stats is not None:
            stats.inc_value(key)

    def close(self, join_timeout: float = JOIN_TIMEOUT) -> None:
        """Stop the worker processes and join them (terminated after ``join_timeout`` s)."""
        self._main.close(join_timeout)
        self._retry.close(join_timeout)
