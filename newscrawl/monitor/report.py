"""``newscrawl report``: one self-contained HTML status page (no external resources): per
domain its current state, uptime and a timeline coloured by class; then the crawl runs and
the crawl's failures (requests pending after failing on every domain)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from html import escape
from pathlib import Path
from typing import Any

from newscrawl.monitor.history import DomainHistory, domain_histories, probe_points
from newscrawl.monitor.historytext import duration_text
from newscrawl.monitor.timeline import axis_svg, legend_html, timeline_svg
from newscrawl.sites import Site
from newscrawl.storage import open_store
from newscrawl.storage.stamps import stamp

STYLE = """body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:.5em 0 2em}td,th{padding:.3em .8em;text-align:left;
border-bottom:1px solid #ddd;vertical-align:middle}.status{font-weight:bold;padding:.1em .5em;
border-radius:3px;color:#fff}.up{background:#2e9d4f}.pending{background:#f08c00}
.down{background:#d64541}.unknown{background:#7f7f7f}.key{margin-right:1em}
.key i{display:inline-block;width:.9em;height:.9em;margin-right:.3em;vertical-align:middle}"""


def _domain_row(h: DomainHistory, points: list[tuple[datetime, str]], start: datetime,
                end: datetime) -> str:
    status = h.status or "unknown"
    since = f"since {h.since:%Y-%m-%d %H:%M} UTC ({duration_text(end - h.since)})" if h.since else ""
    uptime = f"{h.uptime:.1f}%" if h.uptime is not None else "n/a"
    return (f'<tr class="domain" data-domain="{escape(h.domain)}" data-status="{escape(status)}">'
            f"<td>{escape(h.domain)}</td>"
            f'<td><span class="status {escape(status)}">{escape(status)}</span></td>'
            f"<td>{escape(since)}</td><td>{escape(h.last_class or '-')}</td><td>{uptime}</td>"
            f"<td>{timeline_svg(points, start, end)}</td></tr>")


def _runs(store: Any, site: str, since: datetime) -> list[tuple[Any, ...]]:
    with store.read() as cur:
        cur.execute(store.sql("SELECT id, started_at, finished_at, outcome, counts FROM runs "
                              "WHERE site = ? AND started_at >= ? ORDER BY started_at DESC"),
                    (site, since.isoformat(timespec="seconds")))
        return [tuple(row) for row in cur.fetchall()]


def _runs_table(rows: list[tuple[Any, ...]]) -> str:
    if not rows:
        return "<p>No crawl runs in this window.</p>"
    body = []
    for run_id, started, finished, outcome, counts in rows:
        stored = json.loads(counts or "{}")
        summary = ", ".join(f"{k.removeprefix('store/')} {v}" for k, v in sorted(stored.items())
                            if k.startswith("store/"))
        body.append(f"<tr><td>{run_id}</td><td>{escape(str(started))}</td>"
                    f"<td>{escape(str(finished or 'running'))}</td><td>{escape(str(outcome or '-'))}</td>"
                    f"<td>{escape(summary or '-')}</td></tr>")
    return ("<table class=\"runs\"><tr><th>run</th><th>started</th><th>finished</th><th>outcome</th>"
            "<th>stored</th></tr>" + "".join(body) + "</table>")


MAX_PENDING_ROWS = 50


def _pending_table(store: Any, site: str) -> str:
    """The crawl's failures that are still open: requests that failed on every domain."""
    pending = store.pending(site)
    if not pending:
        return "<p>No pending requests: every request of the crawls was answered.</p>"
    rows = "".join(f"<tr><td>{escape(p.url)}</td><td>{escape(', '.join(p.classes))}</td><td>{p.attempts}</td>"
                   f"<td>{p.last_failed:%Y-%m-%d %H:%M} UTC</td></tr>" for p in pending[:MAX_PENDING_ROWS])
    more = len(pending) - MAX_PENDING_ROWS
    shown = f"; {more} more than shown" if more > 0 else ""
    return (f"<p>{len(pending)} requests failed on every domain (newscrawl pending {escape(site)} lists them"
            f"{shown}).</p><table class=\"pending\"><tr><th>url</th><th>failure classes</th><th>tries</th>"
            "<th>last failed</th></tr>" + rows + "</table>")


def render_report(store: Any, sites: Sequence[Site], days: float, now: datetime | None = None) -> str:
    """The whole page as one string."""
    end = now or datetime.now(UTC)
    start = end - timedelta(days=days)
    histories = domain_histories(store, sites, days)
    points_of = {site.name: probe_points(store, site.name, start) for site in sites}
    first = min((t for points in points_of.values() for _, t, _ in points), default=start)
    shown = max(start, first - (end - first) / 20)  # minutes of probes in a week: drawn over the width
    zoom = f" (timelines from the first probe, {shown:%Y-%m-%d %H:%M} UTC)" if shown > start else ""
    parts = [f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>newscrawl status"
             f"</title><style>{STYLE}</style></head><body><h1>Domain status</h1>"
             f"<p>Generated {stamp(end)[:19]} UTC; window {days:g} days from {start:%Y-%m-%d %H:%M} UTC"
             f"{zoom}.</p>", legend_html()]
    for site in sites:
        points = points_of[site.name]
        rows = [_domain_row(h, [(t, c) for d, t, c in points if d == h.domain], shown, end)
                for h in histories if h.site == site.name]
        rows.append(f'<tr class="axis"><td colspan="5"></td><td>{axis_svg(shown, end)}</td></tr>')
        parts.append(f'<h2 id="site-{escape(site.name)}">{escape(site.name)}</h2>'
                     "<table class=\"domains\"><tr><th>domain</th><th>state</th><th>since</th>"
                     "<th>last class</th><th>uptime</th><th>timeline</th></tr>" + "".join(rows) + "</table>"
                     f"<h3>Crawl runs</h3>{_runs_table(_runs(store, site.name, start))}"
                     f"<h3>Crawl failures</h3>{_pending_table(store, site.name)}")
    parts.append("</body></html>")
    return "\n".join(parts)


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
