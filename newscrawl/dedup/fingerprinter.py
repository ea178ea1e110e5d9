"""A request fingerprinter that sees one article wherever it is linked from: mirrors, ``www.``
or not, tracking parameters and fragments make no difference.

Enable with ``REQUEST_FINGERPRINTER_CLASS = "newscrawl.dedup.fingerprinter.MirrorAgnosticFingerprinter"``.
"""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.utils.request import fingerprint

from newscrawl.dedup.urls import normalize_url
from newscrawl.sites.model import Site


class MirrorAgnosticFingerprinter:
    """Scrapy's default fingerprint (method, URL, body) of the request with its URL
    normalised by ``normalize_url``, the domains mapped to the primary when the crawler's
    spider has a ``site`` (a ``Site``)."""

    def __init__(self, crawler: Crawler | None = None):
        self.crawler = crawler
        self._cache: WeakKeyDictionary[Request, bytes] = WeakKeyDictionary()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> MirrorAgnosticFingerprinter:
        return cls(crawler)

    def site(self) -> Site | None:
        """The spider's site (looked up per call: the spider exists only once the crawl starts)."""
        spider: Any = getattr(self.crawler, "spider", None)
        site = getattr(spider, "site", None)
        return site if isinstance(site, Site) else None

    def fingerprint(self, request: Request) -> bytes:
        if request not in self._cache:
            normal = request.replace(url=normalize_url(request.url, self.site()))
            self._cache[request] = fingerprint(normal)
        return self._cache[request]
