"""The geometry of the report's uptime timelines (drawn as inline SVG by
``templates/_timeline.html``): one bar per domain, each probe a segment coloured by its
class, lasting until the next probe (or now); a time axis with ticks at round times."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise

from newscrawl.classify.classes import HTTP_CLASSES, NETWORK_CLASSES, OK, SITE_CLASSES, SOFT_CLASSES

GROUP_COLOURS = (
    ((OK,), "#2e9d4f", "ok"),
    (NETWORK_CLASSES, "#d64541", "network (DNS, TCP, TLS, timeout)"),
    (HTTP_CLASSES, "#f08c00", "HTTP 4xx/5xx"),
    (SOFT_CLASSES, "#8e44ad", "seized, parked, challenge, block page"),
    (SITE_CLASSES, "#2c7fb8", "offsite redirect, not the site"),
)
NO_DATA = "#e3e3e3"
UNKNOWN_COLOUR = "#7f7f7f"
LEGEND = (*((value, label) for _, value, label in GROUP_COLOURS), (NO_DATA, "no probe"))
"""The colour key: (colour, what it means)."""
WIDTH = 640


def colour(cls: str) -> str:
    """The colour of a class's group."""
    for classes, value, _ in GROUP_COLOURS:
        if cls in classes:
            return value
    return UNKNOWN_COLOUR


@dataclass(frozen=True)
class Segment:
    """One probe on a timeline: from ``x``, ``width`` pixels wide."""

    x: float
    width: float
    fill: str
    cls: str
    moment: datetime


@dataclass(frozen=True)
class Tick:
    """One tick of the time axis."""

    x: float
    anchor: str
    label: str


def segments(points: Sequence[tuple[datetime, str]], start: datetime, end: datetime,
             width: int = WIDTH) -> list[Segment]:
    """Probes (time, class), oldest first, placed between ``start`` and ``end``; each lasts until
    the next one, but no longer than twice the median interval (a stopped monitor leaves a gap)."""
    span = max((end - start).total_seconds(), 1.0)

    def x(moment: datetime) -> float:
        return round(width * min(max((moment - start).total_seconds() / span, 0.0), 1.0), 2)

    gaps = sorted((b[0] - a[0]).total_seconds() for a, b in pairwise(points))
    longest = 2 * gaps[len(gaps) // 2] if gaps else span  # a probe speaks for two usual intervals
    found = []
    for index, (moment, cls) in enumerate(points):
        until = points[index + 1][0] if index + 1 < len(points) else end
        until = min(until, moment + timedelta(seconds=longest))
        left, right = x(moment), x(until)
        found.append(Segment(left, max(right - left, 1.0), colour(cls), cls, moment))
    return found


TICK_STEPS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1),
              timedelta(hours=3), timedelta(hours=6), timedelta(hours=12), timedelta(days=1),
              timedelta(days=7), timedelta(days=30))
MAX_TICKS = 8


def ticks(start: datetime, end: datetime, width: int = WIDTH) -> list[Tick]:
    """Ticks at round times, at most ``MAX_TICKS``, labelled with the time (and the day when
    the span is a day or more)."""
    span = max((end - start).total_seconds(), 1.0)
    step = next((s for s in TICK_STEPS if span / s.total_seconds() <= MAX_TICKS), TICK_STEPS[-1])
    seconds = step.total_seconds()
    label = "%m-%d %H:%M" if span >= 86400 else "%H:%M"
    tick, found = start + timedelta(seconds=(-start.timestamp()) % seconds), []
    while tick <= end:
        x = round(width * (tick - start).total_seconds() / span, 2)
        anchor = "start" if x < 40 else ("end" if x > width - 40 else "middle")
        found.append(Tick(x, anchor, tick.strftime(label)))
        tick += step
    return found
