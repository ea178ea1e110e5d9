"""The scheduler's part of the store, on SQLite and PostgreSQL: leases, turns, history,
and ``newscrawl runs`` showing scheduled and manual runs together."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from newscrawl.cli import main
from newscrawl.schedule.history import History, crawl_run
from newscrawl.schedule.lease import Leases
from newscrawl.schedule.listing import recent_runs
from newscrawl.storage import open_store
from tests import fixtures_postgres

postgres_server = fixtures_postgres.postgres_server
store_url = fixtures_postgres.store_url
store = fixtures_postgres.store
own_postgres = fixtures_postgres.own_postgres

TURN = datetime(2026, 12, 2, 15, tzinfo=UTC)


def test_a_lease_is_held_by_one_scheduler_at_a_time(store: Any) -> None:
    first, second = Leases(store, "a", 60), Leases(store, "b", 60)
    assert first.acquire("job", 1) is None
    holder = second.acquire("job", 2)
    assert holder is not None and holder.owner == "a" and holder.run_id == 1
    assert "run 1 of a since" in holder.describe()
    assert first.renew("job") and not second.renew("job")
    first.release("job")
    assert second.acquire("job", 2) is None and second.live() == {"job": "b"}


def test_a_lease_not_renewed_lapses_and_is_taken_over(store: Any) -> None:
    dead, alive = Leases(store, "dead", 0), Leases(store, "alive", 60)  # ttl 0: lapses at once
    assert dead.acquire("job", 1) is None
    assert dead.live() == {}
    assert alive.acquire("job", 2) is None
    assert not dead.renew("job")  # the old holder learns it lost the lease


def test_each_turn_is_claimed_once(store: Any) -> None:
    first, second = History(store, "a"), History(store, "b")
    run_id = first.claim("job", "presstv", TURN, TURN)
    assert run_id is not None
    assert second.claim("job", "presstv", TURN, TURN) is None
    assert second.claim("other", "presstv", TURN, TURN) is not None  # per job
    assert first.manual("job", "presstv") != first.manual("job", "presstv")  # manual: no turn
    assert second.last_turn("job") == TURN


def test_empty_runs_in_a_row_are_counted(store: Any) -> None:
    history = History(store, "a")
    for minute, new in enumerate((3, 0, 0)):
        run_id = history.claim("job", "presstv", TURN + timedelta(minutes=minute), TURN)
        assert run_id is not None
        history.ended(run_id, "finished", "", 0, {"new": new, "revision": 0}, None)
    skipped = history.claim("job", "presstv", TURN + timedelta(minutes=9), TURN)
    assert skipped is not None
    history.skipped(skipped, "still going")
    assert history.empty_streak("job") == 2


def test_runs_left_by_a_dead_scheduler_are_marked_failed(store: Any) -> None:
    history, leases = History(store, "dead"), Leases(store, "dead", 0)
    run_id = history.claim("job", "presstv", TURN, TURN)
    assert run_id is not None
    leases.acquire("job", run_id)
    history.started(run_id, "output/logs/job/x.log")
    assert History(store, "new").reap(leases.live(), 30) == 1
    assert history.outcome(run_id) == "failed"


def test_runs_lists_scheduled_and_manual_runs_newest_first(store: Any) -> None:
    history = History(store, "a")
    run_id = history.manual("presstv-hourly", "presstv")
    history.started(run_id, "log")
    crawl = store.begin_run("presstv", {"NEWSCRAWL_SCHEDULE_RUN": str(run_id)})
    store.finish_run(crawl, {"store/new": 4, "listing_pages": 2}, "finished")
    found = crawl_run(store, "presstv", datetime.now(UTC), run_id)
    assert found is not None and found[0] == crawl and found[1]["new"] == 4
    history.ended(run_id, "finished", "", 0, found[1], crawl)
    by_hand = store.begin_run("presstv", {})
    store.finish_run(by_hand, {"store/new": 1}, "finished")
    rows = recent_runs(store)
    assert [(r.trigger, r.job, r.outcome) for r in rows] == [
        ("manual", "", "finished"), ("manual", "presstv-hourly", "finished")]
    assert rows[0].counts["new"] == 1 and rows[1].counts["new"] == 4 and rows[0].id == f"c{by_hand}"
    assert [r.job for r in recent_runs(store, job="presstv-hourly")] == ["presstv-hourly"]
    assert recent_runs(store, site="elsewhere") == []


def test_the_runs_command_prints_json_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path}/s.db"
    opened = open_store(url)
    try:
        run = opened.begin_run("presstv", {})
        opened.finish_run(run, {"store/new": 2}, "finished")
    finally:
        opened.close()
    assert main(["runs", "presstv", "--format", "json", "--store", url]) == 0
    lines = capsys.readouterr().out.splitlines()
    record = json.loads(lines[0])
    assert len(lines) == 1 and record["trigger"] == "manual" and record["counts"]["new"] == 2
    assert set(record) >= {"job", "site", "trigger", "scheduled_for", "started_at", "finished_at",
                           "outcome", "exit_code", "counts"}
    assert main(["runs", "--store", f"sqlite:///{tmp_path}/none.db"]) == 2
    assert "no store there" in capsys.readouterr().err


def test_a_turn_with_jitter_is_planned_within_the_jitter(tmp_path: Path, store: Any) -> None:
    import time

    from newscrawl.schedule.config import load_schedule
    from newscrawl.schedule.runner import Runner
    from newscrawl.schedule.settings import RunnerSettings
    from newscrawl.schedule.triggers import latest_turn

    path = tmp_path / "schedule.toml"
    path.write_text('[jobs.j]\nsite = "presstv"\nevery = "1h"\njitter = "10m"\n', encoding="utf-8")
    config = load_schedule(path)
    runner = Runner(config, store, "sqlite:///unused.db", RunnerSettings())
    turn = latest_turn(config.jobs["j"].trigger, datetime.now(UTC))
    assert turn is not None
    runner.waits.last_turn["j"], runner.waits.next_turn["j"] = turn - timedelta(hours=1), turn  # due
    runner.turns.check()
    (row,) = recent_runs(store, job="j")
    planned = datetime.fromisoformat(str(row.scheduled_for))
    assert row.outcome == "claimed"
    assert datetime.now(UTC) - timedelta(seconds=5) <= planned <= datetime.now(UTC) + timedelta(minutes=10)
    assert runner.waits.due(time.monotonic()) == []  # waits for its jitter
    assert [name for name, _ in runner.waits.due(time.monotonic() + 601)] == ["j"]
    runner.alerts.close()


def test_the_scheduler_rides_out_a_store_restart(tmp_path: Path, own_postgres: Any,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    from newscrawl.schedule.config import load_schedule
    from newscrawl.schedule.runner import Runner
    from newscrawl.schedule.settings import RunnerSettings

    path = tmp_path / "schedule.toml"
    path.write_text('[jobs.j]\nsite = "presstv"\nevery = "1h"\n', encoding="utf-8")
    config = load_schedule(path)
    settings = RunnerSettings(lease=0.001)  # every pass looks for runs of dead schedulers
    runner = Runner(config, open_store(own_postgres.url), own_postgres.url, settings)
    try:
        runner.waits.start(config.jobs, runner.history, datetime.now(UTC))  # next turn: ahead
        own_postgres.stop()
        assert not runner.safe_pass()  # the pass's store query failed: said, not raised
        assert "scheduler pass failed" in caplog.text
        own_postgres.start()
        assert [runner.safe_pass() for _ in range(2)] == [False, True]  # the first one reopens it
        assert runner.history.claim("j", "presstv", TURN, TURN) is not None
    finally:
        runner.close()
        runner.alerts.close()
