"""A minimal HTTP/1.1 GET over asyncio streams that times each stage: DNS, TCP, TLS, HTTP.

One connection per request (``Connection: close``); at most ``max_body`` bytes of body are
kept, counted after gzip/deflate decoding (``wire.BoundedBody``). The request target is
percent-encoded (``w3lib.url.safe_url_string``), so a redirect's raw ``Location`` never puts
spaces or non-ASCII bytes into the request line. ``Tracker`` keeps the stage in progress, so
a timeout is attributed to it.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import SplitResult, urlsplit

from w3lib.url import safe_url_string

from newscrawl.monitor.wire import read_body, read_head

USER_AGENT = "newscrawl-monitor/0.1 (+https://github.com/newscrawl/newscrawl)"


@dataclass
class Tracker:
    """What one probe has measured so far: the stage in progress and each stage's time."""

    stage: str = "dns"
    timings: dict[str, float] = field(default_factory=dict)
    addresses: tuple[str, ...] = ()
    tls_version: str | None = None
    cert_expires: datetime | None = None

    def record(self, stage: str, started: float) -> None:
        """Keep the first measurement of ``stage`` (the first request's connection)."""
        self.timings.setdefault(stage, time.monotonic() - started)


@dataclass(frozen=True)
class Response:
    """One HTTP response: status, lower-cased headers, (decoded, capped) body."""

    url: str
    status: int
    headers: dict[str, str]
    body: bytes
    truncated: bool = False
    """More was sent than ``max_body`` bytes (decoded): ``body`` holds the first ones."""


async def resolve(host: str, port: int, pins: dict[str, str]) -> tuple[str, ...]:
    """Addresses of ``host``: its ``--resolve`` pin, else the system resolver's answer."""
    pinned = pins.get(host.lower())
    if pinned is not None:
        return (pinned,)
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return tuple(dict.fromkeys(str(info[4][0]) for info in infos))


def _cert_expiry(ssl_object: ssl.SSLObject | None) -> datetime | None:
    cert = ssl_object.getpeercert() if ssl_object is not None else None
    not_after = cert.get("notAfter") if cert else None
    if not isinstance(not_after, str):
        return None
    return datetime.fromtimestamp(ssl.cert_time_to_seconds(not_after), UTC)


async def _connect(url: str, tracker: Tracker, pins: dict[str, str], tls: ssl.SSLContext
                   ) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    parts = urlsplit(url)
    host, secure = parts.hostname or "", parts.scheme == "https"
    port = parts.port or (443 if secure else 80)
    tracker.stage, started = "dns", time.monotonic()
    addresses = await resolve(host, port, pins)
    tracker.record("dns", started)
    tracker.addresses = tracker.addresses or addresses
    tracker.stage, started = "connect", time.monotonic()
    reader, writer = await asyncio.open_connection(addresses[0], port)
    tracker.record("connect", started)
    if secure:
        tracker.stage, started = "tls", time.monotonic()
        await writer.start_tls(tls, server_hostname=host)
        tracker.record("tls", started)
        ssl_object = writer.get_extra_info("ssl_object")
        if tracker.tls_version is None and ssl_object is not None:
            tracker.tls_version = ssl_object.version()
            tracker.cert_expires = _cert_expiry(ssl_object)
    return reader, writer


def request_target(parts: SplitResult) -> tuple[str, str]:
    """The request line's target and the ``Host`` header of a URL (already made safe)."""
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    host = parts.hostname or ""
    host = f"[{host}]" if ":" in host else host
    return target, host + (f":{parts.port}" if parts.port else "")


async def get(url: str, tracker: Tracker, pins: dict[str, str], tls: ssl.SSLContext,
              max_body: int = 1 << 20) -> Response:
    """GET ``url`` once (no redirects followed); network errors propagate."""
    url = safe_url_string(url)
    reader, writer = await _connect(url, tracker, pins, tls)
    try:
        tracker.stage, started = "http", time.monotonic()
        target, host = request_target(urlsplit(url))
        writer.write((f"GET {target} HTTP/1.1\r\nHost: {host}\r\n"
                      f"User-Agent: {USER_AGENT}\r\nAccept: text/html,*/*;q=0.8\r\n"
                      "Accept-Encoding: gzip\r\nConnection: close\r\n\r\n").encode("ascii"))
        await writer.drain()
        status, headers = await read_head(reader, on_first_byte=lambda: tracker.record("ttfb", started))
        body = await read_body(reader, status, headers, max_body)
        return Response(url, status, headers, bytes(body.data), body.truncated)
    finally:
        writer.close()
