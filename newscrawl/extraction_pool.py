"""Run article extraction beside the crawler, in worker processes.

Scrapy's engine is one thread; HTML extraction is CPU work. Handing it to worker processes
lets the crawler keep downloading on one core while pages are parsed on another. The pages
go to the workers and the articles come back over pipes the event loop reads and writes
itself (``_Worker``), without threads.

Each page has a deadline (``NEWSCRAWL_EXTRACT_TIMEOUT``): past it the page keeps the fields
found so far (``newscrawl/extract/timeout``). A page is never parsed in the crawler's own
thread when workers are on: when a worker dies (``newscrawl/extract/worker_died``) a new one
replaces it and each page it held is retried once, one at a time, in a worker of its own
(``newscrawl/extract/retried``); a page whose retry dies too is dropped
(``newscrawl/dropped/extract_worker_died``). Layers that failed on a page are counted as
``newscrawl/extract/error/<layer>``. Workers die with the crawler (``extraction_worker``).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import pickle
import time
from collections import deque
from collections.abc import Callable
from typing import Any

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
"""Pages sent to a worker beyond the one it works on, so that it never waits for the next
(more stay in the pool: a worker that dies takes at most ``QUEUED_PAGES + 1`` with it, each
retried on its own)."""


class WorkerDied(Exception):
    """The worker process that held a page ended before answering."""


class _Worker:
    """One worker process and its two pipes, written and read from the event loop.

    No thread of this process takes part: ``ProcessPoolExecutor``'s feeder and manager threads
    wait for the GIL while the crawl's thread holds it (up to the 5 ms switch interval) and
    then take it from the crawl; in ``bench/crawl.py`` they cost 0.2 ms of the crawler's CPU
    per page and left the worker idle between pages."""

    def __init__(self, context: Any, crawler_pid: int, died: Callable[[_Worker], None]):
        tasks_in, self._tasks = context.Pipe(duplex=False)
        self._results, results_out = context.Pipe(duplex=False)
        self.process = context.Process(target=extraction_worker.serve, name="newscrawl-extract",
                                       args=(tasks_in, results_out, crawler_pid), daemon=True)
        self.process.start()
        tasks_in.close()  # the worker's ends: closed here, so its death reads as end of pipe
        results_out.close()
        os.set_blocking(self._tasks.fileno(), False)
        os.set_blocking(self._results.fileno(), False)
        self.waiting: deque[asyncio.Future[Any]] = deque()
        self.alive = True
        self._died = died
        self._loop: asyncio.AbstractEventLoop | None = None
        self._unsent: deque[memoryview] = deque()
        self._received = bytearray()

    def submit(self, call: tuple[Callable[..., Any], tuple[Any, ...]], answer: asyncio.Future[Any]) -> None:
        """Send ``call`` (function, args); ``answer`` gets the worker's answer (in its loop)."""
        self._attach(answer.get_loop())
        data = pickle.dumps(call, protocol=pickle.HIGHEST_PROTOCOL)
        self._unsent.append(memoryview(extraction_worker.FRAME.pack(len(data)) + data))
        self.waiting.append(answer)
        self._send()

    def _attach(self, loop: asyncio.AbstractEventLoop) -> None:
        if self._loop is loop or not self.alive:
            return
        self._detach()
        self._loop = loop
        loop.add_reader(self._results.fileno(), self._receive)

    def _detach(self) -> None:
        if self._loop is not None and not self._loop.is_closed():
            self._loop.remove_reader(self._results.fileno())
            self._loop.remove_writer(self._tasks.fileno())
        self._loop = None

    def _send(self) -> None:
        """Write what the pipe takes now; the loop calls again when it takes more."""
        while self._unsent:
            try:
                sent = os.write(self._tasks.fileno(), self._unsent[0])
            except BlockingIOError:
                break
            except OSError:  # the worker's end is closed: it is gone
                self._end()
                return
            rest = self._unsent[0][sent:]
            if rest:
                self._unsent[0] = rest
            else:
                self._unsent.popleft()
        if self._loop is not None:
            if self._unsent:
                self._loop.add_writer(self._tasks.fileno(), self._send)
            else:
                self._loop.remove_writer(self._tasks.fileno())

    def _receive(self) -> None:
        ended = False
        while True:
            try:
                chunk = os.read(self._results.fileno(), 1 << 20)
            except BlockingIOError:
                break
            except OSError:
                chunk = b""
            if not chunk:
                ended = True
                break
            self._received += chunk
        header = extraction_worker.FRAME.size
        while len(self._received) >= header:  # the answers that came before an end, first
            (size,) = extraction_worker.FRAME.unpack_from(self._received)
            if len(self._received) < header + size:
                break
            frame = bytes(self._received[header:header + size])
            del self._received[:header + size]
            answer = self.waiting.popleft()
            try:
                ok, value = pickle.loads(frame)
            except Exception as exc:  # an exception class that cannot be rebuilt here, say
                ok, value = False, RuntimeError(f"unreadable answer from the extraction worker: {exc!r}")
            if not answer.done():  # a caller cancelled meanwhile
                answer.set_result(value) if ok else answer.set_exception(value)
        if ended:
            self._end()

    def _end(self) -> None:
        """The worker is gone: the pages it held fail with ``WorkerDied``."""
        if not self.alive:
            return
        self.stop()
        self._died(self)

    def stop(self) -> None:
        """Close the pipes (an idle worker then exits); unanswered calls fail."""
        self.alive = False
        self._detach()
        self._tasks.close()
        self._results.close()
        self._unsent.clear()
        while self.waiting:
            answer = self.waiting.popleft()
            if not answer.done() and not answer.get_loop().is_closed():
                answer.set_exception(WorkerDied(f"extraction worker {self.process.pid} ended"))


