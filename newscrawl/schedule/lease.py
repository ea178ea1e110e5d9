"""The per-job lock: a lease row in the store, held while the job's crawl runs.

Taking it is one statement (insert, or take over a lease whose holder stopped renewing it),
so two schedulers on one store, on one machine or two, cannot both hold a job. The holder
renews ``expires_at`` while its crawl runs and deletes the row when the crawl ends; a
holder that dies stops renewing and its lease lapses after ``ttl`` seconds. Its crawl does
not outlive it (the child gets SIGKILL when the scheduler dies, see ``child``), so a
lapsed lease never hides a running crawl.
"""

from __future__ import annotations

import socket
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from newscrawl.schedule.schema import ensure_schema, utcnow
from newscrawl.storage.stamps import parse_stamp, stamp

TAKE = ("INSERT INTO schedule_leases (job, owner, run_id, acquired_at, expires_at) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (job) DO UPDATE SET owner = excluded.owner, run_id = excluded.run_id, "
        "acquired_at = excluded.acquired_at, expires_at = excluded.expires_at "
        "WHERE schedule_leases.expires_at < ? OR schedule_leases.owner = excluded.owner")


def new_owner() -> str:
    """``host:pid:random``: who holds a lease, readable in ``runs`` and in the table."""
    import os

    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


@dataclass(frozen=True)
class Holder:
    """Who holds a job's lease, for the reason of a skipped turn."""

    owner: str
    run_id: int | None
    acquired_at: str

    def describe(self) -> str:
        run = f"run {self.run_id}" if self.run_id else "a run"
        return f"{run} of {self.owner} since {self.acquired_at[:19]}Z is still going"


class Leases:
    """The leases of one scheduler (``owner``) in ``store``."""

    def __init__(self, store: Any, owner: str, ttl: float):
        ensure_schema(store)
        self.store, self.owner, self.ttl = store, owner, ttl

    def acquire(self, job: str, run_id: int | None) -> Holder | None:
        """Take the job's lease; ``None`` when taken, else the one holding it."""
        now = utcnow()
        with self.store.transaction() as cur:
            cur.execute(self.store.sql(TAKE), (job, self.owner, run_id, stamp(now),
                                               stamp(now + timedelta(seconds=self.ttl)), stamp(now)))
            cur.execute(self.store.sql("SELECT owner, run_id, acquired_at FROM schedule_leases "
                                       "WHERE job = ?"), (job,))
            owner, held_run, since = cur.fetchone()
        return None if owner == self.owner else Holder(owner, held_run, since)

    def renew(self, job: str) -> bool:
        """Push the lease's expiry forward; False when it is no longer ours."""
        expires = stamp(utcnow() + timedelta(seconds=self.ttl))
        with self.store.transaction() as cur:
            cur.execute(self.store.sql("UPDATE schedule_leases SET expires_at = ? "
                                       "WHERE job = ? AND owner = ?"), (expires, job, self.owner))
            return bool(cur.rowcount == 1)

    def release(self, job: str) -> None:
        with self.store.transaction() as cur:
            cur.execute(self.store.sql("DELETE FROM schedule_leases WHERE job = ? AND owner = ?"),
                        (job, self.owner))

    def live(self) -> dict[str, str]:
        """Job -> holder of every lease not yet lapsed (any owner)."""
        with self.store.read() as cur:
            cur.execute(self.store.sql("SELECT job, owner, expires_at FROM schedule_leases"))
            rows = cur.fetchall()
        now = utcnow()
        return {job: owner for job, owner, expires in rows if (parse_stamp(expires) or now) >= now}
