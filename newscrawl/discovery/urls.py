"""Links found in pages, checked one by one: a malformed one is skipped, never the page."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

SCHEMES = ("http", "https")
ABSOLUTE = ("http://", "https://")
NOT_LINKS = ("javascript:", "mailto:", "tel:", "data:", "#")


def checked_url(base_url: str, href: str) -> str | None:
    """``href`` resolved against ``base_url`` when it is a usable http(s) URL (a host, a
    valid port, encodable text: what ``scrapy.Request`` accepts); None otherwise."""
    href = href.strip()
    try:
        url = href if href.startswith(ABSOLUTE) else urljoin(base_url, href)  # a feed's are absolute
        parts = urlsplit(url)
        _ = parts.port  # ValueError for a port out of range or not a number
        url.encode("utf-8")  # UnicodeEncodeError for a lone surrogate
    except (ValueError, UnicodeError):  # urlsplit: "Invalid IPv6 URL" for "http://[oops"
        return None
    if parts.scheme.lower() not in SCHEMES or not parts.hostname:
        return None
    return url


def is_link(href: str) -> bool:
    """False for empty hrefs and those that never name a page (``javascript:``, ``#top``)."""
    href = href.strip()
    return bool(href) and not href.lower().startswith(NOT_LINKS)
