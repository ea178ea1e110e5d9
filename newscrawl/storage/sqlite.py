"""SQLite backend: one file, WAL mode, explicit transactions."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from newscrawl.storage.base import StoreError
from newscrawl.storage.faults import StoreUnreachable, classify
from newscrawl.storage.store import Store


class SQLiteStore(Store):
    """``sqlite:///relative/path.db`` or ``sqlite:////absolute/path.db``."""

    markers = {"id": "INTEGER PRIMARY KEY AUTOINCREMENT", "bigint": "INTEGER", "blob": "BLOB",
               "lock": ""}  # BEGIN IMMEDIATE: one writer at a time already

    def __init__(self, path: str):
        self.path = path
        self.name = f"sqlite:///{path}"
        try:
            if path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            self.connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False,
                                              timeout=30)
            self.connection.execute("PRAGMA journal_mode=WAL")
            self.connection.execute("PRAGMA synchronous=NORMAL")
            self.migrate()
        except (OSError, sqlite3.Error) as exc:
            error = StoreUnreachable if classify(exc) == "retry" else StoreError  # locked: try later
            raise error(f"{self.name}: cannot open the store ({exc})") from None

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Cursor]:
        cursor = self.connection.cursor()
        cursor.execute("BEGIN IMMEDIATE")
        try:
            yield cursor
        except BaseException:
            self.connection.rollback()
            raise
        else:
            cursor.execute("COMMIT")
        finally:
            cursor.close()

    @contextmanager
    def read(self) -> Iterator[sqlite3.Cursor]:
        cursor = self.connection.cursor()
        try:
            yield cursor
        finally:
            cursor.close()

    def _stream(self, sql: str, params: Sequence[Any]) -> Iterator[tuple[Any, ...]]:
        with self.read() as cursor:
            cursor.execute(self.sql(sql), tuple(params))
            while rows := cursor.fetchmany(500):
                yield from rows

    def close(self) -> None:
        self.connection.close()
