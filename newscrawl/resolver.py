"""Pin host names to addresses for a whole crawl, like curl's ``--resolve HOST:IP``.

Users pin a blocked domain's known address; tests point realistic host names at 127.0.0.x.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from scrapy.resolver import CachingThreadedResolver
from twisted.internet import defer
from twisted.internet.base import ReactorBase

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from twisted.internet.defer import Deferred


def parse_pins(entries: Iterable[str]) -> dict[str, str]:
    """Turn ``["host:ip", ...]`` (or curl's ``host:port:ip``) into ``{host: ip}``; a bad entry
    raises ``ValueError``."""
    pins: dict[str, str] = {}
    for entry in entries:
        host, sep, address = entry.strip().partition(":")
        port, colon, rest = address.partition(":")
        if colon and port.isdigit() and rest:  # curl's own HOST:PORT:ADDR (the pin holds for every port)
            address = rest
        address = address.strip("[]")
        if not sep or not host or not address:
            raise ValueError(f"--resolve {entry!r}: expected HOST:IP, e.g. www.example.com:127.0.0.1")
        try:
            ipaddress.ip_address(address)
        except ValueError:
            raise ValueError(f"--resolve {entry!r}: {address!r} is not an IP address") from None
        pins[host.lower()] = address
    return pins


class PinnedResolver(CachingThreadedResolver):
    """Scrapy's caching resolver, answering pinned names from ``NEWSCRAWL_RESOLVE`` first."""

    def __init__(self, reactor: ReactorBase, cache_size: int, timeout: float,
                 pins: dict[str, str]):
        super().__init__(reactor, cache_size, timeout)
        self.pins = pins

    @classmethod
    def from_crawler(cls, crawler: Crawler, reactor: ReactorBase) -> Self:
        settings = crawler.settings
        cache_size = settings.getint("DNSCACHE_SIZE") if settings.getbool("DNSCACHE_ENABLED") else 0
        pins = parse_pins(settings.getlist("NEWSCRAWL_RESOLVE"))
        return cls(reactor, cache_size, settings.getfloat("DNS_TIMEOUT"), pins)

    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> Deferred[str]:
        pinned = self.pins.get(name.lower())
        if pinned is not None:
            return defer.succeed(pinned)
        return super().getHostByName(name, timeout)
