"""``newscrawl report``: one self-contained HTML status page (no external resources): per
domain its current state, uptime and a timeline coloured by class; then the crawl runs and
the crawl's failures (requests pending after failing on every domain)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from newscrawl.monitor.history import DomainHistory, domain_histories, probe_points
from newscrawl.monitor.historytext import duration_text
from newscrawl.monitor.timeline import LEGEND, NO_DATA, Segment, segments, ticks
from newscrawl.sites import Site
from newscrawl.storage import open_store
from newscrawl.storage.stamps import stamp

MAX_PENDING_ROWS = 50


@cache
def _templates() -> Environment:
    """The report's templates (package data, ``templates/``), every value escaped."""
    env = Environment(loader=PackageLoader("newscrawl.monitor", "templates"), autoescape=True,
                      undefined=StrictUndefined, keep_trailing_newline=False)
    env.globals["no_data"] = NO_DATA
    return env


@dataclass(frozen=True)
class DomainRow:
    domain: str
    status: str
    since: str
    last_class: str
    uptime: str
    segments: list[Segment]


def _domain_row(h: DomainHistory, points: list[tuple[datetime, str]], start: datetime,
                end: datetime) -> DomainRow:
    since = f"since {h.since:%Y-%m-%d %H:%M} UTC ({duration_text(end - h.since)})" if h.since else ""
    uptime = f"{h.uptime:.1f}%" if h.uptime is not None else "n/a"
    return DomainRow(h.domain, h.status or "unknown", since, h.last_class or "-", uptime,
                     segments(points, start, end))


def _runs(store: Any, site: str, since: datetime) -> list[dict[str, Any]]:
    with store.read() as cur:
        cur.execute(store.sql("SELECT id, started_at, finished_at, outcome, counts FROM runs "
                              "WHERE site = ? AND started_at >= ? ORDER BY started_at DESC"),
                    (site, since.isoformat(timespec="seconds")))
        rows = cur.fetchall()
    runs = []
    for run_id, started, finished, outcome, counts in rows:
        stored = json.loads(counts or "{}")
        summary = ", ".join(f"{k.removeprefix('store/')} {v}" for k, v in sorted(stored.items())
                            if k.startswith("store/"))
        runs.append({"id": run_id, "started": started, "finished": finished or "running",
                     "outcome": outcome or "-", "stored": summary or "-"})
    return runs


def render_report(store: Any, sites: Sequence[Site], days: float, now: datetime | None = None) -> str:
    """The whole page as one string."""
    end = now or datetime.now(UTC)
    start = end - timedelta(days=days)
    histories = domain_histories(store, sites, days)
    points_of = {site.name: probe_points(store, site.name, start) for site in sites}
    first = min((t for points in points_of.values() for _, t, _ in points), default=start)
    shown = max(start, first - (end - first) / 20)  # minutes of probes in a week: drawn over the width
    pages = []
    for site in sites:
        points = points_of[site.name]
        pending = store.pending(site.name)  # the crawl's failures still open: failed on every domain
        pages.append({
            "name": site.name,
            "rows": [_domain_row(h, [(t, c) for d, t, c in points if d == h.domain], shown, end)
                     for h in histories if h.site == site.name],
            "runs": _runs(store, site.name, start),
            "pending": pending[:MAX_PENDING_ROWS], "pending_total": len(pending),
        })
    return _templates().get_template("report.html").render(
        generated=stamp(end)[:19], days=f"{days:g}", start=start,
        zoomed_from=shown if shown > start else None, legend_items=LEGEND, sites=pages,
        ticks=ticks(shown, end))


def write_report(store_url: str, sites: Sequence[Site], days: float, output: str) -> Path:
    """Render the page from the store at ``store_url`` and write it to ``output``."""
    store = open_store(store_url)
    try:
        page = render_report(store, sites, days)
    finally:
        store.close()
    path = Path(output)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    return path
