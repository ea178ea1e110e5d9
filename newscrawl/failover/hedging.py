"""Hedged downloads: when a domain is slower than usual to answer, ask the next mirror too.

A blackholed domain accepts connections and never answers; waiting for a timeout on every
request to it is what makes naive failover slow. The failover middleware marks each site
request with the next healthy mirror and a hedge delay learned from the site's own response
times; this download handler starts the mirror request when the first has not answered by
then, keeps whichever succeeds first, and cancels the other. It wraps the handler the request
would use otherwise (``NEWSCRAWL_FAILOVER_HEDGE_HANDLER``, Scrapy's HTTP/1.1 one by default).

The mirror request (a fresh request, ``meta[HEDGE_OF]`` naming the first URL) goes through
Scrapy's engine (``engine.download_async``): the downloader middlewares, robots.txt among them,
and the mirror's downloader slot (delay, per-domain concurrency) apply to it as to any other.
Cancelling it also cancels its transfer, which comes back through this handler, or keeps it
from starting when it still waits in the mirror's slot.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.core.downloader.handlers.base import BaseDownloadHandler
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.utils.defer import ensure_awaitable
from scrapy.utils.misc import build_from_crawler, load_object

from newscrawl.failover.meta import (
    HEDGE_AFTER,
    HEDGE_FIRST_ERROR,
    HEDGE_LATENCY,
    HEDGE_OF,
    HEDGE_PASSED,
    HEDGE_URL,
    HEDGE_WON,
    PRIVATE_HEADERS,
)

__all__ = ["HEDGE_AFTER", "HEDGE_FIRST_ERROR", "HEDGE_LATENCY", "HEDGE_OF", "HEDGE_URL",
           "HEDGE_WON", "HedgingDownloadHandler", "LatencyTracker", "hedge_request"]

ABANDONED = "failover_hedge_abandoned"  # on a hedge: its answer is no longer wanted
HEDGE_KEEPS = ("download_timeout", "download_maxsize")  # the first request's meta a hedge keeps
HEDGE_KEEPS_PREFIXES = ("playwright", "newscrawl_render")


def hedge_request(request: Request, url: str) -> Request:
    """The same request for ``url`` on a mirror; cookies and credentials meant for the first
    host (``PRIVATE_HEADERS``) stay behind when the mirror is another host."""
    if urlsplit(url).hostname == urlsplit(request.url).hostname:
        return request.replace(url=url)
    headers = request.headers.copy()
    for name in PRIVATE_HEADERS:
        headers.pop(name, None)
    return request.replace(url=url, headers=headers)


def engine_hedge(request: Request, url: str) -> Request:
    """The request to send through the engine for ``url``: ``hedge_request``'s headers, fresh
    meta that keeps failover, hedging, retries and redirects off it (the first request's
    failover decides what its answer means), the first request's timeout and size limit,
    and how it is fetched (``playwright*``, ``newscrawl_render*``: a rendered page's hedge is
    rendered too)."""
    meta: dict[str, Any] = {key: value for key, value in request.meta.items()
                            if key in HEDGE_KEEPS or key.startswith(HEDGE_KEEPS_PREFIXES)}
    meta.update({HEDGE_OF: request.url, "dont_failover": True, "dont_hedge": True,
                 "dont_retry": True, "dont_redirect": True})
    return hedge_request(request, url).replace(meta=meta, dont_filter=True)


class LatencyTracker:
    """Recent response times of a site; the hedge delay is a multiple of their 90th
    percentile, within [minimum, maximum], and ``initial`` before anything is known."""

    def __init__(self, initial: float, minimum: float, maximum: float, factor: float = 4.0,
                 window: int = 200):
        self.initial, self.minimum, self.maximum, self.factor = initial, minimum, maximum, factor
        self.window = window
        self.samples: deque[float] = deque(maxlen=window)
        self.fresh: list[float] = []
        """Samples since ``take_fresh`` (a distributed crawl shares them; else unused)."""
        self.sharing = False
        self._delay = initial

    def add(self, seconds: float) -> None:
        self.samples.append(seconds)
        if self.sharing:
            self.fresh.append(seconds)
        if len(self.samples) <= 5 or len(self.samples) % 5 == 0:
            self._recompute()

    def take_fresh(self) -> list[float]:
        fresh, self.fresh = self.fresh, []
        return fresh

    def replace(self, samples: list[float]) -> None:
        """The crawl's recent samples, every worker's (``newscrawl.distributed.failover``)."""
        self.samples = deque(samples[-self.window:], maxlen=self.window)
        if self.samples:
            self._recompute()

    def _recompute(self) -> None:
        ordered = sorted(self.samples)
        p90 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]
        self._delay = min(self.maximum, max(self.minimum, self.factor * p90))

    @property
    def delay(self) -> float:
        return self._delay


class HedgingDownloadHandler(BaseDownloadHandler):
    """The inner download handler (``NEWSCRAWL_FAILOVER_HEDGE_HANDLER``), racing a mirror
    against a slow first answer."""

    def __init__(self, crawler: Crawler):
        super().__init__(crawler)
        inner = load_object(crawler.settings["NEWSCRAWL_FAILOVER_HEDGE_HANDLER"])
        self.inner: Any = build_from_crawler(inner, crawler)
        self._hedges: dict[Request, asyncio.Future[Response]] = {}  # hedges being transferred

    async def _download(self, request: Request) -> Response:
        result: Response = await ensure_awaitable(self.inner.download_request(request))
        return result

    async def _transfer_hedge(self, request: Request) -> Response:
        """A hedge come back from the engine: transferred unless abandoned meanwhile (it may
        have waited in the mirror's slot), cancellable by the first request's handler."""
        if request.meta.get(ABANDONED):
            raise IgnoreRequest(f"hedge of {request.meta[HEDGE_OF]} no longer needed")
        transfer = asyncio.ensure_future(self._download(request))
        self._hedges[request] = transfer
        try:
            return await transfer
        finally:
            self._hedges.pop(request, None)

    async def _send_hedge(self, hedge: Request) -> Response:
        assert self.crawler.engine is not None
        try:
            return await self.crawler.engine.download_async(hedge)
        except IgnoreRequest as exc:  # refused by a middleware: the first request's outcome counts
            if "robots.txt" in str(exc) and not hedge.meta.get(ABANDONED):
                assert self.crawler.stats is not None
                self.crawler.stats.inc_value("newscrawl/failover/hedge_robots_refused")
            raise

    def _abandon(self, hedge: Request, sending: asyncio.Future[Response]) -> None:
        hedge.meta[ABANDONED] = True
        transfer = self._hedges.pop(hedge, None)
        if transfer is not None:
            transfer.cancel()
        sending.cancel()

    async def close(self) -> None:
        closing = getattr(self.inner, "close", None)
        if closing is not None:
            await ensure_awaitable(closing())

    async def download_request(self, request: Request) -> Response:
        if HEDGE_OF in request.meta:
            return await self._transfer_hedge(request)
        hedge_url = request.meta.get(HEDGE_URL)
        if not hedge_url:
            return await self._download(request)
        first = asyncio.ensure_future(self._download(request))
        done, _ = await asyncio.wait({first}, timeout=float(request.meta[HEDGE_AFTER]))
        if first in done:
            return first.result()
        started = time.monotonic()
        if urlsplit(hedge_url).hostname == urlsplit(request.url).hostname:
            # the same downloader slot as this request: it would queue behind it
            return await self._race_direct(request, hedge_url, first, started)
        hedge = engine_hedge(request, hedge_url)
        second = asyncio.ensure_future(self._send_hedge(hedge))
        pending: set[asyncio.Future[Response]] = {first, second}
        errors: list[BaseException] = []
        try:
            response = await self._race(request, hedge_url, first, second, pending, errors, started)
            if request.meta.get(HEDGE_WON):
                request.meta[HEDGE_PASSED] = True
            return response
        finally:
            if not second.done():  # the first answered, or this download was cancelled
                self._abandon(hedge, second)
            if not first.done():
                first.cancel()

    async def _race_direct(self, request: Request, hedge_url: str, first: asyncio.Future[Response],
                           started: float) -> Response:
        """A mirror on this request's own host (another port): its slot is this request's, so
        the hedge goes straight to the inner handler."""
        second = asyncio.ensure_future(self._download(hedge_request(request, hedge_url)))
        try:
            return await self._race(request, hedge_url, first, second, {first, second}, [],
                                    started)
        finally:
            for task in (first, second):
                if not task.done():
                    task.cancel()

    async def _race(self, request: Request, hedge_url: str, first: asyncio.Future[Response],
                    second: asyncio.Future[Response], pending: set[asyncio.Future[Response]],
                    errors: list[BaseException], started: float) -> Response:
        """The first success of ``first`` and ``second``; the first error when both fail
        (the first request's when the mirror refused the hedge: robots.txt)."""
        while pending:
            finished, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
            for task in finished:
                error = task.exception()
                if error is None:
                    response = task.result()
                    if task is second:
                        request.meta[HEDGE_WON] = hedge_url
                        request.meta[HEDGE_LATENCY] = time.monotonic() - started
                        response.request = None  # the engine ties it to the first request
                    return response
                if task is first:
                    request.meta[HEDGE_FIRST_ERROR] = error
                if task is first or not isinstance(error, IgnoreRequest):
                    errors.append(error)
        raise errors[0]
