"""The store interface and the logic every backend shares; backends only connect and
translate SQL (placeholders, types)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any

from newscrawl.storage.schema import COMPONENTS


class StoreError(RuntimeError):
    """The store cannot be opened or written; the message is one line for the user."""


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")



CONFLICTS = frozenset(("IntegrityError", "DeadlockDetected", "SerializationFailure"))
"""What two writers of one store may meet (either backend's exception names): worth a retry."""


def is_conflict(exc: BaseException) -> bool:
    """Did a write fail because another writer wrote the same rows at once?"""
    return any(cls.__name__ in CONFLICTS for cls in type(exc).__mro__)


class StoreBase(ABC):
    """Connection-level parts every backend shares: SQL dialect, transactions, migrations."""

    placeholder = "?"
    markers: Mapping[str, str] = {}
    name = "the store"
    """The store's URL as messages show it (credentials masked)."""

    # --- what a backend provides ---------------------------------------------------------
    @abstractmethod
    def transaction(self) -> AbstractContextManager[Any]:
        """A context manager yielding a cursor; commits on success, rolls back on error."""

    @abstractmethod
    def read(self) -> AbstractContextManager[Any]:
        """A cursor for reads outside any write transaction (no lock taken)."""

    @abstractmethod
    def close(self) -> None: ...

    @abstractmethod
    def _stream(self, sql: str, params: Sequence[Any]) -> Iterator[tuple[Any, ...]]:
        """Rows of a query, fetched a batch at a time (constant memory)."""

    def _lock_schema(self, cursor: Any) -> None:
        """Serialise migrations between processes opening the store at once (SQLite's write
        transaction already does)."""
        return None

    # --- SQL helpers ---------------------------------------------------------------------
    def sql(self, text: str) -> str:
        """Schema markers and ``?`` placeholders in this backend's dialect."""
        text = text.format(**self.markers) if "{" in text else text
        return text.replace("?", self.placeholder) if self.placeholder != "?" else text

    def _one(self, cursor: Any, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        cursor.execute(self.sql(sql), tuple(params))
        row = cursor.fetchone()
        return tuple(row) if row is not None else None

    # --- schema ------------------------------------------------------------------------
    def migrate(self) -> None:
        """Apply every component's migrations not yet applied, each in one transaction (a
        store of an older version opens and upgrades; a failed upgrade changes nothing)."""
        for component, migrations in list(COMPONENTS.items()):  # a thread may register one meanwhile
            with self.transaction() as cur:
                self._lock_schema(cur)
                cur.execute("CREATE TABLE IF NOT EXISTS schema_versions "
                            "(component TEXT PRIMARY KEY, version INTEGER NOT NULL)")
                row = self._one(cur, "SELECT version FROM schema_versions WHERE component = ?",
                                (component,))
                current = int(row[0]) if row else 0
                if current > len(migrations):  # written by a newer newscrawl: refuse, change nothing
                    raise StoreError(f"{self.name}: schema {component!r} is version {current}, newer than "
                                     f"version {len(migrations)} of this newscrawl (upgrade newscrawl)")
                for version, steps in enumerate(migrations[current:], start=current + 1):
                    for step in steps:
                        if isinstance(step, str):
                            cur.execute(self.sql(step))
                        else:
                            step(self, cur)
                    cur.execute(self.sql("DELETE FROM schema_versions WHERE component = ?"), (component,))
                    cur.execute(self.sql("INSERT INTO schema_versions VALUES (?, ?)"), (component, version))

    def schema_version(self, component: str = "core") -> int:
        with self.read() as cur:
            row = self._one(cur, "SELECT version FROM schema_versions WHERE component = ?", (component,))
        return int(row[0]) if row else 0
