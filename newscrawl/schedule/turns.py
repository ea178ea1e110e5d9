"""Turns become claims: each job's due turn is claimed in the store (once, whichever
scheduler is first), then planned to start after its jitter, or recorded ``skipped`` when
it was missed during downtime and the job says ``catch_up = "skip"``."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Mapping
from datetime import datetime, timedelta

from newscrawl.schedule.config import JobSpec
from newscrawl.schedule.history import History
from newscrawl.schedule.schema import utcnow
from newscrawl.schedule.triggers import latest_turn, next_turn
from newscrawl.schedule.waits import Waits

logger = logging.getLogger("newscrawl.schedule")


class TurnKeeper:
    def __init__(self, jobs: Mapping[str, JobSpec], history: History, waits: Waits, misfire_grace: float):
        self.jobs, self.history, self.waits, self.misfire_grace = jobs, history, waits, misfire_grace

    def _handle(self, job: JobSpec, turn: datetime, previous: datetime | None, now: datetime) -> None:
        late = (now - turn).total_seconds()
        missed = previous is not None and (following := next_turn(job.trigger, previous)) is not None \
            and following < turn
        if late > self.misfire_grace and job.catch_up == "skip":
            run_id = self.history.claim(job.name, job.site, turn, now)
            if run_id is not None:
                self.history.skipped(run_id, f"turn missed by {late:.0f}s while no scheduler ran "
                                             "(catch_up = skip)")
            return
        if missed or late > self.misfire_grace:
            logger.info("%s: catching up: one run for the turns missed up to %s", job.name, turn)
        delay = random.uniform(0, job.jitter) if job.jitter else 0.0
        run_id = self.history.claim(job.name, job.site, turn, now + timedelta(seconds=delay))
        if run_id is None:
            logger.debug("%s: turn %s handled by another scheduler", job.name, turn)
        elif not self.waits.plan(job.name, run_id, time.monotonic() + delay):
            self.history.skipped(run_id, "the previous turn is still waiting for its jitter delay")

    def check(self) -> None:
        """Handle the latest turn of every job whose next turn has come (one turn, however
        many were missed), then note the job's next turn."""
        now = utcnow()
        for name, job in self.jobs.items():
            due = self.waits.next_turn.get(name)
            if due is None or now < due:
                continue
            turn = latest_turn(job.trigger, now)
            previous = self.waits.last_turn.get(name)
            if turn is not None and (previous is None or turn > previous):
                self._handle(job, turn, previous, now)
                self.waits.last_turn[name] = turn
            self.waits.next_turn[name] = next_turn(job.trigger, max(now, turn or now))
