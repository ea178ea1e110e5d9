"""A minimal, fast HTTP/1.1 server connection (asyncio protocol) with keep-alive.

Parsing stops at what the mock site needs: request line, headers, a ``Content-Length``
body to skip. What to answer is up to the handler, which may also hold the connection
(never answer), answer later, or cut it with a TCP reset.
"""

from __future__ import annotations

import asyncio
import socket
import struct
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

MAX_HEAD = 64 * 1024
_BAD_REQUEST = (b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")


@dataclass(frozen=True)
class Request:
    """One parsed request."""

    method: str
    target: str
    host: str
    keep_alive: bool


class Handler(Protocol):
    def handle(self, connection: HttpConnection, request: Request) -> None: ...


class HttpConnection(asyncio.Protocol):
    """One client connection: parses requests in order, one answer at a time."""

    def __init__(self, handler: Handler, registry: set[HttpConnection]) -> None:
        self.handler = handler
        self.registry = registry
        self.buffer = bytearray()
        self.busy = False
        self.closed = False
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.registry.add(self)

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self.registry.discard(self)

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        self.process()

    def process(self) -> None:
        """Handle every complete request in the buffer, unless an answer is pending."""
        while not self.busy and not self.closed:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                if len(self.buffer) > MAX_HEAD:
                    self.send(_BAD_REQUEST, keep_alive=False)
                return
            request, length = self._parse(bytes(self.buffer[:end]).decode("latin-1"))
            if request is None or len(self.buffer) < end + 4 + length:
                if request is None:
                    self.send(_BAD_REQUEST, keep_alive=False)
                return
            del self.buffer[: end + 4 + length]
            self.handler.handle(self, request)

    @staticmethod
    def _parse(head: str) -> tuple[Request | None, int]:
        lines = head.split("\r\n")
        parts = lines[0].split(" ")
        if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
            return None, 0
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        connection = headers.get("connection", "").lower()
        keep = connection != "close" if parts[2] == "HTTP/1.1" else connection == "keep-alive"
        length = headers.get("content-length", "0")
        request = Request(parts[0], parts[1], headers.get("host", ""), keep)
        return request, int(length) if length.isdigit() else 0

    def send(self, data: bytes, keep_alive: bool) -> None:
        """Write a whole response; close afterwards unless ``keep_alive``."""
        if self.closed or self.transport is None:
            return
        self.transport.write(data)
        if not keep_alive:
            self.close()

    def hold(self) -> None:
        """Stop answering (until ``resume``): later requests wait in the buffer."""
        self.busy = True

    def resume(self) -> None:
        self.busy = False
        self.process()

    def answer_held(self, answer: Callable[[], None]) -> None:
        """Answer a held request now (``answer`` may hold again), then go on with the buffer."""
        self.busy = False
        answer()
        if not self.busy:
            self.process()

    def close(self) -> None:
        """Close cleanly (pending output is flushed first)."""
        self.closed = True
        if self.transport is not None:
            self.transport.close()

    def reset(self) -> None:
        """Abort with a TCP RST (SO_LINGER 0), discarding anything unsent."""
        if self.transport is None or self.transport.is_closing():
            return
        sock = self.transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.closed = True
        self.transport.abort()
