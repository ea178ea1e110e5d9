"""Incremental crawls: which discovered article links a re-crawl fetches again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from newscrawl.dedup.urls import normalize_url
from newscrawl.sites import Site
from newscrawl.storeext import StoreExtension


async def unstored(urls: list[str], *, site: Site, store: StoreExtension, seen: set[str], window: timedelta,
                   stats: Any) -> list[str]:
    """``urls`` without the articles already stored, except those published within ``window``
    (updates are likely). ``seen`` (article keys met in this run) grows by the stored ones, so
    their slug variants are skipped without asking the store again."""
    canonical = {url: normalize_url(url, site) for url in urls}
    unseen = {c for c in canonical.values() if site.article_key(c) not in seen}
    if not unseen:  # all known in this run already: no store round trip
        return urls
    wanted = sorted(unseen)
    stored = await store.call(lambda s: s.stored_dates(wanted))
    recent = datetime.now(UTC) - window
    done = {site.article_key(c) for c, published in stored.items() if not _newer(published, recent)}
    seen.update(done)
    keep = [u for u, c in canonical.items() if site.article_key(c) not in done]
    stats.inc_value("newscrawl/articles/already_stored", len(urls) - len(keep))
    return keep


def _newer(published: str, threshold: datetime) -> bool:
    """Is an ISO publication time after ``threshold``? Unknown counts as old."""
    try:
        when = datetime.fromisoformat(published.replace("Z", "+00:00"))
    except ValueError:
        return False
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when > threshold
