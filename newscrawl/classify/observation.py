"""What any HTTP client saw for one request: the input of ``classify_response``."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from newscrawl.decoding import decode, header_encoding

BODY_LIMIT = 64 * 1024
"""Bytes of the body that fingerprints inspect: block and challenge pages are small."""

_TITLE = re.compile(r"<title[^>]*>(.*?)</title", re.IGNORECASE | re.DOTALL)


def _text(value: str | bytes) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else str(value)


class HeaderMap(Mapping[str, tuple[str, ...]]):
    """Case-insensitive, read-only header mapping: name -> all its values, as str."""

    def __init__(self, items: Iterable[tuple[str | bytes, Iterable[str | bytes]]] = ()):
        self._data: dict[str, tuple[str, ...]] = {}
        for name, values in items:
            key = _text(name).lower()
            self._data[key] = self._data.get(key, ()) + tuple(_text(v) for v in values)

    @classmethod
    def from_dict(cls, headers: Mapping[str, Any]) -> HeaderMap:
        """From a plain dict whose values are a str/bytes or a list of them."""
        return cls((k, [v] if isinstance(v, str | bytes) else v) for k, v in headers.items())

    @classmethod
    def from_scrapy(cls, headers: Any) -> HeaderMap:
        """From Scrapy ``Headers`` (bytes names, lists of bytes values)."""
        return cls((name, headers.getlist(name)) for name in headers)

    def first(self, name: str, default: str = "") -> str:
        values = self._data.get(name.lower(), ())
        return values[0] if values else default

    def __getitem__(self, name: str) -> tuple[str, ...]:
        return self._data[name.lower()]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._data

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return f"HeaderMap({self._data!r})"


@dataclass(frozen=True)
class Observation:
    """One response as seen by any client: final URL, status, headers, (truncated) body."""

    url: str
    """Final URL, after redirects."""
    status: int
    headers: HeaderMap = field(default_factory=HeaderMap)
    """Accepts any mapping or Scrapy ``Headers``; stored as a ``HeaderMap``."""
    body: bytes = b""
    redirect_urls: tuple[str, ...] = ()
    """URLs followed before ``url``; the first is the requested one (empty: no redirect known)."""
    title: str | None = None
    """The page title when the client knows it; else derived from the body (``page_title``)."""

    def __post_init__(self) -> None:
        if not isinstance(self.headers, HeaderMap):
            headers: Any = self.headers
            scrapy_like = hasattr(headers, "getlist")
            converted = HeaderMap.from_scrapy(headers) if scrapy_like else HeaderMap.from_dict(headers)
            object.__setattr__(self, "headers", converted)
        object.__setattr__(self, "redirect_urls", tuple(self.redirect_urls))

    @classmethod
    def from_scrapy(cls, response: Any) -> Observation:
        """From a Scrapy ``Response`` (uses ``redirect_urls`` meta and the request URL)."""
        request = getattr(response, "request", None)
        meta = response.meta if request is not None else {}
        hops = tuple(meta.get("redirect_urls", ()))
        if not hops and request is not None and request.url != response.url:
            hops = (request.url,)
        headers = HeaderMap.from_scrapy(response.headers)
        return cls(response.url, response.status, headers, response.body, hops)

    @property
    def requested_url(self) -> str:
        return self.redirect_urls[0] if self.redirect_urls else self.url

    @cached_property
    def charset(self) -> str | None:
        """The Content-Type header's charset (as extraction reads it), None without one."""
        return header_encoding(self.headers.first("content-type"))

    @cached_property
    def _decoded(self) -> tuple[str, str]:
        return decode(self.body[:BODY_LIMIT], self.charset)  # extraction's one decoding path

    @property
    def encoding(self) -> str:
        """The encoding the body is read in (header, BOM, ``<meta charset>``, sniffed)."""
        return self._decoded[1]

    @property
    def body_text(self) -> str:
        """The first ``BODY_LIMIT`` bytes decoded leniently (never raises)."""
        return self._decoded[0]

    @cached_property
    def page_title(self) -> str:
        """``title`` when given, else the first ``<title>`` of the body, whitespace collapsed."""
        if self.title is not None:
            return self.title
        match = _TITLE.search(self.body_text)
        return " ".join(html.unescape(match.group(1)).split()) if match else ""

    @cached_property
    def _folded_body(self) -> str:
        return self.body_text.casefold()

    def folded(self, location: str) -> str:
        """The casefolded text a fingerprint at ``location`` (body, title, final_url) reads."""
        if location == "body":
            return self._folded_body
        return (self.page_title if location == "title" else self.url).casefold()

    def full_text(self) -> str:
        """The whole body decoded leniently (for site markers, which may sit in the footer)."""
        return self.body.decode(self.encoding, errors="replace")
