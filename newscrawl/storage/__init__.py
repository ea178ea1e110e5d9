"""The store: one interface (``Store``), SQLite and PostgreSQL backends chosen by URL."""

from __future__ import annotations

from newscrawl.storage.articles import SaveOutcome
from newscrawl.storage.base import StoreError
from newscrawl.storage.pending import PendingRequest
from newscrawl.storage.schema import register
from newscrawl.storage.store import Store

__all__ = ["PendingRequest", "SaveOutcome", "Store", "StoreError", "open_store", "register"]


def open_store(url: str) -> Store:
    """``sqlite:///path`` (relative), ``sqlite:////abs/path`` or ``postgresql://...``;
    the schema is created or upgraded on open."""
    if url.startswith("sqlite:///"):
        from newscrawl.storage.sqlite import SQLiteStore

        return SQLiteStore(url.removeprefix("sqlite:///"))
    if url.startswith(("postgresql://", "postgres://")):
        from newscrawl.storage.postgres import PostgresStore

        return PostgresStore(url)
    raise StoreError(f"{url!r}: unknown store URL (use sqlite:///path or postgresql://...)")
