"""XML sitemaps and sitemap indexes (plain or gzipped), read entry by entry: a malformed
``<loc>`` loses that entry, not the sitemap."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from newscrawl.discovery.feeds import UNDECODABLE
from newscrawl.discovery.urls import checked_url
from newscrawl.discovery.xmlread import elements, local_name, text_of

MAX_SITEMAP_BYTES = 50 * 1024 * 1024  # the sitemap protocol's own limit
CHUNK = 1024  # of compressed input per step: damage loses at most what this one inflates to
ENTRY_TAGS = frozenset({"url", "sitemap"})


@dataclass(frozen=True)
class SitemapEntry:
    """One ``<loc>``: a page (with its lastmod when given) or, in an index, a nested sitemap."""

    url: str
    lastmod: datetime | None = None
    is_sitemap: bool = False


@dataclass
class SitemapEntries:
    """What a sitemap lists: page URLs (with lastmod when given) and nested sitemaps."""

    pages: list[tuple[str, datetime | None]] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)


def _date(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def _unzip(body: bytes) -> bytes:
    """A gzipped sitemap inflated, at most ``MAX_SITEMAP_BYTES``; a damaged or truncated one
    up to the damage (the entries before it are still read)."""
    if body[:2] != b"\x1f\x8b":
        return body
    inflate = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    out: list[bytes] = []
    size = 0
    try:
        for start in range(0, len(body), CHUNK):
            piece = inflate.decompress(body[start:start + CHUNK], MAX_SITEMAP_BYTES - size)
            out.append(piece)
            size += len(piece)
            if size >= MAX_SITEMAP_BYTES or inflate.eof:
                break
    except zlib.error:
        pass
    return b"".join(out)


# Not scrapy.utils.sitemap.Sitemap (Scrapy 2.19, checked): it raises on an empty or non-XML
# body (XMLSyntaxError, StopIteration in __init__) and on one undecodable <loc> (&#xD800;:
# UnicodeDecodeError, the whole sitemap lost), reads <URL>/<LOC> as nothing (case-sensitive),
# and leaves gzip and the size bound to SitemapSpider. Here each of those is one rejected
# entry or an empty result, never a crash.
def iter_sitemap(body: bytes, base_url: str, rejected: list[str] | None = None) -> Iterator[SitemapEntry]:
    """Entries of a ``urlset`` or ``sitemapindex`` in document order, read incrementally;
    an entry whose ``<loc>`` is malformed is skipped (its raw value added to ``rejected``)."""
    for node in elements(_unzip(body), ENTRY_TAGS):
        values: dict[str, str | None] = {}
        for child in node:
            values.setdefault(local_name(child.tag), text_of(child))
        if "loc" not in values or values["loc"] == "":
            continue
        loc = values["loc"]
        url = checked_url(base_url, loc) if loc is not None else None
        if url is None:
            if rejected is not None:
                rejected.append(loc if loc is not None else UNDECODABLE)
            continue
        yield SitemapEntry(url, _date(values.get("lastmod")), local_name(node.tag) == "sitemap")


def parse_sitemap(body: bytes, base_url: str, rejected: list[str] | None = None) -> SitemapEntries:
    """``iter_sitemap`` as lists of pages and nested sitemaps; malformed input yields what it can."""
    result = SitemapEntries()
    for entry in iter_sitemap(body, base_url, rejected):
        if entry.is_sitemap:
            result.sitemaps.append(entry.url)
        else:
            result.pages.append((entry.url, entry.lastmod))
    return result
