"""HTTP responses as bytes: the site's pages, errors and the fault pages of each mode."""

from __future__ import annotations

import hashlib
import time
from email.utils import formatdate
from http import HTTPStatus

from newscrawl.testing.mocksite import faultpages
from newscrawl.testing.mocksite.modes import Mode

HTML = b"text/html; charset=utf-8"
_TYPES = {".xml": b"application/xml; charset=utf-8", ".txt": b"text/plain; charset=utf-8"}
_NOT_FOUND = (b"<!DOCTYPE html><html><head><title>Page not found - PressTV</title></head><body>"
              b"<h1>404</h1><p>The page you are looking for does not exist on PressTV.</p></body></html>")
_date_cache: tuple[int, bytes] = (0, b"")


def http_date() -> bytes:
    """The ``Date`` header value, formatted once per second."""
    global _date_cache
    now = int(time.time())
    if _date_cache[0] != now:
        _date_cache = (now, formatdate(now, usegmt=True).encode())
    return _date_cache[1]


def content_type(path: str) -> bytes:
    """The content type of a site path (HTML unless it ends in .xml or .txt)."""
    dot = path.rfind(".")
    return _TYPES.get(path[dot:], HTML) if dot > path.rfind("/") else HTML


def head(status: int, length: int, ctype: bytes = HTML, keep_alive: bool = True,
         extra: tuple[tuple[bytes, bytes], ...] = (), server: bytes = b"nginx") -> bytes:
    """Status line and headers of a response with a ``Content-Length`` body."""
    reason = HTTPStatus(status).phrase.encode() if status in HTTPStatus._value2member_map_ else b"Unknown"
    lines = [b"HTTP/1.1 %d %s" % (status, reason), b"Server: " + server, b"Date: " + http_date(),
             b"Content-Type: " + ctype, b"Content-Length: %d" % length,
             b"Connection: keep-alive" if keep_alive else b"Connection: close"]
    lines += [name + b": " + value for name, value in extra]
    return b"\r\n".join(lines) + b"\r\n\r\n"


def site_response(page: bytes | None, path: str, keep_alive: bool,
                  encoding: bytes | None = None) -> tuple[bytes, bytes]:
    """(head, body) of a site page (stored with ``encoding``: its ``Content-Encoding``), or
    of the 404 page when ``page`` is None."""
    if page is None:
        return head(404, len(_NOT_FOUND), HTML, keep_alive), _NOT_FOUND
    extra = ((b"Content-Encoding", encoding),) if encoding else ()
    return head(200, len(page), content_type(path), keep_alive, extra), page


def fault_response(mode: Mode, host: str, keep_alive: bool) -> tuple[bytes, bytes]:
    """(head, body) of a mode that answers with something other than the site."""
    name, server = mode.name, b"nginx"
    extra: tuple[tuple[bytes, bytes], ...] = ()
    status = 200
    if name == "http_5xx":
        status, text = mode["status"], f"<html><body><h1>{mode['status']}</h1></body></html>"
        if mode["retry_after"] is not None:
            extra = ((b"Retry-After", str(mode["retry_after"]).encode()),)
    elif name == "http_4xx":
        status, text = mode["status"], f"<html><body><h1>{mode['status']}</h1></body></html>"
    elif name == "seized":
        text = faultpages.seized_page(host)
    elif name == "parked":
        text, server = faultpages.parked_page(host, mode["style"]), b"Apache"
    elif name == "challenge":
        status, text, server = 403, faultpages.challenge_page(host), b"cloudflare"
        ray = hashlib.sha1(f"{host}{time.time()}".encode()).hexdigest()[:16]
        extra = ((b"cf-mitigated", b"challenge"), (b"cf-ray", ray.encode() + b"-FRA"),
                 (b"Cache-Control", b"private, max-age=0, no-store, no-cache, must-revalidate"))
    elif name == "blockpage":
        text = faultpages.block_page(mode["style"])
        status = mode["status"] or faultpages.BLOCK_STATUS[mode["style"]]
    elif name == "offsite_redirect":
        status, text = mode["status"], "<html><body>Moved</body></html>"
        extra = ((b"Location", str(mode["location"]).encode()),)
    elif name == "wrong_site":
        text = faultpages.wrong_site_page(mode["style"])
    else:
        raise ValueError(f"mode {name!r} does not answer with a page")
    body = text.encode("utf-8")
    return head(status, len(body), HTML, keep_alive, extra, server), body


PAGE_MODES = frozenset({"http_5xx", "http_4xx", "seized", "parked", "challenge", "blockpage",
                        "offsite_redirect", "wrong_site"})
