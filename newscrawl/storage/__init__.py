"""The store: one interface (``Store``), SQLite and PostgreSQL backends chosen by URL."""

from __future__ import annotations

from newscrawl.storage.articles import SaveOutcome
from newscrawl.storage.base import StoreError
from newscrawl.storage.pending import PendingRequest
from newscrawl.storage.schema import register
from newscrawl.storage.stats import SiteCount, StoreStats
from newscrawl.storage.store import Store

__all__ = ["PendingRequest", "SaveOutcome", "SiteCount", "Store", "StoreError", "StoreStats",
           "open_store", "register", "store_url"]

DEFAULT_STORE = "sqlite:///output/newscrawl.db"


def store_url(value: str) -> str:
    """A store URL from what a user typed: a plain path (``output/x.db``, ``/abs/x.db``) is a
    SQLite file (``sqlite:///output/x.db``, ``sqlite:////abs/x.db``); a URL is kept."""
    return value if "://" in value or not value else f"sqlite:///{value}"


def open_store(url: str = DEFAULT_STORE) -> Store:
    """``sqlite:///relative/path``, ``sqlite:////absolute/path``, a plain path of a SQLite
    file, or ``postgresql://...``; the schema is created or upgraded on open. Raises
    ``StoreError`` (one line) when the URL is unknown or the store cannot be opened."""
    url = store_url(url)
    if url.startswith("sqlite:///") and len(url) > len("sqlite:///"):
        from newscrawl.storage.sqlite import SQLiteStore

        return SQLiteStore(url.removeprefix("sqlite:///"))
    if url.startswith(("postgresql://", "postgres://")):
        from newscrawl.storage.postgres import PostgresStore

        return PostgresStore(url)
    raise StoreError(f"{url!r}: unknown store URL (use sqlite:///path or postgresql://...)")
