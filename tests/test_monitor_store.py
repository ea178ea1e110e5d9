"""Probes and incidents in a real store (SQLite, and PostgreSQL when installed): history,
uptime, state kept across runs, and what the crawler asks (``down_domains``)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newscrawl.monitor.config import MonitorConfig
from newscrawl.monitor.history import domain_histories, down_domains, preferred_domains, probe_points
from newscrawl.monitor.historytext import format_history
from newscrawl.monitor.result import ProbeResult
from newscrawl.monitor.runner import Monitor
from newscrawl.sites import Site, get_site
from newscrawl.storage import Store, open_store
from newscrawl.storage.schema import COMPONENTS
from tests import fixtures_postgres

postgres_server = fixtures_postgres.postgres_server
store_url = fixtures_postgres.store_url
store = fixtures_postgres.store

A, B = "https://a.example", "https://b.example"
SITE: Site = dataclasses.replace(get_site("presstv"), domains=(A, B))
START = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)


def probe(domain: str, cls: str, minute: int) -> ProbeResult:
    return ProbeResult(site=SITE.name, domain=domain, cls=cls, checked_at=START + timedelta(minutes=minute),
                       http_status=200 if cls == "ok" else None, timings={"total": 0.1})


def feed(monitor: Monitor, classes: dict[str, str], first_minute: int = 0) -> None:
    """One round per position of the class strings: 'o' ok, 's' soft_seized, 'r' tcp_refused."""
    names = {"o": "ok", "s": "soft_seized", "r": "tcp_refused"}
    rounds = len(next(iter(classes.values())))
    for i in range(rounds):
        monitor.record([probe(domain, names[marks[i]], first_minute + i)
                        for domain, marks in classes.items()])


def test_history_incidents_and_uptime(store: Store) -> None:
    assert store.schema_version("monitor") == 1
    feed(Monitor([SITE], MonitorConfig(), store), {A: "oosssoo", B: "ooooooo"})
    a, b = domain_histories(store, [SITE], days=1)
    assert (a.domain, a.status, a.since) == (A, "up", START + timedelta(minutes=6))
    assert (a.probes, a.ok_probes, a.last_class) == (7, 4, "ok")
    assert [(i.status, i.cls, (i.started_at - START) // timedelta(minutes=1), i.duration(i.started_at))
            for i in a.incidents] == [("pending", "soft_seized", 2, timedelta(minutes=2)),
                             ("down", "soft_seized", 4, timedelta(minutes=2))]
    assert (b.status, b.uptime, b.incidents) == ("up", 100.0, [])
    assert a.uptime == pytest.approx(100 * 4 / 7)
    text = format_history([a, b], 1, START + timedelta(minutes=10))
    assert "https://a.example: up since" in text and "uptime 57.1%" in text
    assert "down" in text and "2m 0s  soft_seized" in text
    assert [p[2] for p in probe_points(store, SITE.name, START) if p[0] == A] == [
        "ok", "ok", "soft_seized", "soft_seized", "soft_seized", "ok", "ok"]


def test_state_carries_over_to_the_next_run(store_url: str) -> None:
    for minute in range(3):  # three separate `monitor --once` runs, each on a fresh connection
        store = open_store(store_url)
        monitor = Monitor([SITE], MonitorConfig(), store)
        feed(monitor, {A: "r", B: "o"}, first_minute=minute)
        store.close()
    store = open_store(store_url)
    try:
        states = Monitor([SITE], MonitorConfig(), store).states
        assert states[(SITE.name, A)].status == "down" and states[(SITE.name, A)].failures == 3
        assert states[(SITE.name, A)].since == START + timedelta(minutes=2)
        assert states[(SITE.name, B)].status == "up"
    finally:
        store.close()


def test_down_domains_are_recent_down_ones(store: Store) -> None:
    monitor = Monitor([SITE], MonitorConfig(), store)
    feed(monitor, {A: "rrr", B: "rro"})
    assert down_domains(store, SITE.name, max_age_seconds=2 * 3600) == {A: "tcp_refused"}
    assert down_domains(store, SITE.name, max_age_seconds=60) == {}, "an old probe says nothing now"
    assert down_domains(store, "other-site", max_age_seconds=2 * 3600) == {}


def test_preferred_domains_put_healthy_mirrors_first(store: Store) -> None:
    c = "https://c.example"
    three = dataclasses.replace(SITE, domains=(A, B, c))
    feed(Monitor([three], MonitorConfig(), store), {A: "rrr", B: "ooo", c: "oor"})
    assert preferred_domains(store, three, max_age_seconds=2 * 3600) == [B, c, A]
    assert preferred_domains(store, three, max_age_seconds=60) == [A, B, c], "stale: failover order"


def test_a_store_opened_before_the_monitor_registered_gets_its_tables(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monitor_migrations = COMPONENTS["monitor"]
    monkeypatch.delitem(COMPONENTS, "monitor")
    crawler_store = open_store(f"sqlite:///{tmp_path}/crawl.db")  # e.g. the crawler's, opened first
    assert crawler_store.schema_version("monitor") == 0
    monkeypatch.setitem(COMPONENTS, "monitor", monitor_migrations)
    assert down_domains(crawler_store, SITE.name, 3600) == {}
    assert crawler_store.schema_version("monitor") == 1
    crawler_store.close()
