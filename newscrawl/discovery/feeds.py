"""RSS 2.0 and Atom feeds, parsed leniently (real feeds are often malformed) and entry by
entry: a malformed link loses that entry, not the feed."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime

from lxml import etree

from newscrawl.discovery.urls import checked_url
from newscrawl.discovery.xmlread import attribute, elements, local_name, text_of

ENTRY_TAGS = frozenset({"item", "entry"})
DATE_TAGS = ("pubdate", "published", "updated", "date")
UNDECODABLE = "<undecodable text>"
"""What ``rejected`` holds for a link lxml could not decode (a lone surrogate)."""


@dataclass(frozen=True)
class FeedEntry:
    """One feed item: its link and, when the feed gives one, its date."""

    url: str
    published: datetime | None = None


def _parse_date(text: str) -> datetime | None:
    text = text.strip()
    if not text:
        return None
    try:
        return parsedate_to_datetime(text)  # RSS: RFC 822
    except (TypeError, ValueError, IndexError):
        pass
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))  # Atom: RFC 3339
    except ValueError:
        return None


def _link(node: etree._Element) -> str | None:
    """The raw link of an item (``""``: none; None: one that cannot be decoded)."""
    link: str | None = ""
    for child in node:
        name = local_name(child.tag)
        if name == "link":
            href = attribute(child, "href")
            if href is None:
                return None
            if href and (attribute(child, "rel") or "alternate") == "alternate":
                link = href
            elif not href and not link:
                link = text_of(child)
        elif name == "guid" and not link and (attribute(child, "isPermaLink") or "true") == "true":
            guid = text_of(child)
            link = guid if guid is None or guid.startswith("http") else ""
        if link is None:
            return None
    return link


def _published(node: etree._Element) -> datetime | None:
    for child in node:
        if local_name(child.tag) in DATE_TAGS:
            published = _parse_date(text_of(child) or "")
            if published is not None:
                return published
    return None


def iter_feed(body: bytes, base_url: str, rejected: list[str] | None = None) -> Iterator[FeedEntry]:
    """Entries of an RSS or Atom feed in document order, repeated links removed, read
    incrementally. An entry whose link is malformed is skipped (its raw link added to
    ``rejected``)."""
    seen: set[str] = set()
    for node in elements(body, ENTRY_TAGS):
        link = _link(node)
        if link == "":
            continue
        url = checked_url(base_url, link) if link is not None else None
        if url is None:
            if rejected is not None:
                rejected.append(link if link is not None else UNDECODABLE)
        elif url not in seen:
            seen.add(url)
            yield FeedEntry(url, _published(node))


def parse_feed(body: bytes, base_url: str, rejected: list[str] | None = None) -> list[FeedEntry]:
    """``iter_feed`` as a list."""
    return list(iter_feed(body, base_url, rejected))
