"""Bounded bodies: Scrapy's decompression, with a page over ``DOWNLOAD_MAXSIZE`` counted.

Scrapy 2.19 bounds a body twice with ``DOWNLOAD_MAXSIZE`` (per request:
``meta["download_maxsize"]``): the HTTP/1.1 handler aborts a download whose bytes on the wire
pass it, and ``HttpCompressionMiddleware`` inflates in 64 KiB steps and stops once the
decompressed size passes it, so a gzip bomb costs at most the limit. Both only log a
warning. ``BodySizeLimit`` is that middleware plus the bookkeeping a crawl needs:

- sitemap requests get ``NEWSCRAWL_SITEMAP_MAXSIZE`` (the protocol allows 50 MiB);
- a body over its limit is a property of the page, not of the domain: it is never a failure
  class, never failed over to a mirror, never recorded as pending (every mirror serves the
  same page, and the next run would fetch it again); it is counted in
  ``newscrawl/dropped/too_large`` (so the run summary shows it) and logged with its URL.
"""

from __future__ import annotations

import logging
from typing import Any
from weakref import WeakKeyDictionary

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response
from scrapy.utils._compression import _DecompressionMaxSizeExceeded

from newscrawl.classify import exception_chain

logger = logging.getLogger(__name__)

TOO_LARGE = "newscrawl/dropped/too_large"
WIRE_LIMIT_TEXT = "larger than download max size"
"""What Scrapy's HTTP/1.1 handler says when it refuses a body for its declared length; one it
cuts while reading arrives as a bare ``CancelledError``, so the bytes received are counted."""


class BodySizeLimit(HttpCompressionMiddleware):
    """``HttpCompressionMiddleware`` that counts and logs every body cut for its size."""

    def __init__(self, crawler: Crawler):
        super().__init__(crawler=crawler)
        self.crawler = crawler
        self.sitemap_maxsize = crawler.settings.getint("NEWSCRAWL_SITEMAP_MAXSIZE")
        self._received: WeakKeyDictionary[Request, int] = WeakKeyDictionary()
        crawler.signals.connect(self._bytes_received, signal=signals.bytes_received)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BodySizeLimit:
        if not crawler.settings.getbool("COMPRESSION_ENABLED"):
            raise NotConfigured
        return cls(crawler)

    def process_request(self, request: Request, spider: Any = None) -> None:
        if getattr(request.callback, "__name__", "") == "parse_sitemap":
            request.meta.setdefault("download_maxsize", self.sitemap_maxsize)
        super().process_request(request)
        return None

    def _bytes_received(self, data: bytes, request: Request) -> None:
        self._received[request] = self._received.get(request, 0) + len(data)

    def process_response(self, request: Request, response: Response,
                         spider: Any = None) -> Request | Response:
        self._received.pop(request, None)
        try:
            return super().process_response(request, response)
        except IgnoreRequest as exc:
            if isinstance(exc.__cause__, _DecompressionMaxSizeExceeded):
                self._too_large(request, f"{exc.__cause__.decompressed_size} bytes decompressed"
                                         f" from {len(response.body)}")
            raise

    def process_exception(self, request: Request, exception: Exception,
                          spider: Any = None) -> None:
        """A download aborted for its size ends here: the failover middleware (which sees
        exceptions after this one) would take it for a broken domain."""
        received = self._received.pop(request, 0)
        limit = request.meta.get("download_maxsize", self._max_size)
        if (limit and received > limit) or any(
                WIRE_LIMIT_TEXT in str(exc) for exc in exception_chain(exception)):
            self._too_large(request, "on the wire")
            raise IgnoreRequest(f"{request.url}: body over DOWNLOAD_MAXSIZE") from exception
        return None

    def _too_large(self, request: Request, size: str) -> None:
        limit = request.meta.get("download_maxsize", self._max_size)
        self.crawler.stats.inc_value(TOO_LARGE)
        logger.warning("%s: body over DOWNLOAD_MAXSIZE (%d bytes; %s): skipped, not a domain"
                       " failure", request.url, limit, size)
