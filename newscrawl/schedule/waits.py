"""What the scheduler waits for: each job's next turn, and runs planned after their jitter."""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from newscrawl.schedule.config import JobSpec
from newscrawl.schedule.triggers import latest_turn, next_turn

MAX_SLEEP = 60.0  # wake at least this often (a changed wall clock is noticed)


class Waits:
    def __init__(self) -> None:
        self.last_turn: dict[str, datetime | None] = {}
        self.next_turn: dict[str, datetime | None] = {}
        self._planned: dict[str, tuple[int, float]] = {}

    def start(self, jobs: Mapping[str, JobSpec], history: Any, now: datetime) -> None:
        """Turns from the store's history: a job with none starts at its next turn; one whose
        next turn after the last handled one has passed is due now (catch-up)."""
        for name, job in jobs.items():
            last = history.last_turn(name)
            if last is None:
                self.last_turn[name] = latest_turn(job.trigger, now)
                self.next_turn[name] = next_turn(job.trigger, now)
            else:
                self.last_turn[name] = last
                self.next_turn[name] = next_turn(job.trigger, last)

    def plan(self, job: str, run_id: int, at: float) -> bool:
        """Start run ``run_id`` at monotonic time ``at``; False when one is planned already."""
        if job in self._planned:
            return False
        self._planned[job] = (run_id, at)
        return True

    def due(self, now: float) -> list[tuple[str, int]]:
        """(job, run id) of the planned runs whose time has come (no longer planned)."""
        ready = [(job, run_id) for job, (run_id, at) in self._planned.items() if at <= now]
        for job, _ in ready:
            del self._planned[job]
        return ready

    def drop_all(self) -> list[tuple[str, int]]:
        dropped = [(job, run_id) for job, (run_id, _) in self._planned.items()]
        self._planned.clear()
        return dropped

    def seconds_to_wake(self, now: datetime, running: bool, poll: float) -> float:
        waits = [MAX_SLEEP, *((turn - now).total_seconds() for turn in self.next_turn.values() if turn)]
        waits += [at - time.monotonic() for _, at in self._planned.values()]
        if running:
            waits.append(poll)
        return max(0.0, min(waits))
