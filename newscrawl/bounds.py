"""Limits of one crawl: ``--max-articles N`` and ``--since DATE``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Protocol

# A date in a URL path: /2026/08/15/ or /2026-08-15/ (most news sites put one there).
URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-](\d{1,2})[/-](\d{1,2})(?:/|$)")


# A relative --since: a number of hours, days or weeks back from now (UTC): 12h, 7d, 2w.
RELATIVE = re.compile(r"(\d{1,5})\s*([hdw])", re.IGNORECASE)
UNIT_HOURS = {"h": 1, "d": 24, "w": 24 * 7}


def parse_since(value: str, now: datetime | None = None) -> date | None:
    """``--since`` as a date: ``YYYY-MM-DD`` (a full ISO timestamp is accepted too), or an age
    back from ``now`` (UTC): ``12h``, ``7d``, ``2w`` (a scheduled crawl's moving window)."""
    value = value.strip()
    if not value:
        return None
    relative = RELATIVE.fullmatch(value)
    if relative:
        hours = int(relative.group(1)) * UNIT_HOURS[relative.group(2).lower()]
        return ((now or datetime.now(UTC)) - timedelta(hours=hours)).date()
    try:
        return datetime.fromisoformat(value).date() if "T" in value else date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"--since {value!r}: expected a date like 2026-08-15 "
                         "or an age like 12h, 7d, 2w") from None


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


class ArticleBudget(Protocol):
    """How many articles the crawl may still yield (``--max-articles``): this process's own
    count, or the whole crawl's when several workers share it (``newscrawl.distributed``)."""

    def reached(self) -> bool:
        """True once the crawl has all the articles it wants."""

    def take(self) -> bool:
        """Count one article going out; False (nothing counted) when the limit was reached."""


class LocalBudget:
    """The articles this process yielded, against ``bounds.max_articles``."""

    def __init__(self, bounds: CrawlBounds):
        self.bounds = bounds
        self.count = 0

    def reached(self) -> bool:
        return self.bounds.reached(self.count)

    def take(self) -> bool:
        if self.reached():
            return False
        self.count += 1
        return True
