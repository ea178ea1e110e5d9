"""Reading an HTTP/1.1 response off a stream: the head, then a body bounded in size."""

from __future__ import annotations

import asyncio
from collections.abc import Callable


class ProtocolError(Exception):
    """The peer did not answer in HTTP/1.x."""


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


async def _read_chunked(reader: asyncio.StreamReader, limit: int) -> bytes:
    body = bytearray()
    while len(body) < limit:
        size_line = await reader.readuntil(b"\r\n")
        try:
            size = int(size_line.split(b";")[0].strip(), 16)
        except ValueError:
            raise ProtocolError("bad chunk size") from None
        if size == 0:
            break
        body += await reader.readexactly(size)
        await reader.readexactly(2)
    return bytes(body[:limit])


async def _read_to_eof(reader: asyncio.StreamReader, limit: int) -> bytes:
    body = bytearray()
    while len(body) < limit:
        chunk = await reader.read(min(65536, limit - len(body)))
        if not chunk:
            break
        body += chunk
    return bytes(body)


async def read_body(reader: asyncio.StreamReader, status: int, headers: dict[str, str],
                    limit: int) -> bytes:
    """The body after the head: chunked, sized by Content-Length, or up to EOF; at most
    ``limit`` bytes. A connection closed before a declared length raises
    ``asyncio.IncompleteReadError``."""
    if status < 200 or status in (204, 304):
        return b""
    if "chunked" in headers.get("transfer-encoding", "").lower():
        return await _read_chunked(reader, limit)
    length = headers.get("content-length", "")
    if length.strip().isdigit():
        return await reader.readexactly(min(int(length), limit))
    return await _read_to_eof(reader, limit)
