"""The whole store interface: what every backend is."""

from __future__ import annotations

from newscrawl.storage.articles import ArticleStore
from newscrawl.storage.duplicates import DuplicateStore
from newscrawl.storage.keys import KeyStore
from newscrawl.storage.pending import PendingStore
from newscrawl.storage.runs import RunStore
from newscrawl.storage.stats import StatsStore


class Store(ArticleStore, DuplicateStore, KeyStore, PendingStore, RunStore, StatsStore):
    """Articles (one row per canonical URL, every revision kept), duplicates recorded, crawl runs,
    pending requests."""
