"""Reading an HTTP/1.1 response off a stream: the head, then a body bounded in size.

The bound holds for the decoded body: a gzip or deflate body is inflated as it arrives, never
more than ``limit`` bytes at a time (a 1 MB gzip bomb inflates to 1 GB), and reading stops
there. The bytes on the wire are bounded by the same limit.
"""

from __future__ import annotations

import asyncio
import zlib
from collections.abc import Callable

CHUNK = 65536
COMPRESSED = frozenset(("gzip", "x-gzip", "deflate"))


class ProtocolError(Exception):
    """The peer did not answer in HTTP/1.x."""


class BoundedBody:
    """A response body kept up to ``limit`` bytes, decoded (gzip, deflate) as it arrives;
    ``truncated`` once more was sent (decoded, or on the wire) than the limit."""

    def __init__(self, encoding: str, limit: int):
        self.limit, self.data, self.truncated, self.wire_bytes = limit, bytearray(), False, 0
        compressed = encoding.strip().lower() in COMPRESSED
        self._inflater = zlib.decompressobj(zlib.MAX_WBITS | 32) if compressed else None
        self._corrupt = False

    def feed(self, chunk: bytes) -> None:
        """Add bytes read off the wire."""
        self.wire_bytes += len(chunk)
        if self._inflater is not None:
            self._inflate(chunk)
        elif not self._corrupt:
            self._keep(chunk)
        if self.wire_bytes > self.limit:
            self.truncated = True

    def _inflate(self, chunk: bytes) -> None:
        assert self._inflater is not None
        pending = chunk
        while pending and not self.truncated and not self._inflater.eof:
            try:  # one byte more than there is room for tells that the body goes on
                out = self._inflater.decompress(pending, self.limit - len(self.data) + 1)
            except zlib.error:  # not compressed after all: kept as it came; corrupt: cut here
                self._inflater, self._corrupt = None, bool(self.data)
                if not self._corrupt:
                    self._keep(pending)
                return
            self._keep(out)
            pending = self._inflater.unconsumed_tail

    def _keep(self, data: bytes) -> None:
        room = self.limit - len(self.data)
        if len(data) > room:
            data, self.truncated = data[:room], True
        self.data += data


async def read_head(reader: asyncio.StreamReader,
                    on_first_byte: Callable[[], None]) -> tuple[int, dict[str, str]]:
    """Status code and lower-cased headers (repeated ones joined with ``, ``)."""
    first = await reader.readexactly(1)
    on_first_byte()
    try:
        head = first + await reader.readuntil(b"\r\n\r\n")
    except asyncio.LimitOverrunError:
        raise ProtocolError("response head too long") from None
    lines = head.decode("latin-1").split("\r\n")
    version, _, rest = lines[0].partition(" ")
    code = rest[:3]
    if not version.startswith("HTTP/1.") or not code.isdigit():
        raise ProtocolError(f"not an HTTP/1.x status line: {lines[0][:80]!r}")
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if sep:
            key = name.strip().lower()
            headers[key] = f"{headers[key]}, {value.strip()}" if key in headers else value.strip()
    return int(code), headers


async def _read_chunked(reader: asyncio.StreamReader, sink: BoundedBody) -> None:
    while not sink.truncated:
        try:
            size_line = await reader.readuntil(b"\r\n")
            size = int(size_line.split(b";")[0].strip(), 16)
        except asyncio.LimitOverrunError:
            raise ProtocolError("chunk size line too long") from None
        except ValueError:
            raise ProtocolError("bad chunk size") from None
        if size == 0:
            return
        await _read_sized(reader, size, sink)
        if not sink.truncated:
            await reader.readexactly(2)


async def _read_sized(reader: asyncio.StreamReader, size: int, sink: BoundedBody) -> None:
    """``size`` bytes in pieces (never one buffer of a declared size), or until ``sink`` is full."""
    remaining = size
    while remaining and not sink.truncated:
        chunk = await reader.read(min(CHUNK, remaining))
        if not chunk:
            raise asyncio.IncompleteReadError(bytes(sink.data), size)
        remaining -= len(chunk)
        sink.feed(chunk)


async def _read_to_eof(reader: asyncio.StreamReader, sink: BoundedBody) -> None:
    while not sink.truncated:
        chunk = await reader.read(CHUNK)
        if not chunk:
            return
        sink.feed(chunk)


async def read_body(reader: asyncio.StreamReader, status: int, headers: dict[str, str],
                    limit: int) -> BoundedBody:
    """The body after the head (chunked, sized by Content-Length, or up to EOF), decoded from
    gzip/deflate as it arrives; reading stops once ``limit`` bytes are kept (``truncated``).
    A connection closed before a declared length raises ``asyncio.IncompleteReadError``."""
    sink = BoundedBody(headers.get("content-encoding", ""), limit)
    if status < 200 or status in (204, 304):
        return sink
    if "chunked" in headers.get("transfer-encoding", "").lower():
        await _read_chunked(reader, sink)
    elif (length := headers.get("content-length", "").strip()).isdigit():
        await _read_sized(reader, int(length), sink)
    else:
        await _read_to_eof(reader, sink)
    return sink
