"""One origin of the mock server: its listener, its mode schedule and how it answers."""

from __future__ import annotations

import asyncio
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from newscrawl.testing.mocksite.events import Events
from newscrawl.testing.mocksite.model import MockSite
from newscrawl.testing.mocksite.modes import Mode, Schedule
from newscrawl.testing.mocksite.protocol import HttpConnection, Request
from newscrawl.testing.mocksite.responses import PAGE_MODES, fault_response, site_response


@dataclass(frozen=True)
class RequestRecord:
    """One request an origin received, and the mode that answered it."""

    origin: str
    method: str
    path: str
    """The request target as sent (path and query)."""
    mode: str
    timestamp: float
    host: str = ""


class OriginServer:
    """Serves the site for one origin (``scheme://host:port``), on 127.0.0.1."""

    def __init__(self, origin: str, site: MockSite, log: list[RequestRecord],
                 tls: ssl.SSLContext | None = None, bind: str = "127.0.0.1",
                 events: Events | None = None) -> None:
        parts = urlsplit(origin)
        self.scheme, self.host = parts.scheme or "http", (parts.hostname or "").lower()
        self.port = parts.port or 0
        self.site, self.log, self.tls, self.bind = site, log, tls, bind
        self.pages: dict[str, bytes] = {}
        self.schedule = Schedule(time.monotonic())
        self.events = events or Events()
        self.applied = "ok"
        """The mode the listener was last made to match (``apply``)."""
        self.connections: set[HttpConnection] = set()
        self.listener: asyncio.Server | None = None
        self.timer: asyncio.TimerHandle | None = None

    @property
    def url(self) -> str:
        return f"{self.scheme}://{self.host}:{self.port}"

    async def listen(self) -> None:
        if self.listener is not None:
            return
        loop = asyncio.get_running_loop()
        self.listener = await loop.create_server(
            lambda: HttpConnection(self, self.connections), self.bind, self.port,
            ssl=self.tls, reuse_address=True, backlog=512)
        self.port = self.listener.sockets[0].getsockname()[1]

    def stop_listening(self) -> None:
        """Close the listening socket: new connections are refused."""
        if self.listener is not None:
            self.listener.close()
            self.listener = None

    def close(self) -> None:
        """Stop listening and close open connections (their pending output is sent first)."""
        self.stop_listening()
        for connection in list(self.connections):
            connection.close()

    async def apply(self) -> None:
        """Make the listener match the current mode and arm the timer of a timed phase."""
        if self.schedule.current.name == "refuse":
            self.close()
        else:
            await self.listen()
        if self.timer is not None:
            self.timer.cancel()
        left = self.schedule.seconds_left(time.monotonic())
        if left is not None:
            self.timer = asyncio.get_running_loop().call_later(left + 0.001, self._tick)
        self.applied = self.schedule.current.name
        self.events.notify()

    def _tick(self) -> None:
        self.schedule.advance(time.monotonic())
        asyncio.get_running_loop().create_task(self.apply())

    def handle(self, connection: HttpConnection, request: Request) -> None:
        now = time.monotonic()
        mode = self.schedule.take(now)
        self.log.append(RequestRecord(self.url, request.method, request.target, mode.name,
                                      time.time(), request.host))
        changed = self.schedule.advance(now)
        if self.schedule.current.name == "refuse":
            self.stop_listening()  # before answering: the client's next connect must be refused
        if changed and (self.listener is not None or self.schedule.current.name == "refuse"):
            self.applied = self.schedule.current.name  # in effect now, not once apply() ran
        if self.events.take_hold(self.url, request.target, lambda: connection.answer_held(
                lambda: self._answer(connection, request, mode))):
            connection.hold()
        else:
            self._answer(connection, request, mode)
        if changed or self.schedule.current.name == "refuse":
            asyncio.get_running_loop().create_task(self.apply())
        self.events.notify()

    def _site_bytes(self, request: Request) -> tuple[bytes, bytes]:
        key = self.site.lookup(request.target)
        page = self.pages.get(key) if key is not None else None
        return site_response(page, key or request.target, request.keep_alive,
                             self.site.encodings.get(key) if key is not None else None)

    def _answer(self, connection: HttpConnection, request: Request, mode: Mode) -> None:
        name, keep = mode.name, request.keep_alive
        if name == "ok":
            head, body = self._site_bytes(request)
        elif name in PAGE_MODES:
            host = request.host.rsplit(":", 1)[0] if request.host else self.host
            head, body = fault_response(mode, host, keep)
        elif name == "blackhole":
            connection.hold()
            return
        elif name == "slow":
            connection.hold()
            asyncio.get_running_loop().call_later(float(mode["delay"]), self._late, connection, request)
            return
        elif name == "reset":
            head, body = self._site_bytes(request)
            connection.hold()
            connection.send(head + body[: int(len(body) * float(mode["fraction"]))], keep_alive=True)
            asyncio.get_running_loop().call_later(float(mode["linger"]), connection.reset)
            return
        else:  # refuse: a connection that was open when the port closed
            connection.close()
            return
        connection.send(head if request.method == "HEAD" else head + body, keep)

    def _late(self, connection: HttpConnection, request: Request) -> None:
        head, body = self._site_bytes(request)
        connection.send(head if request.method == "HEAD" else head + body, request.keep_alive)
        connection.resume()
