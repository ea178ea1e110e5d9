"""A scripted HTTP server on 127.0.0.1 for hostile-input tests: each path answers what the
test says (status, headers, body), every request line is recorded as it arrived, and
``gzip_bomb(n)`` is ``n`` bytes of zeros gzipped (1 GiB is about 1 MB on the wire)."""

from __future__ import annotations

import contextlib
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MIB = 1024 * 1024


@cache
def gzip_bomb(size: int) -> bytes:
    """``size`` bytes of zeros, gzipped, generated in 1 MiB steps (never held whole)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = bytes(MIB)
    parts = [compressor.compress(zeros[: min(MIB, size - done)]) for done in range(0, size, MIB)]
    return b"".join([*parts, compressor.flush()])


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "text/html"})
    sized: bool = True
    """Send Content-Length; False: the body ends when the connection closes."""


@dataclass
class ScriptedServer:
    """Routes by path (query ignored); unknown paths are 404. ``request_lines`` records what
    arrived, ``served`` the paths answered, in order."""

    routes: dict[str, Route] = field(default_factory=dict)
    request_lines: list[str] = field(default_factory=list)
    served: list[str] = field(default_factory=list)
    port: int = 0

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def _handler(state: ScriptedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.request_lines.append(self.requestline)
            route = state.routes.get(self.path.split("?", 1)[0], Route(404, b"not found"))
            self.send_response(route.status)
            for name, value in route.headers.items():
                self.send_header(name, value)
            if route.sized:
                self.send_header("Content-Length", str(len(route.body)))
            self.send_header("Connection", "close")
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # client stopped
                self.wfile.write(route.body)
            state.served.append(self.path)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@contextmanager
def scripted_server(routes: dict[str, Route]) -> Iterator[ScriptedServer]:
    """Serve ``routes`` on 127.0.0.1 (a free port) until the block ends."""
    state = ScriptedServer(routes=routes)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
