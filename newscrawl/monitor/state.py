"""Status of one domain from its probe history, as Uptime Kuma and Gatus keep it.

``up`` while probes succeed; a failure makes it ``pending`` until ``failures`` consecutive
failures make it ``down``; a down domain is ``up`` again after ``successes`` consecutive
successes (a pending one recovers on its first success: it never went down).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

UP = "up"
PENDING = "pending"
DOWN = "down"
STATUSES = (UP, PENDING, DOWN)


@dataclass(frozen=True)
class Thresholds:
    """How many consecutive probes change a domain's status."""

    failures: int = 3
    """Consecutive failures that make a domain ``down`` (N)."""
    successes: int = 2
    """Consecutive successes that bring a ``down`` domain back ``up`` (M)."""

    def __post_init__(self) -> None:
        if self.failures < 1 or self.successes < 1:
            raise ValueError("failure and success thresholds must be at least 1")


@dataclass(frozen=True)
class DomainState:
    """Where one domain stands after its latest probe."""

    status: str = ""
    """``up``, ``pending``, ``down``; empty before the first probe."""
    failures: int = 0
    """Consecutive failed probes up to now."""
    successes: int = 0
    """Consecutive successful probes up to now."""
    since: datetime | None = None
    """When the domain entered ``status``."""


def next_status(state: DomainState, ok: bool, failures: int, successes: int,
                thresholds: Thresholds) -> str:
    """The status after one more probe, given the streaks that probe produced."""
    if ok:
        if state.status == DOWN and successes < thresholds.successes:
            return DOWN
        return UP
    if state.status == DOWN or failures >= thresholds.failures:
        return DOWN
    return PENDING


def advance(state: DomainState, ok: bool, at: datetime, thresholds: Thresholds) -> DomainState:
    """The state after a probe made at ``at`` that succeeded (``ok``) or failed."""
    failures = 0 if ok else state.failures + 1
    successes = state.successes + 1 if ok else 0
    status = next_status(state, ok, failures, successes, thresholds)
    since = at if status != state.status else state.since
    return DomainState(status=status, failures=failures, successes=successes, since=since)


def is_change(before: DomainState, after: DomainState) -> bool:
    """A state change worth an incident record (the first probe counts: it opens one)."""
    return before.status != after.status


def is_alert(old: str, new: str) -> bool:
    """A status change worth a log line and a webhook: every change but a first ``up``."""
    return old != new and not (old == "" and new == UP)