class _Workers:
    """``workers`` worker processes, started when first needed and replaced when one dies;
    pages beyond ``QUEUED_PAGES + 1`` per worker wait here."""

    def __init__(self, workers: int, died: Callable[[], None] = lambda: None):
        self.workers = workers
        self.running: list[_Worker] = []
        self.ended: list[_Worker] = []  # stopped, still to be joined
        self.pending: deque[tuple[tuple[Callable[..., Any], tuple[Any, ...]], asyncio.Future[Any]]] = deque()
        self._on_death = died

    def start(self) -> None:
        """Start the missing worker processes (each imports the extractors: about 0.4 s)."""
        context = multiprocessing.get_context("forkserver")
        while len(self.running) < self.workers:
            self.running.append(_Worker(context, os.getpid(), self._died))

    async def call(self, function: Callable[..., Any], *args: Any) -> Any:
        """``function(*args)`` in a worker; ``WorkerDied`` when the worker ended first."""
        answer: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self.pending.append(((function, args), answer))
        self._dispatch()
        return await answer

    def _dispatch(self) -> None:
        """Send waiting calls to workers with room (a worker that died meanwhile is replaced
        first). Runs in loop callbacks too: a failure to start a worker or to send a call
        fails the calls concerned, none is left waiting."""
        while self.pending:
            try:
                self.start()
            except Exception as exc:  # no process could be started (out of processes or memory)
                while self.pending:
                    _fail(self.pending.popleft()[1], exc)
                return
            worker = min(self.running, key=lambda w: len(w.waiting))
            if len(worker.waiting) > QUEUED_PAGES:
                return
            call, answer = self.pending.popleft()
            if answer.done():  # cancelled while it waited
                continue
            try:
                worker.submit(call, answer)
            except Exception as exc:  # a call that cannot be pickled
                _fail(answer, exc)
                continue
            answer.add_done_callback(lambda _: self._dispatch())

    def _died(self, worker: _Worker) -> None:
        self.running.remove(worker)
        self.ended.append(worker)
        self._on_death()

    def close(self, join_timeout: float = JOIN_TIMEOUT) -> None:
        """Stop the workers and join them: each gets until a shared deadline (``join_timeout``
        seconds) to exit, then is terminated (killed if that fails too)."""
        for worker in self.running:
            worker.stop()
        processes = [w.process for w in self.ended + self.running]
        self.ended, self.running = [], []
        while self.pending:
            answer = self.pending.popleft()[1]
            if not answer.get_loop().is_closed():
                answer.cancel()
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


def _fail(answer: asyncio.Future[Any], error: BaseException) -> None:
    if not answer.done():
        answer.set_exception(error)


class ExtractionPool:
    """``await pool.extract(html, url, site)``: in ``workers`` processes, or inline when 0."""

    def __init__(self, workers: int, timeout: float = 0.0, crawler: Crawler | None = None):
        self.workers = max(0, workers)
        self.timeout = max(0.0, timeout)
        self.crawler = crawler  # its stats exist once the crawl starts
        self._main = _Workers(self.workers, self._worker_died)
        self._retry = _Workers(1, self._worker_died)
        self._retry_lock: asyncio.Lock | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractionPool:
        settings = crawler.settings
        return cls(settings.getint("NEWSCRAWL_EXTRACT_WORKERS"),
                   settings.getfloat("NEWSCRAWL_EXTRACT_TIMEOUT"), crawler)

    def warm(self) -> None:
        """Start the worker processes ahead of the first page (at ``spider_opened``: their
        imports take about 0.4 s); nothing when extraction is inline."""
        if self.workers:
            self._main.start()

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
        try:
            extracted: tuple[Article, BodyPrint] = await workers.call(
                extraction_worker.extract, *page, self.timeout, encoding)
        except WorkerDied:
            return None
        return extracted

    def _worker_died(self) -> None:
        self._inc("newscrawl/extract/worker_died")

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
