"""A run under way: its child, its lease renewed, its timeout, and how it is recorded at the end."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from newscrawl.exitstatus import PENDING
from newscrawl.schedule.child import Child
from newscrawl.schedule.config import JobSpec
from newscrawl.schedule.history import crawl_run, pending_count
from newscrawl.schedule.schema import utcnow
from newscrawl.storage import StoreError, open_store
from newscrawl.storage.stamps import stamp

logger = logging.getLogger("newscrawl.schedule")


@dataclass
class Ending:
    """How a run ended, as recorded."""

    outcome: str
    reason: str
    exit_code: int | None
    counts: dict[str, Any] = field(default_factory=dict)
    crawl_run_id: int | None = None


@dataclass
class ActiveRun:
    job: JobSpec
    run_id: int
    child: Child
    started_at: datetime
    renewed: float = field(default_factory=time.monotonic)
    forced: tuple[str, str] | None = None
    """(outcome, reason) when the scheduler stopped the run (timeout, shutdown, lost lease)."""

    def stop(self, outcome: str, reason: str) -> None:
        if self.forced is None:
            self.forced = (outcome, reason)
            logger.warning("%s: run %d: %s; stopping it", self.job.name, self.run_id, reason)
        self.child.terminate()

    def timed_out(self) -> bool:
        return self.job.timeout is not None and time.monotonic() - self.child.started >= self.job.timeout

    def ending(self, code: int, store: Any, store_url: str) -> Ending:
        """Outcome, reason, counts of the finished child (counts from the crawl's own row)."""
        counts: dict[str, Any] = {}
        crawl_id = None
        if not self.job.monitor:
            counts, crawl_id = self._counts(store, store_url)
        if self.forced is not None:
            return Ending(*self.forced, code, counts, crawl_id)
        if code == PENDING and not self.job.monitor:  # finished, some requests failed on every domain
            return Ending("finished", "requests left pending (the next run retries them first): "
                          f"newscrawl pending {self.job.site}", code, counts, crawl_id)
        if code != 0:
            return Ending("failed", f"exit status {code}; see {self.child.log}", code, counts, crawl_id)
        return Ending("finished", "", code, counts, crawl_id)

    def _counts(self, store: Any, store_url: str) -> tuple[dict[str, Any], int | None]:
        url = self.job.options.get("store", store_url)
        own = url != store_url
        try:
            target = open_store(url) if own else store
            try:
                found = crawl_run(target, self.job.sites[0], self.started_at, self.run_id)
                counts = found[1] if found else {}
                counts["pending"] = pending_count(target, self.job.sites[0])
            finally:
                if own:
                    target.close()
        except (StoreError, OSError) as exc:
            logger.error("%s: run %d: cannot read the crawl's counts: %s", self.job.name, self.run_id, exc)
            return {}, None
        return counts, found[0] if found else None

    def event(self, ending: Ending) -> dict[str, Any]:
        """The webhook body of a failed or timed-out run."""
        return {"event": f"schedule_run_{ending.outcome}", "job": self.job.name, "site": self.job.site,
                "run_id": self.run_id, "outcome": ending.outcome, "reason": ending.reason,
                "exit_code": ending.exit_code, "started_at": stamp(self.started_at),
                "finished_at": stamp(utcnow()), "log": str(self.child.log), "counts": ending.counts}
