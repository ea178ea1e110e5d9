"""RSS 2.0 and Atom feeds, parsed leniently: real feeds are often malformed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin

from lxml import etree


@dataclass(frozen=True)
class FeedEntry:
    """One feed item: its link and, when the feed gives one, its date."""

    url: str
    published: datetime | None = None


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


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


def _entry(node: etree._Element, base_url: str) -> FeedEntry | None:
    link = ""
    published: datetime | None = None
    for child in node:
        name = _local(child.tag)
        if name == "link":
            href = child.get("href")
            if href and child.get("rel", "alternate") == "alternate":
                link = href
            elif not href and (child.text or "").strip():
                link = (child.text or "").strip()
        elif name == "guid" and not link and child.get("isPermaLink", "true") == "true":
            link = (child.text or "").strip() if (child.text or "").startswith("http") else ""
        elif name in ("pubdate", "published", "updated", "date") and published is None:
            published = _parse_date(child.text or "")
    return FeedEntry(urljoin(base_url, link.strip()), published) if link.strip() else None


def parse_feed(body: bytes, base_url: str) -> list[FeedEntry]:
    """Entries of an RSS or Atom feed in document order, repeated links removed."""
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(body.strip() or b"<x/>", parser)
    except etree.XMLSyntaxError:
        return []
    if root is None:
        return []
    entries: list[FeedEntry] = []
    seen: set[str] = set()
    for node in root.iter():
        if _local(node.tag) in ("item", "entry"):
            entry = _entry(node, base_url)
            if entry and entry.url not in seen:
                seen.add(entry.url)
                entries.append(entry)
    return entries
