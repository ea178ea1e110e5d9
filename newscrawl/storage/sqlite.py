"""SQLite backend: one file, WAL mode, explicit transactions."""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from newscrawl.storage.base import StoreError
from newscrawl.storage.faults import StoreUnreachable, classify
from newscrawl.storage.store import Store

OPEN_TIMEOUT = 30.0
"""Seconds a writer waits for another one's lock (SQLite's busy timeout)."""


def wal_mode(connection: sqlite3.Connection, timeout: float) -> None:
    """Switch to WAL mode. SQLite does not wait on its busy timeout for this switch: a file
    that another process is creating (two crawls or workers started at once on a new store)
    answers "database is locked" at once, so the switch is tried again, for up to
    ``timeout`` seconds (once one process switched, the mode is the file's)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(random.uniform(0.005, 0.05))  # the other process is mid-switch: milliseconds


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
                                              timeout=OPEN_TIMEOUT)
            wal_mode(self.connection, OPEN_TIMEOUT)
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
