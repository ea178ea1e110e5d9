"""The crawl's request dupefilter in Redis (scrapy-redis's), with newscrawl's fingerprints."""

from __future__ import annotations

from typing import Any

from scrapy import Request
from scrapy.utils.request import RequestFingerprinterProtocol
from scrapy_redis.dupefilter import RFPDupeFilter


class RedisDupeFilter(RFPDupeFilter):
    """scrapy-redis's set of fingerprints shared by every worker, filled by the crawler's
    ``REQUEST_FINGERPRINTER_CLASS`` (mirror-agnostic: an article is one request whichever
    domain it is asked from), not scrapy-redis's own hash of the URL."""

    def __init__(self, server: Any, key: str, fingerprinter: RequestFingerprinterProtocol,
                 debug: bool = False):
        super().__init__(server, key, debug)
        self.fingerprinter = fingerprinter

    def request_fingerprint(self, request: Request) -> str:
        return self.fingerprinter.fingerprint(request).hex()

    def close(self, reason: str = "") -> None:
        """Kept: the other workers still use it (the crawl deletes it when it is over)."""
