"""What the store remembers of each domain: current status and since when, uptime over a
window, incidents (periods not ``up``); and which domains the crawler should skip."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from newscrawl.monitor.schema import ensure_schema
from newscrawl.monitor.state import DOWN, PENDING, UP
from newscrawl.sites import Site
from newscrawl.storage.stamps import parse_stamp, stamp

LATEST = ("SELECT domain, status, failure_class, checked_at FROM monitor_probes WHERE id IN "
          "(SELECT MAX(id) FROM monitor_probes WHERE site = ? GROUP BY domain)")


@dataclass(frozen=True)
class Incident:
    """A period in which a domain was ``pending`` or ``down``, and the class that began it."""

    site: str
    domain: str
    status: str
    cls: str
    started_at: datetime
    ended_at: datetime | None
    detail: str = ""

    def duration(self, now: datetime) -> timedelta:
        return (self.ended_at or now) - self.started_at


@dataclass(frozen=True)
class DomainHistory:
    """One domain over the window: where it stands now and how it fared."""

    site: str
    domain: str
    status: str = ""
    """Current status; empty when never probed."""
    since: datetime | None = None
    last_class: str = ""
    last_checked: datetime | None = None
    probes: int = 0
    ok_probes: int = 0
    incidents: list[Incident] = field(default_factory=list)

    @property
    def uptime(self) -> float | None:
        """Percent of the window's probes that were ``ok``."""
        return 100.0 * self.ok_probes / self.probes if self.probes else None


def _latest(store: Any, site: str) -> dict[str, tuple[Any, ...]]:
    with store.read() as cur:
        cur.execute(store.sql(LATEST), (site,))
        return {row[0]: row[1:] for row in cur.fetchall()}


def down_domains(store: Any, site_name: str, max_age_seconds: float) -> dict[str, str]:
    """Origin -> class of its last probe, for the site's domains whose status is ``down``
    and whose last probe is at most ``max_age_seconds`` old (the crawler skips them)."""
    ensure_schema(store)
    oldest = stamp(datetime.now(UTC) - timedelta(seconds=max_age_seconds))
    return {domain: str(cls) for domain, (status, cls, checked) in _latest(store, site_name).items()
            if status == DOWN and str(checked) >= oldest}


def preferred_domains(store: Any, site: Site, max_age_seconds: float) -> list[str]:
    """The site's domains in the order a crawl should try them: recently ``up`` ones first,
    then those without a recent verdict, then ``pending``, then ``down``; failover order
    within each group (so a healthy primary stays first)."""
    ensure_schema(store)
    oldest = stamp(datetime.now(UTC) - timedelta(seconds=max_age_seconds))
    latest = _latest(store, site.name)
    rank = {UP: 0, "": 1, PENDING: 2, DOWN: 3}

    def status(domain: str) -> str:
        found, _, checked = latest.get(domain, ("", "", ""))
        return str(found) if str(checked) >= oldest else ""

    return sorted(site.domains, key=lambda domain: rank.get(status(domain), 1))


def _counts(store: Any, site: str, since: str) -> dict[str, tuple[int, int]]:
    with store.read() as cur:
        cur.execute(store.sql(
            "SELECT domain, COUNT(*), SUM(CASE WHEN failure_class = 'ok' THEN 1 ELSE 0 END) "
            "FROM monitor_probes WHERE site = ? AND checked_at >= ? GROUP BY domain"), (site, since))
        return {row[0]: (int(row[1]), int(row[2] or 0)) for row in cur.fetchall()}


def _incidents(store: Any, site: str, since: str) -> list[Incident]:
    with store.read() as cur:
        cur.execute(store.sql(
            "SELECT domain, status, failure_class, started_at, ended_at, detail, id "
            "FROM monitor_incidents WHERE site = ? AND status <> ? "
            "AND (ended_at IS NULL OR ended_at >= ?) ORDER BY started_at, id"), (site, UP, since))
        rows = cur.fetchall()
    return [Incident(site, r[0], r[1], r[2], parse_stamp(r[3]) or datetime.now(UTC),
                     parse_stamp(r[4]), r[5]) for r in rows]


def _open_since(store: Any, site: str) -> dict[str, datetime | None]:
    with store.read() as cur:
        cur.execute(store.sql("SELECT domain, started_at FROM monitor_incidents "
                              "WHERE site = ? AND ended_at IS NULL"), (site,))
        return {row[0]: parse_stamp(row[1]) for row in cur.fetchall()}


def domain_histories(store: Any, sites: Sequence[Site], days: float) -> list[DomainHistory]:
    """Every domain of ``sites``, in their failover order, over the last ``days`` days."""
    ensure_schema(store)
    since = stamp(datetime.now(UTC) - timedelta(days=days))
    histories: list[DomainHistory] = []
    for site in sites:
        latest, counts = _latest(store, site.name), _counts(store, site.name, since)
        incidents, opened = _incidents(store, site.name, since), _open_since(store, site.name)
        for domain in site.domains:
            status, cls, checked = latest.get(domain, ("", "", None))
            probes, ok = counts.get(domain, (0, 0))
            histories.append(DomainHistory(
                site.name, domain, str(status), opened.get(domain), str(cls), parse_stamp(checked),
                probes, ok, [i for i in incidents if i.domain == domain]))
    return histories


def probe_points(store: Any, site: str, since: datetime) -> list[tuple[str, datetime, str]]:
    """(domain, checked_at, class) of every probe of ``site`` since ``since``, oldest first."""
    ensure_schema(store)
    with store.read() as cur:
        cur.execute(store.sql("SELECT domain, checked_at, failure_class FROM monitor_probes "
                              "WHERE site = ? AND checked_at >= ? ORDER BY id"), (site, stamp(since)))
        rows = cur.fetchall()
    return [(row[0], parse_stamp(row[1]) or since, row[2]) for row in rows]
