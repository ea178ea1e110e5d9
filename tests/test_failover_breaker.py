"""The circuit breaker, driven by a fake clock."""

from __future__ import annotations

from newscrawl.failover.breaker import CircuitBreaker, State, Transition

A, B, C = "https://a.example", "https://b.example", "https://c.example"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def breaker(clock: Clock, **kwargs: object) -> CircuitBreaker:
    return CircuitBreaker([A, B, C], threshold=3, cooldown=30, clock=clock, **kwargs)  # type: ignore[arg-type]


def test_opens_after_threshold_consecutive_failures_only() -> None:
    cb = breaker(Clock())
    assert cb.record_failure(A, "tcp_timeout") is None
    assert cb.record_failure(A, "tcp_timeout") is None
    cb.record_success(A)  # a success resets the streak
    assert cb.record_failure(A, "tcp_timeout") is None
    assert cb.record_failure(A, "tcp_timeout") is None
    assert cb.record_failure(A, "http_5xx") == Transition(A, State.CLOSED, State.OPEN, "http_5xx", 3)
    assert cb[A].failures == {"tcp_timeout": 4, "http_5xx": 1}
    assert not cb.allows(A)
    assert cb.choose(A) == B


def test_instant_classes_open_on_first_failure() -> None:
    cb = breaker(Clock(), instant_classes={"soft_seized"})
    transition = cb.record_failure(A, "soft_seized")
    assert transition is not None and transition.new is State.OPEN
    assert cb.choose(A) == B


def test_half_open_lets_exactly_one_probe_through_after_cooldown() -> None:
    clock = Clock()
    cb = breaker(clock, instant_classes={"tcp_refused"})
    cb.record_failure(A, "tcp_refused")
    clock.now += 29
    assert cb.choose(A) == B
    clock.now += 1
    assert cb.choose(A) == A  # the probe
    assert cb[A].state is State.HALF_OPEN
    assert cb.choose(A) == B  # no second probe while the first is out
    assert cb.record_success(A) == Transition(A, State.HALF_OPEN, State.CLOSED)
    assert cb.choose(A) == A


def test_failed_probe_reopens_and_restarts_cooldown() -> None:
    clock = Clock()
    cb = breaker(clock, instant_classes={"tcp_refused"})
    cb.record_failure(A, "tcp_refused")
    clock.now += 30
    assert cb.allows(A)
    transition = cb.record_failure(A, "http_timeout")
    assert transition is not None and (transition.old, transition.new) == (State.HALF_OPEN, State.OPEN)
    clock.now += 29
    assert not cb.allows(A)


def test_choose_skips_excluded_and_returns_none_when_all_are_open() -> None:
    cb = breaker(Clock(), instant_classes={"dns_nxdomain"})
    assert cb.choose(A, exclude=[A]) == B
    for origin in (A, B, C):
        cb.record_failure(origin, "dns_nxdomain")
    assert cb.choose(A) is None


def test_force_open_and_unknown_origins() -> None:
    cb = breaker(Clock())
    assert cb.force_open(A, "http_5xx") is not None
    assert cb.force_open(A, "http_5xx") is None  # already open
    assert cb.choose(A) == B
    assert cb.allows("https://elsewhere.example")
    assert cb.record_failure("https://elsewhere.example", "tcp_refused") is None


def test_every_transition_is_reported_once() -> None:
    clock, seen = Clock(), []
    cb = CircuitBreaker([A, B], threshold=2, cooldown=5, clock=clock, on_transition=seen.append)
    cb.record_failure(A, "http_5xx")
    cb.record_failure(A, "http_5xx")
    cb.record_failure(A, "http_5xx")  # already open: no new transition
    clock.now += 5
    cb.choose(A)
    cb.record_success(A)
    assert [(t.old, t.new) for t in seen] == [
        (State.CLOSED, State.OPEN), (State.OPEN, State.HALF_OPEN), (State.HALF_OPEN, State.CLOSED)]
    assert seen[0].failure_class == "http_5xx" and seen[0].streak == 2
