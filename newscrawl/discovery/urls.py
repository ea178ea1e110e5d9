"""Links found in pages, checked one by one: a malformed one is skipped, never the page."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from w3lib.url import safe_url_string

SCHEMES = ("http", "https")
NOT_LINKS = ("javascript:", "mailto:", "tel:", "data:", "#")


def checked_url(base_url: str, href: str) -> str | None:
    """``href`` resolved against ``base_url`` when it is a usable http(s) URL (a host, a
    valid port, encodable text, something a request can be made of); None otherwise."""
    try:
        url = urljoin(base_url, href.strip())
        parts = urlsplit(url)
        _ = parts.port  # ValueError for a port out of range or not a number
        url.encode("utf-8")  # UnicodeEncodeError for a lone surrogate
        safe_url_string(url)  # what scrapy.Request does with it: an IDNA host that fails, ...
    except (ValueError, UnicodeError):
        return None
    if parts.scheme.lower() not in SCHEMES or not parts.hostname:
        return None
    return url


def is_link(href: str) -> bool:
    """False for empty hrefs and those that never name a page (``javascript:``, ``#top``)."""
    href = href.strip()
    return bool(href) and not href.lower().startswith(NOT_LINKS)
