"""The monitor's status rules: up, pending (fewer than N failures), down, up after M successes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newscrawl.monitor.state import DOWN, PENDING, UP, DomainState, Thresholds, advance, is_alert

T0 = datetime(2026, 8, 15, tzinfo=UTC)


DEFAULT = Thresholds()


def run(outcomes: str, thresholds: Thresholds = DEFAULT) -> list[str]:
    """Statuses after each probe of ``outcomes`` ('+' ok, '-' failure)."""
    state, seen = DomainState(), []
    for i, mark in enumerate(outcomes):
        state = advance(state, mark == "+", T0 + timedelta(minutes=i), thresholds)
        seen.append(state.status)
    return seen


@pytest.mark.parametrize(("outcomes", "expected"), [
    ("+", [UP]),
    ("-", [PENDING]),
    ("+-+", [UP, PENDING, UP]),                        # pending recovers at once: never went down
    ("---", [PENDING, PENDING, DOWN]),                  # N=3
    ("---+", [PENDING, PENDING, DOWN, DOWN]),           # one success is not enough
    ("---++", [PENDING, PENDING, DOWN, DOWN, UP]),      # M=2
    ("---+-++", [PENDING, PENDING, DOWN, DOWN, DOWN, DOWN, UP]),  # a failure resets the streak
    ("--+--", [PENDING, PENDING, UP, PENDING, PENDING]),  # a success resets the failure streak
])
def test_default_thresholds(outcomes: str, expected: list[str]) -> None:
    assert run(outcomes) == expected


def test_custom_thresholds() -> None:
    assert run("-+", Thresholds(failures=1, successes=1)) == [DOWN, UP]
    assert run("-----+++", Thresholds(failures=5, successes=3))[-4:] == [DOWN, DOWN, DOWN, UP]
    with pytest.raises(ValueError):
        Thresholds(failures=0)


def test_since_is_when_the_status_began() -> None:
    state = DomainState()
    for i, ok in enumerate([True, True, False, False, False, False]):
        state = advance(state, ok, T0 + timedelta(minutes=i), Thresholds())
    assert state.status == DOWN and state.since == T0 + timedelta(minutes=4)
    assert (state.failures, state.successes) == (4, 0)


def test_alerts_on_every_change_but_a_first_up() -> None:
    assert not is_alert("", UP)
    assert is_alert("", PENDING)
    assert is_alert(UP, PENDING) and is_alert(PENDING, DOWN) and is_alert(DOWN, UP)
    assert not is_alert(DOWN, DOWN)
