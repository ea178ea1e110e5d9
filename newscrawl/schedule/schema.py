"""The scheduler's tables, registered with the store's migrations as component ``schedule``.

- ``schedule_runs``: one row per turn handled or manual run: job, site, ``trigger``
  (``schedule``/``manual``), ``turn`` (the schedule's moment; empty for manual runs, unique
  per job, so two schedulers handle a turn once), ``scheduled_for``, the scheduler that
  took it (``owner``), ``started_at``/``finished_at``, ``outcome`` (``claimed``, ``running``,
  then ``finished``, ``failed``, ``timeout``, ``stopped`` or ``skipped``), ``reason``,
  ``exit_code``, ``counts`` JSON, the crawl's own ``runs`` row (``crawl_run_id``), ``log``.
- ``schedule_leases``: the lock of each running job: its holder (``owner``), the run, and
  ``expires_at``, pushed forward by the holder's heartbeat while the crawl runs.

Times are ISO 8601 UTC text with microseconds.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from newscrawl.storage import register
from newscrawl.storage.schema import Migration
from newscrawl.storage.stamps import ensure_component

COMPONENT = "schedule"

MIGRATIONS: list[Migration] = [
    # 1: run history and job leases
    [
        """CREATE TABLE IF NOT EXISTS schedule_runs (
            id {id}, job TEXT NOT NULL, site TEXT NOT NULL, trigger TEXT NOT NULL, turn TEXT,
            scheduled_for TEXT NOT NULL, owner TEXT NOT NULL, started_at TEXT, finished_at TEXT,
            outcome TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '', exit_code INTEGER,
            counts TEXT NOT NULL DEFAULT '{{}}', crawl_run_id INTEGER, log TEXT NOT NULL DEFAULT '')""",
        "CREATE UNIQUE INDEX IF NOT EXISTS schedule_runs_turn ON schedule_runs (job, turn)",
        "CREATE INDEX IF NOT EXISTS schedule_runs_site ON schedule_runs (site, id)",
        """CREATE TABLE IF NOT EXISTS schedule_leases (
            job TEXT PRIMARY KEY, owner TEXT NOT NULL, run_id INTEGER,
            acquired_at TEXT NOT NULL, expires_at TEXT NOT NULL)""",
    ],
]

register(COMPONENT, MIGRATIONS)


def ensure_schema(store: Any) -> None:
    """Apply the scheduler's migrations to a store opened before this module was imported."""
    ensure_component(store, COMPONENT, len(MIGRATIONS))


def utcnow() -> datetime:
    return datetime.now(UTC)
