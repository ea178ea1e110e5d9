"""When a job is due: durations, APScheduler triggers, and the turns they make.

A turn is a moment the schedule names (``every`` turns are whole multiples of the interval
since 2000-01-01 UTC), so every scheduler on a store and every restart computes the same
turns: a turn is the key under which the store records that it was handled. Jitter is a
delay after the turn, not a shift of the turn itself.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Protocol

from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*([smhdw])")
# how far back to look for the latest turn: the first window holding one wins
LOOKBACK = (timedelta(minutes=1), timedelta(hours=1), timedelta(days=1), timedelta(days=32),
            timedelta(days=367), timedelta(days=366 * 8))


class Trigger(Protocol):
    def get_next_fire_time(self, previous_fire_time: datetime | None, now: datetime) -> datetime | None: ...


def parse_duration(text: str | int | float) -> float:
    """``"90s"``, ``"5m"``, ``"1h30m"``, ``"2d"`` or a number of seconds -> seconds (> 0)."""
    if isinstance(text, int | float) and not isinstance(text, bool):
        seconds = float(text)
    elif isinstance(text, str) and re.fullmatch(r"(\s*\d+(?:\.\d+)?\s*[smhdw])+\s*", text):
        seconds = sum(float(n) * UNITS[unit] for n, unit in DURATION.findall(text))
    else:
        raise ValueError(f"{text!r} is not a duration (e.g. 30s, 5m, 1h30m, 2d)")
    if seconds <= 0:
        raise ValueError(f"{text!r}: a duration must be more than zero")
    return seconds


def interval_trigger(seconds: float) -> IntervalTrigger:
    return IntervalTrigger(seconds=seconds, start_date=EPOCH, timezone=UTC)


def cron_trigger(expression: str, timezone: tzinfo) -> CronTrigger:
    """A five-field crontab line; a bad one raises ``ValueError`` naming the problem."""
    if len(expression.split()) != 5:
        raise ValueError("expected 5 fields (minute hour day month weekday)")
    return CronTrigger.from_crontab(expression, timezone=timezone)


def next_turn(trigger: Trigger, after: datetime) -> datetime | None:
    """The first turn strictly after ``after``."""
    turn = trigger.get_next_fire_time(None, after)
    while turn is not None and turn <= after:
        turn = trigger.get_next_fire_time(turn, turn + timedelta(microseconds=1))
    return turn.astimezone(UTC) if turn is not None else None


def latest_turn(trigger: Trigger, now: datetime) -> datetime | None:
    """The last turn at or before ``now`` (None when the schedule never fired)."""
    for window in LOOKBACK:
        turn = next_turn(trigger, now - window)
        if turn is None or turn > now:
            continue
        while (following := next_turn(trigger, turn)) is not None and following <= now:
            turn = following
        return turn
    return None


def in_words(seconds: float) -> str:
    """``3600`` -> ``1h``, ``90`` -> ``1m30s``."""
    parts, rest = [], round(seconds)
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if rest >= size:
            parts.append(f"{rest // size}{unit}")
            rest %= size
    return "".join(parts) or f"{seconds:g}s"
