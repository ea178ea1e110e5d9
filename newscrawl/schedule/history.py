"""The run history in the store: turns claimed, runs started, ended or skipped.

A turn is claimed by inserting its row (unique per job and turn) before anything runs, so
of two schedulers on one store exactly one handles each turn, and a restarted scheduler
knows which turns were handled already.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from newscrawl.schedule.schema import ensure_schema, utcnow
from newscrawl.storage.stamps import parse_stamp, stamp

STORED = ("new", "revision")
OK_REASONS = ("finished", "max_articles")


class History:
    def __init__(self, store: Any, owner: str):
        ensure_schema(store)
        self.store, self.owner = store, owner

    def _insert(self, job: str, site: str, trigger: str, turn: str | None, planned: datetime,
                conflict: str) -> int | None:
        with self.store.transaction() as cur:
            cur.execute(self.store.sql(
                "INSERT INTO schedule_runs (job, site, trigger, turn, scheduled_for, owner, outcome) "
                f"VALUES (?, ?, ?, ?, ?, ?, 'claimed') {conflict} RETURNING id"),
                (job, site, trigger, turn, stamp(planned), self.owner))
            row = cur.fetchone()
        return int(row[0]) if row else None

    def claim(self, job: str, site: str, turn: datetime, planned: datetime) -> int | None:
        """The new run's id, or None when another scheduler (or an earlier life) has the turn."""
        return self._insert(job, site, "schedule", stamp(turn), planned,
                            "ON CONFLICT (job, turn) DO NOTHING")

    def manual(self, job: str, site: str) -> int:
        """A run outside the schedule (``--run-now``)."""
        run_id = self._insert(job, site, "manual", None, utcnow(), "")
        assert run_id is not None
        return run_id

    def _update(self, run_id: int, **values: Any) -> None:
        names = ", ".join(f"{name} = ?" for name in values)
        with self.store.transaction() as cur:
            cur.execute(self.store.sql(f"UPDATE schedule_runs SET {names} WHERE id = ?"),
                        (*values.values(), run_id))

    def started(self, run_id: int, log: str) -> None:
        self._update(run_id, started_at=stamp(utcnow()), outcome="running", log=log)

    def skipped(self, run_id: int, reason: str) -> None:
        self._update(run_id, finished_at=stamp(utcnow()), outcome="skipped", reason=reason)

    def ended(self, run_id: int, outcome: str, reason: str, exit_code: int | None,
              counts: Mapping[str, Any], crawl_run_id: int | None) -> None:
        self._update(run_id, finished_at=stamp(utcnow()), outcome=outcome, reason=reason,
                     exit_code=exit_code, counts=json.dumps(dict(counts), default=str),
                     crawl_run_id=crawl_run_id)

    def outcome(self, run_id: int) -> str:
        with self.store.read() as cur:
            cur.execute(self.store.sql("SELECT outcome FROM schedule_runs WHERE id = ?"), (run_id,))
            row = cur.fetchone()
        return str(row[0]) if row else ""

    def last_turn(self, job: str) -> datetime | None:
        """The latest turn of ``job`` handled by any scheduler."""
        with self.store.read() as cur:
            cur.execute(self.store.sql("SELECT MAX(turn) FROM schedule_runs WHERE job = ?"), (job,))
            row = cur.fetchone()
        return parse_stamp(row[0]) if row else None

    def empty_streak(self, job: str) -> int:
        """How many of the job's latest runs (skipped ones aside) in a row stored nothing."""
        with self.store.read() as cur:
            cur.execute(self.store.sql("SELECT outcome, counts FROM schedule_runs WHERE job = ? AND "
                                       "outcome NOT IN ('skipped', 'claimed', 'running') "
                                       "ORDER BY id DESC LIMIT 100"), (job,))
            rows = cur.fetchall()
        streak = 0
        for outcome, counts in rows:
            if outcome != "finished" or any(json.loads(counts).get(key, 0) for key in STORED):
                break
            streak += 1
        return streak

    def reap(self, live: Mapping[str, str], lease_ttl: float) -> int:
        """Rows left unfinished by a scheduler that died: a ``running`` row whose lease lapsed,
        a ``claimed`` row whose start is long past. Marked ``failed`` with the reason."""
        late = stamp(utcnow() - timedelta(seconds=lease_ttl))
        with self.store.read() as cur:
            cur.execute(self.store.sql("SELECT id, job, outcome, owner FROM schedule_runs WHERE "
                                       "outcome = 'running' OR (outcome = 'claimed' AND scheduled_for < ?)"),
                        (late,))
            rows = cur.fetchall()
        dead = [(run_id, owner) for run_id, job, outcome, owner in rows
                if outcome == "claimed" or live.get(job) != owner]
        for run_id, owner in dead:
            self._update(run_id, finished_at=stamp(utcnow()), outcome="failed",
                         reason=f"scheduler {owner} stopped without ending it (killed?)")
        return len(dead)


def crawl_run(store: Any, site: str, since: datetime, run_id: int) -> tuple[int, dict[str, Any], str] | None:
    """The crawl's own ``runs`` row (id, counts, close reason) of scheduled run ``run_id``:
    the crawl records the run id it was given in its settings."""
    with store.read() as cur:
        cur.execute(store.sql("SELECT id, settings, counts, outcome FROM runs WHERE site = ? "
                              "AND started_at >= ? ORDER BY id"),
                    (site, (since - timedelta(seconds=2)).isoformat(timespec="seconds")))
        rows = cur.fetchall()
    for core_id, settings, counts, outcome in rows:
        if str(json.loads(settings or "{}").get("NEWSCRAWL_SCHEDULE_RUN", "")) == str(run_id):
            return int(core_id), plain_counts(json.loads(counts or "{}")), str(outcome or "")
    return None


def plain_counts(stats: Mapping[str, Any]) -> dict[str, Any]:
    """A crawl's stats as ``runs`` shows them: ``store/new`` -> ``new``, the rest as they are."""
    counts = {key.removeprefix("store/"): value for key, value in stats.items()}
    for key in ("new", "revision", "unchanged", "duplicate"):
        counts.setdefault(key, 0)
    return counts


def pending_count(store: Any, site: str) -> int:
    """Requests of ``site`` that failed on every domain and wait for the next run."""
    with store.read() as cur:
        cur.execute(store.sql("SELECT COUNT(*) FROM pending WHERE site = ? AND resolved_at IS NULL"), (site,))
        row = cur.fetchone()
    return int(row[0]) if row else 0
