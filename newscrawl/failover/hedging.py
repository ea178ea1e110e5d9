"""Hedged downloads: when a domain is slower than usual to answer, ask the next mirror too.

A blackholed domain accepts connections and never answers; waiting for a timeout on every
request to it is what makes naive failover slow. The failover middleware marks each site
request with the next healthy mirror and a hedge delay learned from the site's own response
times; this download handler starts the mirror request when the first has not answered by
then, keeps whichever succeeds first, and cancels the other. It wraps the handler the request
would use otherwise (``NEWSCRAWL_FAILOVER_HEDGE_HANDLER``, Scrapy's HTTP/1.1 one by default).
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
from scrapy.http import Response
from scrapy.utils.defer import ensure_awaitable
from scrapy.utils.misc import build_from_crawler, load_object

from newscrawl.failover.meta import (
    HEDGE_AFTER,
    HEDGE_FIRST_ERROR,
    HEDGE_LATENCY,
    HEDGE_URL,
    HEDGE_WON,
    PRIVATE_HEADERS,
)

__all__ = ["HEDGE_AFTER", "HEDGE_FIRST_ERROR", "HEDGE_LATENCY", "HEDGE_URL", "HEDGE_WON",
           "HedgingDownloadHandler", "LatencyTracker", "hedge_request"]


def hedge_request(request: Request, url: str) -> Request:
    """The same request for ``url`` on a mirror; cookies and credentials meant for the first
    host (``PRIVATE_HEADERS``) stay behind when the mirror is another host."""
    if urlsplit(url).hostname == urlsplit(request.url).hostname:
        return request.replace(url=url)
    headers = request.headers.copy()
    for name in PRIVATE_HEADERS:
        headers.pop(name, None)
    return request.replace(url=url, headers=headers)


class LatencyTracker:
    """Recent response times of a site; the hedge delay is a multiple of their 90th
    percentile, within [minimum, maximum], and ``initial`` before anything is known."""

    def __init__(self, initial: float, minimum: float, maximum: float, factor: float = 4.0,
                 window: int = 200):
        self.initial, self.minimum, self.maximum, self.factor = initial, minimum, maximum, factor
        self.samples: deque[float] = deque(maxlen=window)
        self._delay = initial

    def add(self, seconds: float) -> None:
        self.samples.append(seconds)
        if len(self.samples) <= 5 or len(self.samples) % 5 == 0:
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

    async def _download(self, request: Request) -> Response:
        result: Response = await ensure_awaitable(self.inner.download_request(request))
        return result

    async def close(self) -> None:
        closing = getattr(self.inner, "close", None)
        if closing is not None:
            await ensure_awaitable(closing())

    async def download_request(self, request: Request) -> Response:
        hedge_url = request.meta.get(HEDGE_URL)
        if not hedge_url:
            return await self._download(request)
        first = asyncio.ensure_future(self._download(request))
        done, _ = await asyncio.wait({first}, timeout=float(request.meta[HEDGE_AFTER]))
        if first in done:
            return first.result()
        started = time.monotonic()
        second = asyncio.ensure_future(self._download(hedge_request(request, hedge_url)))
        pending: set[asyncio.Future[Response]] = {first, second}
        errors: list[BaseException] = []
        while pending:
            finished, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
            for task in finished:
                error = task.exception()
                if error is None:
                    for loser in pending:
                        loser.cancel()
                    if task is second:
                        request.meta[HEDGE_WON] = hedge_url
                        request.meta[HEDGE_LATENCY] = time.monotonic() - started
                    return task.result()
                errors.append(error)
                if task is first:
                    request.meta[HEDGE_FIRST_ERROR] = error
        raise errors[0]
