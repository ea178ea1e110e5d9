"""What a failed store call means: try again, reconnect first, or give up at once.

- ``retry``: the store is busy (SQLite ``database is locked``, a PostgreSQL deadlock or
  serialisation failure, too many connections); the same connection works a moment later.
- ``reconnect``: the connection is lost (PostgreSQL restarted, the server is starting up or
  unreachable for now); open a new one, then try again.
- ``fatal``: trying again cannot help (disk full, a corrupted file, a bug); the store is gone
  for this crawl.
"""

from __future__ import annotations

import sqlite3
from typing import Literal

from newscrawl.storage.base import StoreError

Fault = Literal["retry", "reconnect", "fatal"]

SQLITE_BUSY = ("database is locked", "database table is locked", "database is busy")
PG_RETRY_STATES = ("40001", "40P01", "53300", "55P03")  # serialisation, deadlock, connections, lock
PG_FATAL_CLASSES = ("53100", "53200", "58030", "XX001", "XX002")  # disk full, memory, I/O, corrupted


class StoreUnreachable(StoreError):
    """The store cannot be reached now (its server is down or restarting): worth retrying."""


class StoreFailed(StoreError):
    """The store is gone for this crawl: retries exhausted, or a fault retrying cannot mend."""


def classify(exc: BaseException) -> Fault:
    """How to go on after ``exc`` raised by a store call."""
    if isinstance(exc, StoreUnreachable):
        return "reconnect"
    if isinstance(exc, sqlite3.OperationalError):
        return "retry" if any(text in str(exc).lower() for text in SQLITE_BUSY) else "fatal"
    return _classify_psycopg(exc)


def _classify_psycopg(exc: BaseException) -> Fault:
    try:
        import psycopg
    except ImportError:  # no PostgreSQL backend, so not one of its errors
        return "fatal"
    if not isinstance(exc, psycopg.Error):
        return "fatal"
    state = exc.sqlstate or ""
    if state in PG_FATAL_CLASSES:
        return "fatal"
    if state in PG_RETRY_STATES:
        return "retry"
    if isinstance(exc, (psycopg.OperationalError, psycopg.InterfaceError)):
        return "reconnect"  # connection lost or closed, server shutting down or starting up
    return "fatal"


def one_line(exc: BaseException) -> str:
    """The first line of an error's message (its type when it has none), credentials masked."""
    from newscrawl.secrets import mask_text

    text = str(exc).strip()
    return mask_text(text.splitlines()[0] if text else type(exc).__name__)
