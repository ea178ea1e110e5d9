"""``MockServer``: the mock site on several origins at once, each with its own failure mode.

The asyncio loop runs in a background thread, so a test can drive a crawler in a
subprocess while switching modes from the test thread.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Coroutine
from types import TracebackType
from typing import Any, TypeVar
from urllib.parse import urlsplit

from newscrawl.testing.mocksite.events import Events, HoldRule
from newscrawl.testing.mocksite.model import MockSite
from newscrawl.testing.mocksite.modes import Mode
from newscrawl.testing.mocksite.origin import OriginServer, RequestRecord
from newscrawl.testing.mocksite.responses import PAGE_MODES, fault_response
from newscrawl.testing.mocksite.tls import WRONG_NAME, server_context

T = TypeVar("T")
DEFAULT_HOSTS = ("www.presstv.ir", "www.presstv.co.uk", "www.presstv.tv", "www.presstv.com")


class MockServer:
    """Serves ``site`` on every origin of ``origins`` (``http://host[:port]``; ``https://``
    origins present a certificate for ``tls_name``, not for their host). Port 0 or none:
    a free port, chosen at ``start()``."""

    def __init__(self, site: MockSite, origins: list[str] | None = None, *,
                 tls_name: str = WRONG_NAME, bind: str = "127.0.0.1") -> None:
        self.site = site
        self._log: list[RequestRecord] = []
        self.events = Events()
        origins = origins or [f"http://{host}" for host in DEFAULT_HOSTS]
        tls = server_context(tls_name) if any(o.startswith("https:") for o in origins) else None
        self._origins = [OriginServer(o, site, self._log, tls if o.startswith("https:") else None, bind,
                                      self.events) for o in origins]
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    @property
    def origins(self) -> list[str]:
        """``scheme://host:port`` of every origin, in the order given (real ports once started)."""
        return [o.url for o in self._origins]

    def origin(self, host: str) -> str:
        """The origin of ``host`` (or of an origin given with another port)."""
        return self._find(host)[0].url

    def address(self, origin_or_host: str) -> tuple[str, int]:
        """(IP, port) to connect to for an origin (its host name resolves nowhere)."""
        origin = self._find(origin_or_host)[0]
        return origin.bind, origin.port

    def pins(self, address: str = "127.0.0.1") -> list[str]:
        """``--resolve`` entries for every host, with and without ``www.``."""
        hosts = {o.host for o in self._origins} | {o.host.removeprefix("www.") for o in self._origins}
        return [f"{host}:{address}" for host in sorted(hosts)]

    def start(self) -> list[str]:
        """Listen on every origin, in a background thread; return the origins."""
        if self._loop is not None:
            return self.origins
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="mocksite", daemon=True)
        self._thread.start()
        self._call(self._listen_all())
        return self.origins

    async def _listen_all(self) -> None:
        for origin in self._origins:
            await origin.listen()
        for origin in self._origins:
            others = [o.url for o in self._origins if o.host != origin.host]
            origin.pages = self.site.for_origin(origin.url, others)

    def republish(self) -> None:
        """Serve the site's pages again after the site changed (``MockSite.rename``)."""
        async def fill() -> None:
            for origin in self._origins:
                others = [o.url for o in self._origins if o.host != origin.host]
                origin.pages = self.site.for_origin(origin.url, others)

        self._call(fill())

    def stop(self) -> None:
        """Close every listener and connection and end the thread."""
        if self._loop is None or self._thread is None:
            return
        self._call(self._close_all())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
        self._loop.close()
        self._loop = self._thread = None

    async def _close_all(self) -> None:
        for origin in self._origins:
            origin.close()
            if origin.timer is not None:
                origin.timer.cancel()
        await asyncio.sleep(0)

    def __enter__(self) -> MockServer:
        self.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.stop()

    def set_mode(self, origin_or_host: str, mode: str, after: int | None = None,
                 for_requests: int | None = None, *, after_seconds: float | None = None,
                 for_seconds: float | None = None, **params: Any) -> None:
        """Switch an origin (every origin of a host) to ``mode`` now, or after ``after``
        requests / ``after_seconds``; with ``for_requests`` / ``for_seconds`` it comes
        back to its previous mode afterwards. ``params``: see ``modes.MODE_PARAMS``."""
        spec = Mode.make(mode, **params)
        if mode in PAGE_MODES:
            fault_response(spec, "www.example.org", True)  # reject bad styles now, not mid-crawl
        targets = self._find(origin_or_host)
        if self._loop is None:
            raise RuntimeError("start the server before switching modes")

        async def switch() -> None:
            for origin in targets:
                origin.schedule.plan(spec, time.monotonic(), after=after, after_seconds=after_seconds,
                                     for_requests=for_requests, for_seconds=for_seconds)
                await origin.apply()

        self._call(switch())

    def mode(self, origin_or_host: str) -> str:
        """The current mode of an origin (of the first origin of a host)."""
        origin = self._find(origin_or_host)[0]

        async def current() -> str:
            origin.schedule.advance(time.monotonic())
            return origin.schedule.current.name

        return self._call(current()) if self._loop is not None else origin.schedule.current.name

    @property
    def requests(self) -> list[RequestRecord]:
        """Every request received so far, oldest first."""
        return list(self._log)

    def hits(self, path: str | None = None, *, origin: str | None = None, mode: str | None = None) -> int:
        """Requests for ``path`` (exact target, or its path without query), optionally only
        those to one origin or host, or answered in one mode."""
        urls = {o.url for o in self._find(origin)} if origin else None
        return sum(1 for r in self.requests
                   if (path is None or r.path == path or r.path.split("?", 1)[0] == path)
                   and (urls is None or r.origin in urls) and (mode is None or r.mode == mode))

    def clear_log(self) -> None:
        self._log.clear()

    def hold(self, prefix: str | None = None, *, path: str | None = None, origin: str | None = None,
             after: int = 0) -> None:
        """Answer the first ``after`` requests that match (target starting with ``prefix``,
        ``path`` as in ``hits``, sent to ``origin``'s origins), then keep every further match
        unanswered until ``release()``: a crawl stops there, however fast or slow the machine."""
        origins = frozenset(o.url for o in self._find(origin)) if origin else None
        self.events.hold(HoldRule(prefix, path, origins, after))

    def release(self) -> int:
        """End the hold; answer the held requests (in the mode they came in); how many."""
        held = self.events.release()
        if self._loop is not None and held:
            async def answer_all() -> None:
                for answer in held:
                    answer()

            self._call(answer_all())
        return len(held)

    @property
    def held(self) -> int:
        """Requests held now, unanswered."""
        return len(self.events.held)

    def wait_until(self, check: Callable[[], bool], timeout: float = 60.0, what: str = "the event") -> None:
        """Return once ``check()`` holds, re-checked on every request and mode change;
        ``TimeoutError`` after ``timeout`` seconds (a safety net, not a wait)."""
        self.events.wait_until(check, timeout, what)

    def wait_held(self, count: int = 1, timeout: float = 60.0) -> None:
        """Return once ``count`` requests are held (see ``hold``)."""
        self.wait_until(lambda: len(self.events.held) >= count, timeout, f"{count} held request(s)")

    def wait_mode(self, origin_or_host: str, mode: str, timeout: float = 30.0) -> None:
        """Return once every origin of ``origin_or_host`` serves in ``mode`` (a timed phase ended)."""
        targets = self._find(origin_or_host)
        self.wait_until(lambda: all(o.applied == mode for o in targets), timeout,
                        f"{origin_or_host} in mode {mode!r}")

    def _find(self, origin_or_host: str) -> list[OriginServer]:
        parts = urlsplit(origin_or_host if "://" in origin_or_host else f"//{origin_or_host}")
        host = (parts.hostname or "").lower()
        found = [o for o in self._origins if o.host == host
                 and (parts.port in (None, 0, o.port)) and (not parts.scheme or parts.scheme == o.scheme)]
        if not found:
            raise KeyError(f"no origin {origin_or_host!r}; origins: {', '.join(self.origins)}")
        return found

    def _call(self, coroutine: Coroutine[Any, Any, T]) -> T:
        assert self._loop is not None
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout=30)
