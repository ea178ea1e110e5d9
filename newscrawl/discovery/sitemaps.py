"""XML sitemaps and sitemap indexes (plain or gzipped)."""

from __future__ import annotations

import gzip
import io
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urljoin

from lxml import etree

MAX_SITEMAP_BYTES = 50 * 1024 * 1024  # the sitemap protocol's own limit


@dataclass
class SitemapEntries:
    """What a sitemap lists: page URLs (with lastmod when given) and nested sitemaps."""

    pages: list[tuple[str, datetime | None]] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)


def _date(text: str | None) -> datetime | None:
    if not text or not text.strip():
        return None
    try:
        return datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None


def _unzip(body: bytes) -> bytes:
    if body[:2] != b"\x1f\x8b":
        return body
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(body)) as stream:
            return stream.read(MAX_SITEMAP_BYTES)
    except (OSError, EOFError):
        return b""


def parse_sitemap(body: bytes, base_url: str) -> SitemapEntries:
    """Entries of a ``urlset`` or ``sitemapindex``; malformed input yields what it can."""
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True)
    try:
        root = etree.fromstring(_unzip(body).strip() or b"<x/>", parser)
    except etree.XMLSyntaxError:
        return SitemapEntries()
    result = SitemapEntries()
    if root is None:
        return result
    is_index = root.tag.rsplit("}", 1)[-1] == "sitemapindex"
    for node in root:
        values = {str(c.tag).rsplit("}", 1)[-1]: (c.text or "").strip() for c in node}
        loc = values.get("loc")
        if not loc:
            continue
        url = urljoin(base_url, loc)
        if is_index:
            result.sitemaps.append(url)
        else:
            result.pages.append((url, _date(values.get("lastmod"))))
    return result
