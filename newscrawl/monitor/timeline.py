"""An uptime timeline as inline SVG: one bar per domain, each probe a segment coloured by
its class, lasting until the next probe (or now)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from html import escape
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


def colour(cls: str) -> str:
    """The colour of a class's group."""
    for classes, value, _ in GROUP_COLOURS:
        if cls in classes:
            return value
    return UNKNOWN_COLOUR


def timeline_svg(points: Sequence[tuple[datetime, str]], start: datetime, end: datetime,
                 width: int = 640, height: int = 22) -> str:
    """Probes (time, class), oldest first, drawn between ``start`` and ``end``; each lasts until
    the next one, but no longer than twice the median interval (a stopped monitor leaves a gap)."""
    span = max((end - start).total_seconds(), 1.0)

    def x(moment: datetime) -> float:
        return round(width * min(max((moment - start).total_seconds() / span, 0.0), 1.0), 2)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" class="timeline">',
             f'<rect x="0" y="0" width="{width}" height="{height}" fill="{NO_DATA}"/>']
    gaps = sorted((b[0] - a[0]).total_seconds() for a, b in pairwise(points))
    longest = 2 * gaps[len(gaps) // 2] if gaps else span  # a probe speaks for two usual intervals
    for index, (moment, cls) in enumerate(points):
        until = points[index + 1][0] if index + 1 < len(points) else end
        until = min(until, moment + timedelta(seconds=longest))
        left, right = x(moment), x(until)
        parts.append(f'<rect x="{left}" y="0" width="{max(right - left, 1.0)}" height="{height}" '
                     f'fill="{colour(cls)}" data-class="{escape(cls)}">'
                     f'<title>{escape(moment.strftime("%Y-%m-%d %H:%M:%S"))} {escape(cls)}</title></rect>')
    parts.append("</svg>")
    return "".join(parts)


TICK_STEPS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1),
              timedelta(hours=3), timedelta(hours=6), timedelta(hours=12), timedelta(days=1),
              timedelta(days=7), timedelta(days=30))
MAX_TICKS = 8


def axis_svg(start: datetime, end: datetime, width: int = 640, height: int = 18) -> str:
    """A time axis under the timelines: ticks at round times, at most ``MAX_TICKS``, labelled
    with the time (and the day when the span is a day or more)."""
    span = max((end - start).total_seconds(), 1.0)
    step = next((s for s in TICK_STEPS if span / s.total_seconds() <= MAX_TICKS), TICK_STEPS[-1])
    seconds = step.total_seconds()
    epoch = start.timestamp()
    first = start + timedelta(seconds=(-epoch) % seconds)
    label = "%m-%d %H:%M" if span >= 86400 else "%H:%M"
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" class="axis">']
    tick = first
    while tick <= end:
        x = round(width * (tick - start).total_seconds() / span, 2)
        anchor = "start" if x < 40 else ("end" if x > width - 40 else "middle")
        parts.append(f'<line x1="{x}" y1="0" x2="{x}" y2="4" stroke="#555"/><text x="{x}" y="15" '
                     f'font-size="10" text-anchor="{anchor}" fill="#555">{tick.strftime(label)}</text>')
        tick += step
    parts.append("</svg>")
    return "".join(parts)


def legend_html() -> str:
    """The colour key."""
    items = [f'<span class="key"><i style="background:{value}"></i>{escape(label)}</span>'
             for _, value, label in GROUP_COLOURS]
    items.append(f'<span class="key"><i style="background:{NO_DATA}"></i>no probe</span>')
    return '<p class="legend">' + " ".join(items) + "</p>"
