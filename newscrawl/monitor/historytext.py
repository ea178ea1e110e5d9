"""``newscrawl monitor --history``: uptime, current state and since when, incidents."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from newscrawl.monitor.history import DomainHistory, domain_histories
from newscrawl.monitor.prometheus import exposition, gauge
from newscrawl.monitor.text import printable
from newscrawl.sites import Site
from newscrawl.storage import open_store


def duration_text(span: timedelta) -> str:
    """``3d 4h``, ``2h 5m``, ``4m 10s``, ``12s``."""
    seconds = int(span.total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h"
    if hours:
        return f"{hours}h {minutes}m"
    return f"{minutes}m {secs}s" if minutes else f"{secs}s"


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC") if moment else "-"


def format_history(histories: Sequence[DomainHistory], days: float, now: datetime) -> str:
    """One block per domain: uptime, status since when, then its incidents (stored text
    shown with escapes: ``printable``)."""
    lines: list[str] = []
    for h in histories:
        uptime = f"{h.uptime:.1f}%" if h.uptime is not None else "n/a"
        status = h.status or "never probed"
        lines.append(f"{h.site} {h.domain}: {status}"
                     + (f" since {_when(h.since)}" if h.since else "")
                     + f", uptime {uptime} over {days:g} days ({h.probes} probes)"
                     + (f", last {h.last_class} at {_when(h.last_checked)}" if h.last_checked else ""))
        for incident in h.incidents:
            end = _when(incident.ended_at) if incident.ended_at else "ongoing"
            lines.append(f"  {incident.status:<8} {_when(incident.started_at)} -> {end}"
                         f"  {duration_text(incident.duration(now)):>8}  {incident.cls}"
                         + (f"  ({incident.detail})" if incident.detail else ""))
    return "\n".join(printable(line) for line in lines)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def history_json(histories: Sequence[DomainHistory], now: datetime) -> str:
    """One JSON object per domain (``--history --format json``)."""
    return "\n".join(json.dumps({
        "site": h.site, "domain": h.domain, "status": h.status, "since": _iso(h.since),
        "uptime": h.uptime, "probes": h.probes, "last_class": h.last_class,
        "last_checked": _iso(h.last_checked),
        "incidents": [{"status": i.status, "class": i.cls, "started_at": _iso(i.started_at),
                       "ended_at": _iso(i.ended_at), "seconds": i.duration(now).total_seconds(),
                       "detail": i.detail} for i in h.incidents]}, ensure_ascii=False) for h in histories)


def history_prometheus(histories: Sequence[DomainHistory]) -> str:
    """Uptime and probe counts in Prometheus' text format (``--history --format prometheus``)."""
    return exposition([gauge(
        "newscrawl_domain_uptime_ratio", "Share of successful probes over the window.", ("site", "domain"),
        (({"site": h.site, "domain": h.domain}, round(h.uptime / 100, 4)) for h in histories
         if h.uptime is not None))])


def print_history(store_url: str, sites: Sequence[Site], days: float, fmt: str = "table") -> int:
    """Print the history (``fmt``: table, json or prometheus); exit 0 when every site's
    domains have at least one ``up``."""
    store = open_store(store_url)
    try:
        histories = domain_histories(store, sites, days)
    finally:
        store.close()
    now = datetime.now(UTC)
    if fmt == "json":
        print(history_json(histories, now))
    elif fmt == "prometheus":
        print(history_prometheus(histories))
    else:
        print(format_history(histories, days, now))
    up = {h.site for h in histories if h.status == "up"}
    return 0 if all(site.name in up for site in sites) else 1
