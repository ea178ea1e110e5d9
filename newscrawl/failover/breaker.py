"""Per-domain health with a circuit breaker: closed -> open -> half-open -> closed.

A domain opens after ``threshold`` consecutive failures (or one failure of a class that does
not heal by retrying, such as a seizure banner). While open it gets no requests; after
``cooldown`` seconds one request probes it (half-open): success closes it, failure re-opens.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum


class State(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


@dataclass
class DomainHealth:
    """What the crawl has seen of one origin."""

    origin: str
    state: State = State.CLOSED
    consecutive_failures: int = 0
    last_class: str = ""
    opened_at: float = 0.0
    probing: bool = False
    requests: int = 0
    successes: int = 0
    failures: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class Transition:
    """One change of a domain's state, with the failure class and streak that caused it."""

    origin: str
    old: State
    new: State
    failure_class: str = ""
    streak: int = 0


class CircuitBreaker:
    """The health of every origin of one site, in failover order."""

    def __init__(self, origins: Sequence[str], threshold: int = 3, cooldown: float = 60.0,
                 instant_classes: Iterable[str] = (), clock: Callable[[], float] = time.monotonic,
                 on_transition: Callable[[Transition], None] | None = None):
        self.listeners: list[Callable[[Transition], None]] = [on_transition] if on_transition else []
        """Called with every transition (the middleware's log and stats; a shared state)."""
        self.probe_gate: Callable[[str], bool] | None = None
        """Asked before an open domain is probed: False keeps it open (another worker of a
        distributed crawl probes it; ``newscrawl.distributed.failover``)."""
        self.domains = {origin: DomainHealth(origin) for origin in origins}
        self.threshold = max(1, threshold)
        self.cooldown = cooldown
        self.instant_classes = frozenset(instant_classes)
        self.clock = clock

    def __getitem__(self, origin: str) -> DomainHealth:
        return self.domains[origin]

    def allows(self, origin: str) -> bool:
        """May a request go to ``origin`` now? An open domain past its cool-down lets exactly
        one request through as the half-open probe."""
        health = self.domains.get(origin)
        if health is None or health.state is State.CLOSED:
            return True
        if (health.state is State.OPEN and not health.probing
                and self.clock() - health.opened_at >= self.cooldown
                and (self.probe_gate is None or self.probe_gate(origin))):
            health.state, health.probing = State.HALF_OPEN, True
            self._emit(Transition(origin, State.OPEN, State.HALF_OPEN, health.last_class))
            return True
        return False

    def choose(self, preferred: str, exclude: Iterable[str] = ()) -> str | None:
        """``preferred`` when it may be used, else the first usable origin in failover order."""
        excluded = set(exclude)
        if preferred not in excluded and self.allows(preferred):
            return preferred
        for origin in self.domains:
            if origin not in excluded and origin != preferred and self.allows(origin):
                return origin
        return None

    def healthy(self, exclude: Iterable[str] = ()) -> str | None:
        """The first closed origin in failover order (no side effects, unlike ``choose``)."""
        excluded = set(exclude)
        return next((o for o, h in self.domains.items()
                     if o not in excluded and h.state is State.CLOSED), None)

    def record_request(self, origin: str) -> None:
        if origin in self.domains:
            self.domains[origin].requests += 1

    def record_success(self, origin: str) -> Transition | None:
        health = self.domains.get(origin)
        if health is None:
            return None
        health.successes += 1
        health.consecutive_failures, health.probing = 0, False
        if health.state is State.CLOSED:
            return None
        old, health.state = health.state, State.CLOSED
        return self._emit(Transition(origin, old, State.CLOSED))

    def record_failure(self, origin: str, failure_class: str) -> Transition | None:
        health = self.domains.get(origin)
        if health is None:
            return None
        health.failures[failure_class] += 1
        health.consecutive_failures += 1
        health.last_class = failure_class
        trip = (health.state is State.HALF_OPEN
                or (health.state is State.CLOSED
                    and (health.consecutive_failures >= self.threshold
                         or failure_class in self.instant_classes)))
        if not trip:
            return None
        return self._open(health, failure_class)

    def force_open(self, origin: str, failure_class: str) -> Transition | None:
        """Start ``origin`` open (e.g. the availability monitor says it is down)."""
        health = self.domains.get(origin)
        if health is None or health.state is State.OPEN:
            return None
        health.last_class = failure_class
        return self._open(health, failure_class)

    def opened_elsewhere(self, origin: str, failure_class: str, age: float) -> Transition | None:
        """Another worker opened ``origin`` ``age`` seconds ago (or re-opened it after a failed
        probe): open here too, its cool-down counted from then."""
        health = self.domains.get(origin)
        if health is None:
            return None
        health.last_class = failure_class
        if health.state is State.OPEN:
            health.opened_at = min(self.clock(), max(health.opened_at, self.clock() - age))
            return None
        return self._open(health, failure_class, self.clock() - age)

    def closed_elsewhere(self, origin: str) -> Transition | None:
        """Another worker's request (its probe) succeeded on ``origin``: closed here too."""
        health = self.domains.get(origin)
        if health is None or health.state is State.CLOSED:
            return None
        old, health.state = health.state, State.CLOSED
        health.consecutive_failures, health.probing = 0, False
        return self._emit(Transition(origin, old, State.CLOSED))

    def _open(self, health: DomainHealth, failure_class: str, since: float | None = None) -> Transition:
        old = health.state
        health.state, health.probing = State.OPEN, False
        health.opened_at = self.clock() if since is None else since
        return self._emit(Transition(health.origin, old, State.OPEN, failure_class,
                                     health.consecutive_failures))

    def _emit(self, transition: Transition) -> Transition:
        for listener in self.listeners:
            listener(transition)
        return transition
