"""Limits of one crawl: ``--max-articles N`` and ``--since DATE``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

# A date in a URL path: /2026/08/15/ or /2026-08-15/ (most news sites put one there).
URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-](\d{1,2})[/-](\d{1,2})(?:/|$)")


def parse_since(value: str) -> date | None:
    """``--since`` as a date: ``YYYY-MM-DD`` (a full ISO timestamp is accepted too)."""
    value = value.strip()
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).date() if "T" in value else date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"--since {value!r}: expected a date like 2026-08-15") from None


@dataclass(frozen=True)
class CrawlBounds:
    """When a crawl stops (``max_articles``; 0 = unbounded) and what it skips (``since``)."""

    max_articles: int = 0
    since: date | None = None

    def url_too_old(self, url: str) -> bool:
        """True when the URL carries a date and it is before ``since``."""
        if self.since is None:
            return False
        match = URL_DATE.search(url)
        if not match:
            return False
        try:
            return date(*map(int, match.groups())) < self.since
        except ValueError:
            return False

    def published_too_old(self, published: str | datetime | None) -> bool:
        """True when a publication time (ISO string or datetime) falls on a day before ``since``,
        in the article's own time zone (as the date in its URL would)."""
        if self.since is None or not published:
            return False
        if isinstance(published, str):
            try:
                published = datetime.fromisoformat(published.replace("Z", "+00:00"))
            except ValueError:
                return False
        return published.date() < self.since  # the article's own calendar date, as in its URL

    def reached(self, count: int) -> bool:
        """True when ``count`` articles reach ``max_articles``."""
        return bool(self.max_articles) and count >= self.max_articles
