"""Crawl runs in the store (storage/runs.py): settings stored with credentials masked, and the
unfinished runs of killed crawls marked ``killed`` when the next run of the site begins."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

from newscrawl.storage.runs import process_alive, this_host
from tests import fixtures_postgres

postgres_server = fixtures_postgres.postgres_server
store_url = fixtures_postgres.store_url
store = fixtures_postgres.store


def runs(store: Any) -> dict[int, tuple[Any, ...]]:
    with store.read() as cur:
        cur.execute("SELECT id, outcome, finished_at, settings, pid, host FROM runs ORDER BY id")
        return {int(row[0]): tuple(row[1:]) for row in cur.fetchall()}


def dead_pid() -> int:
    """The pid of a process that has exited (and been reaped)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def set_run(store: Any, run_id: int, pid: int | None, host: str | None, started: datetime) -> None:
    with store.transaction() as cur:
        cur.execute(store.sql("UPDATE runs SET pid = ?, host = ?, started_at = ? WHERE id = ?"),
                    (pid, host, started.isoformat(timespec="seconds"), run_id))


def test_run_settings_are_stored_with_credentials_masked(store: Any) -> None:
    settings = {"NEWSCRAWL_STORE": "postgresql://crawler:hunter2@db:5432/news?password=hunter2",
                "NEWSCRAWL_MONITOR_WEBHOOK_TOKEN": "hunter2", "NEWSCRAWL_STORE_BATCH": 50}
    run_id = store.begin_run("presstv", settings)
    stored = runs(store)[run_id]
    assert "hunter2" not in stored[2]
    assert json.loads(stored[2]) == {
        "NEWSCRAWL_STORE": "postgresql://crawler:***@db:5432/news?password=***",
        "NEWSCRAWL_MONITOR_WEBHOOK_TOKEN": "***", "NEWSCRAWL_STORE_BATCH": 50}
    assert stored[3:] == (os.getpid(), this_host())


def test_unfinished_runs_of_gone_processes_are_marked_killed(store: Any) -> None:
    now = datetime.now(UTC)
    dead, alive, reused, other_old, other_new, before_v5, finished, other_site = (
        store.begin_run("presstv", {}) for _ in range(8))
    set_run(store, dead, dead_pid(), this_host(), now - timedelta(minutes=5))
    set_run(store, alive, os.getpid(), this_host(), now)  # this test's process: running
    set_run(store, reused, os.getpid(), this_host(), datetime(2000, 1, 1, tzinfo=UTC))  # pid reused since
    set_run(store, other_old, 4242, "another-host", now - timedelta(hours=49))
    set_run(store, other_new, 4242, "another-host", now - timedelta(hours=47))
    set_run(store, before_v5, None, None, now - timedelta(hours=72))
    store.finish_run(finished, {"store/new": 1}, "finished")
    with store.transaction() as cur:
        cur.execute(store.sql("UPDATE runs SET site = 'other', pid = ? WHERE id = ?"),
                    (dead_pid(), other_site))
    current = store.begin_run("presstv", {})
    outcomes = {run_id: row[0] for run_id, row in runs(store).items()}
    assert outcomes == {dead: "killed", alive: None, reused: "killed", other_old: "killed", other_new: None,
                        before_v5: "killed", finished: "finished", other_site: None, current: None}
    assert all(runs(store)[run_id][1] for run_id in (dead, reused, other_old, before_v5))


def test_process_alive_tells_a_reused_pid() -> None:
    started = datetime.now(UTC)
    assert process_alive(os.getpid(), started)
    assert not process_alive(os.getpid(), datetime(2000, 1, 1, tzinfo=UTC))  # started after that run
    assert not process_alive(dead_pid(), started - timedelta(seconds=1))


def test_the_workers_of_a_distributed_crawl_are_one_run(store: Any) -> None:
    """Three run rows, two of them workers of one Redis crawl: `stats` counts two runs and
    `runs` lists two, the workers' one with their counts added up and the worst outcome."""
    from newscrawl.schedule.listing import recent_runs

    first, second = store.begin_run("presstv", {}), store.begin_run("presstv", {})
    alone = store.begin_run("presstv", {})
    for run_id in (first, second):
        store.join_crawl(run_id, "c0ffee")
    store.finish_run(first, {"store/new": 3}, "finished")
    store.finish_run(second, {"store/new": 4}, "redis_failed")
    store.finish_run(alone, {"store/new": 1}, "finished")
    (site,) = store.stats().sites
    assert site.runs == 2
    rows = {row.workers: row for row in recent_runs(store, "presstv")}
    assert set(rows) == {1, 2}
    assert rows[2].id == f"c{first}" and rows[2].counts["new"] == 7 and rows[2].outcome == "failed"
    assert rows[2].reason == "redis_failed" and rows[1].counts["new"] == 1
