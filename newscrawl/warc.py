"""WARC 1.1 output of a crawl (``--warc DIR``, ``NEWSCRAWL_WARC_DIR``; off by default).

``WarcWriterMiddleware`` writes every response the downloader gets (listing pages, feeds,
sitemaps, articles, robots.txt, redirects, error pages of failed domains) with its request,
as a request/response record pair (warcio, gzip per record), to
``<dir>/<site>-<UTC time>-<serial>.warc.gz``; a file past ``NEWSCRAWL_WARC_MAX_SIZE`` bytes is
closed and the next one begins, each with a ``warcinfo`` record. It sits next to the
downloader, so bodies are recorded as they came (compressed when the server compressed them).
A download that got no response at all (refused, timed out) has no bytes to keep.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit, urlunsplit

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newscrawl import __version__
from newscrawl.failover.meta import HEDGE_PASSED

logger = logging.getLogger(__name__)


def _headers(headers: Any) -> list[tuple[str, str]]:
    return [(name.decode("latin-1"), value.decode("latin-1"))
            for name, values in headers.items() for value in values]


class WarcWriterMiddleware:
    def __init__(self, crawler: Crawler, directory: str, max_size: int) -> None:
        self.crawler, self.directory, self.max_size = crawler, Path(directory), max(1, max_size)
        self.serial = 0
        self.handle: IO[bytes] | None = None
        self.writer: WARCWriter | None = None
        self.stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        self.files: list[str] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcWriterMiddleware:
        directory = crawler.settings.get("NEWSCRAWL_WARC_DIR")
        if not directory:
            raise NotConfigured  # off by choice: nothing to warn about (NEWSCRAWL_WARC_DIR is empty)
        middleware = cls(crawler, directory, crawler.settings.getint("NEWSCRAWL_WARC_MAX_SIZE"))
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def _site(self) -> str:
        spider = self.crawler.spider
        return str(getattr(getattr(spider, "site", None), "name", getattr(spider, "name", "crawl")))

    def _writer(self) -> WARCWriter:
        if self.writer is not None and self.handle is not None and self.handle.tell() < self.max_size:
            return self.writer
        self._close()
        self.serial += 1
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / f"{self._site()}-{self.stamp}-{self.serial:05d}.warc.gz"
        self.handle = path.open("wb")
        self.writer = WARCWriter(self.handle, gzip=True, warc_version="1.1")
        info = self.writer.create_warcinfo_record(path.name, {"software": f"newscrawl {__version__}",
                                                              "format": "WARC File Format 1.1"})
        self.writer.write_record(info)
        self.files.append(str(path))
        if self.crawler.stats is not None:
            self.crawler.stats.set_value("newscrawl/warc/files", len(self.files))
        return self.writer

    def process_response(self, request: Request, response: Response,
                         spider: Spider | None = None) -> Response:
        if request.meta.get(HEDGE_PASSED):  # a mirror's answer to a hedge: archived on its own way in
            return response
        try:
            self._write(request, response)
        except OSError as exc:  # a full disk loses the archive, never the crawl
            if self.crawler.stats is not None and not self.crawler.stats.get_value("newscrawl/warc/error"):
                logger.error("WARC %s: cannot write (%s); the crawl goes on without it",
                             self.directory, exc.strerror or exc)
                self.crawler.stats.set_value("newscrawl/warc/error", exc.strerror or str(exc))
        return response

    def _write(self, request: Request, response: Response) -> None:
        writer = self._writer()
        version = (response.protocol or "").upper()
        version = version if version.startswith("HTTP/") else "HTTP/1.1"
        status = StatusAndHeaders(f"{response.status} {_reason(response.status)}", _headers(response.headers),
                                  protocol=version)
        parts = urlsplit(request.url)
        sent = _headers(request.headers)
        if not any(name.lower() == "host" for name, _ in sent):
            sent.insert(0, ("Host", parts.netloc))
        path = urlunsplit(("", "", parts.path or "/", parts.query, ""))
        head = StatusAndHeaders(f"{request.method} {path} {version}", sent, is_http_request=True)
        record = writer.create_warc_record(response.url, "response", payload=BytesIO(response.body),
                                           http_headers=status)
        asked = writer.create_warc_record(request.url, "request", payload=BytesIO(request.body or b""),
                                          http_headers=head)
        writer.write_request_response_pair(asked, record)
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value("newscrawl/warc/records", 2)

    def _close(self) -> None:
        if self.handle is not None:
            self.handle.close()
        self.handle = self.writer = None

    def spider_closed(self, spider: Spider) -> None:
        self._close()


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
