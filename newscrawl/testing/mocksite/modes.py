"""Failure modes of one origin and their schedule over requests and time."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

MODE_PARAMS: dict[str, dict[str, Any]] = {
    "ok": {},
    "refuse": {},
    "blackhole": {},
    "reset": {"fraction": 0.5, "linger": 0.05},
    "slow": {"delay": 5.0},
    "http_5xx": {"status": 503, "retry_after": None},
    "http_4xx": {"status": 403},
    "seized": {},
    "parked": {"style": "sedo"},
    "challenge": {},
    "blockpage": {"style": "iran", "status": None},
    "offsite_redirect": {"location": "http://parking.example.invalid/", "status": 302},
    "wrong_site": {"style": "bakery"},
}
"""Every mode with its parameters and their defaults."""


@dataclass(frozen=True)
class Mode:
    """A mode and its parameters (defaults filled in)."""

    name: str
    params: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def make(cls, name: str, **params: Any) -> Mode:
        """Validate ``name`` and ``params`` against ``MODE_PARAMS``."""
        if name not in MODE_PARAMS:
            raise ValueError(f"unknown mode {name!r}; known: {', '.join(MODE_PARAMS)}")
        unknown = set(params) - set(MODE_PARAMS[name])
        if unknown:
            raise ValueError(f"mode {name!r} takes no parameter {', '.join(sorted(unknown))}")
        return cls(name, {**MODE_PARAMS[name], **params})

    def __getitem__(self, key: str) -> Any:
        return self.params[key]


@dataclass
class Phase:
    """A mode held for a number of requests or seconds (both None: until replaced)."""

    mode: Mode
    requests: int | None = None
    seconds: float | None = None


class Schedule:
    """The phases of one origin: the first is current; the last lasts until replaced."""

    def __init__(self, now: float) -> None:
        self.phases = [Phase(Mode.make("ok"))]
        self.started = now
        self.count = 0

    @property
    def current(self) -> Mode:
        return self.phases[0].mode

    def plan(self, mode: Mode, now: float, *, after: int | None = None,
             after_seconds: float | None = None, for_requests: int | None = None,
             for_seconds: float | None = None) -> None:
        """Switch to ``mode`` now, or once ``after`` requests / ``after_seconds`` passed;
        with ``for_requests`` / ``for_seconds``, come back to the current mode afterwards."""
        if mode.name == "refuse" and for_requests is not None:
            raise ValueError("a refusing origin sees no requests: use for_seconds to end 'refuse'")
        previous = self.current
        phases = []
        if after is not None or after_seconds is not None:
            phases.append(Phase(previous, after, after_seconds))
        if for_requests is not None or for_seconds is not None:
            phases += [Phase(mode, for_requests, for_seconds), Phase(previous)]
        else:
            phases.append(Phase(mode))
        self.phases, self.started, self.count = phases, now, 0
        self.advance(now)

    def _expired(self, now: float) -> bool:
        phase = self.phases[0]
        return len(self.phases) > 1 and (
            (phase.requests is not None and self.count >= phase.requests)
            or (phase.seconds is not None and now - self.started >= phase.seconds))

    def advance(self, now: float) -> bool:
        """Drop finished phases; True when the current mode changed."""
        before = self.current
        while self._expired(now):
            self.phases.pop(0)
            self.started, self.count = now, 0
        return self.current is not before

    def take(self, now: float) -> Mode:
        """The mode that serves a request arriving now (the request is counted)."""
        self.advance(now)
        self.count += 1
        return self.current

    def seconds_left(self, now: float) -> float | None:
        """Time until the current phase ends by the clock, if it is timed."""
        phase = self.phases[0]
        if len(self.phases) < 2 or phase.seconds is None:
            return None
        return max(0.0, phase.seconds - (now - self.started))
