"""End-to-end: the real ``newscrawl schedule`` process against the mock Press TV site."""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
import uuid
from contextlib import AbstractContextManager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from newscrawl.jobs import job_state
from newscrawl.schedule.history import History
from newscrawl.schedule.lease import Leases
from newscrawl.schedule.listing import recent_runs
from newscrawl.schedule.triggers import interval_trigger, latest_turn
from newscrawl.storage import open_store
from newscrawl.storage.stamps import parse_stamp
from tests import fixtures_postgres
from tests.e2e import MockPressTV, serve_presstv
from tests.fixtures_postgres import fresh_database
from tests.schedule_harness import (
    QUICK,
    Scheduler,
    crawl_settings,
    job_table,
    runs,
    stored_count,
    wait_for,
    webhook,
)

SLOW = crawl_settings(DOWNLOAD_DELAY="0.12", RANDOMIZE_DOWNLOAD_DELAY="False",
                      CONCURRENT_REQUESTS_PER_DOMAIN="1", NEWSCRAWL_STORE_BATCH="1")


def write_config(mock: MockPressTV, text: str) -> Path:
    path = mock.tmp / "schedule.toml"
    path.write_text(text, encoding="utf-8")
    return path


def one_domain(tmp_path: Path, articles: int = 12) -> AbstractContextManager[MockPressTV]:
    """The mock on www.presstv.ir alone (no mirrors: a slow run stays on one domain)."""
    return serve_presstv(tmp_path, origins=["http://www.presstv.ir:0"], articles=articles)


def test_two_schedulers_a_job_every_2s_whose_runs_take_longer_never_overlaps(tmp_path: Path) -> None:
    """Two schedulers on one store: each turn is handled once, a run never overlaps the one
    before (the turns that come meanwhile are skipped, with the reason), and the first run
    in a row that stored nothing (alert_after_empty = 1) is posted to the webhook."""
    with one_domain(tmp_path) as mock, webhook() as hook:
        keys = {"every": "2s", "alert_webhook": hook.url, "alert_after_empty": 1}
        config = write_config(mock, job_table("slow", mock, keys, {"settings": SLOW}))
        store = f"sqlite:///{mock.store}"
        schedulers = [Scheduler(tmp_path, config, store), Scheduler(tmp_path, config, store)]
        try:
            wait_for(lambda: len(runs(mock.store, "outcome = 'finished'")) >= 2
                     and len(runs(mock.store, "outcome = 'skipped'")) >= 2 and hook.received.is_set(), 90,
                     "two finished runs, two skipped turns, an alert", schedulers[0])
        finally:
            for scheduler in schedulers:
                scheduler.stop()
    rows = runs(mock.store)
    turns = [r["turn"] for r in rows]
    assert len(turns) == len(set(turns))  # each turn handled once
    started = [r for r in rows if r["started_at"]]
    crawls = [json.loads(settings)["NEWSCRAWL_SCHEDULE_RUN"] for (settings,) in mock.stored(
        "SELECT settings FROM runs")]
    assert len(crawls) == len(set(crawls)) >= 2  # one crawl per started turn, none twice
    assert {int(run) for run in crawls} <= {r["id"] for r in started}
    spans = sorted((parse_stamp(r["started_at"]), parse_stamp(r["finished_at"])) for r in started)  # type: ignore[arg-type]
    for (_, end), (start, _) in itertools.pairwise(spans):
        assert end is not None and start is not None and start >= end  # never two at once
    assert {r["outcome"] for r in rows} <= {"finished", "skipped", "stopped"}
    assert all("still going" in str(r["reason"]) for r in rows if r["outcome"] == "skipped")
    first, second = [r for r in rows if r["outcome"] == "finished"][:2]
    assert first["exit_code"] == 0 and json.loads(str(first["counts"]))["new"] > 0
    assert str(first["log"]).startswith("output/logs/slow/") and (tmp_path / str(first["log"])).exists()
    assert json.loads(str(second["counts"]))["new"] == 0  # everything was stored by the first
    assert [(e["event"], e["run_id"], e["empty_runs"]) for e in hook.events] == [
        ("schedule_runs_empty", second["id"], 1)]


# stored articles are not fetched again; slow enough to be stopped mid-way on a loaded machine
RESUMABLE = {**SLOW, "NEWSCRAWL_REFRESH_WINDOW_HOURS": "0", "DOWNLOAD_DELAY": "0.2"}
ARTICLES = 30
postgres_server = fixtures_postgres.postgres_server


def article_hits(mock: MockPressTV) -> int:
    return len([r for r in mock.server.requests if r.path.startswith("/Detail/")])


def test_a_turn_missed_during_downtime_runs_once_on_restart(tmp_path: Path) -> None:
    now = datetime.now(UTC)
    current = latest_turn(interval_trigger(86400), now)  # daily: a test crosses a turn once in ~10^4
    assert current is not None
    quick = {"max_articles": 2, "settings": crawl_settings()}
    with one_domain(tmp_path) as mock:
        config = write_config(mock, job_table("latest", mock, {"every": "1d"}, quick)
                              + job_table("skip", mock, {"every": "1d", "catch_up": "skip"}, quick))
        store = open_store(f"sqlite:///{mock.store}")
        try:  # the history a scheduler left two days ago
            history = History(store, "an-earlier-scheduler")
            for job in ("latest", "skip"):
                then = current - timedelta(days=2)
                run_id = history.claim(job, "presstv", then, then)
                assert run_id is not None
                history.ended(run_id, "finished", "", 0, {"new": 1}, None)
        finally:
            store.close()
        for attempt in (1, 2):  # a second restart runs nothing more: the turn is handled
            scheduler = Scheduler(tmp_path, config, f"sqlite:///{mock.store}",
                                  "-s", "NEWSCRAWL_SCHEDULE_MISFIRE_GRACE=0.5")
            try:
                wait_for(scheduler.ready, 30, "the scheduler's first pass", scheduler)
                if attempt == 1:
                    wait_for(lambda: runs(mock.store, "job = 'latest' AND outcome = 'finished' "
                                                      "AND owner <> 'an-earlier-scheduler'"),
                             60, "the catch-up run", scheduler)
            finally:
                scheduler.stop()
            latest = runs(mock.store, "job = 'latest'")
            assert [r["outcome"] for r in latest] == ["finished", "finished"]
            assert parse_stamp(str(latest[1]["turn"])) == current
            skip = runs(mock.store, "job = 'skip'")
            assert [r["outcome"] for r in skip] == ["finished", "skipped"]
            assert "catch_up = skip" in str(skip[1]["reason"]) and skip[1]["started_at"] is None


def test_a_failing_run_raises_the_webhook_once(tmp_path: Path) -> None:
    with serve_presstv(tmp_path, articles=12) as mock, webhook(fail_first=1) as hook:
        for origin in mock.server.origins:
            mock.server.set_mode(origin, "refuse")
        config = write_config(mock, job_table("down", mock, {"every": "2s", "alert_webhook": hook.url},
                                              {"settings": crawl_settings()}))
        scheduler = Scheduler(tmp_path, config, f"sqlite:///{mock.store}",
                              "-s", "NEWSCRAWL_SCHEDULE_WEBHOOK_ATTEMPTS=3")
        try:
            wait_for(lambda: hook.received.is_set(), 90, "the webhook's POST", scheduler)
        finally:
            scheduler.stop()
    failed = runs(mock.store, "outcome = 'failed'")
    assert len(failed) == 1 and str(failed[0]["log"]) in str(failed[0]["reason"])
    assert hook.attempts == 2  # the first POST got a 500 and was retried
    assert len(hook.events) == 1
    event = hook.events[0]
    assert event["event"] == "schedule_run_failed" and event["run_id"] == failed[0]["id"]
    assert event["job"] == "down" and event["log"] == failed[0]["log"]


def gone(pid: int) -> bool:
    """The process ended (a zombie waiting for init counts as ended)."""
    try:
        return Path(f"/proc/{pid}/status").read_text().split("State:")[1].split()[0] == "Z"
    except (FileNotFoundError, IndexError):
        return True


def test_a_stopped_or_killed_scheduler_s_run_resumes_on_the_next_start(tmp_path: Path) -> None:
    """SIGTERM stops the run within the grace (a clean stop of the job); SIGKILL takes the
    crawl with the scheduler and its lease lapses; each time the next start resumes the job,
    which ends with every article stored once, only the missing ones fetched again."""
    lease = ("-s", "NEWSCRAWL_SCHEDULE_LEASE_SECONDS=3")
    with one_domain(tmp_path, articles=ARTICLES) as mock:
        mock.server.set_mode(mock.domains[0], "slow", delay=0.2)  # runs long enough to be stopped
        config = write_config(mock, job_table("resume", mock, {"every": "2s"}, {"settings": RESUMABLE}))
        store = f"sqlite:///{mock.store}"
        mock.server.hold("/Detail/", after=12)  # the first run cannot get far, however fast
        first = Scheduler(tmp_path, config, store, *lease)
        try:
            wait_for(lambda: stored_count(mock.store) >= 5, 60, "5 articles stored", first)
        finally:
            took = first.stop(signalled=mock.server.release)
        assert first.process.returncode == 0 and took < 15  # NEWSCRAWL_SCHEDULE_STOP_GRACE=15
        stopped = runs(mock.store, "outcome = 'stopped'")
        assert len(stopped) == 1 and "resumes" in str(stopped[0]["reason"])
        assert job_state(tmp_path / "output" / "jobs" / "presstv-resume") == "stopped"  # a clean stop
        after_stop = stored_count(mock.store)
        mock.server.hold("/Detail/", after=6)  # the resumed run stops short of the end
        second = Scheduler(tmp_path, config, store, *lease)
        try:
            mock.server.wait_held(1, timeout=60)
            wait_for(lambda: stored_count(mock.store) > after_stop, 60, "more articles", second)
        finally:
            second.kill()  # SIGKILL: no chance to stop its child or release the lease
        pid = int(second.text().split("started (pid ")[1].split(")")[0])
        wait_for(lambda: gone(pid), 10, "the crawl to die with its scheduler")
        mock.server.release()  # answered to a dead crawl: nobody stores them
        before, hits_before = stored_count(mock.store), article_hits(mock)
        assert before < ARTICLES
        third = Scheduler(tmp_path, config, store, *lease)
        try:
            wait_for(lambda: runs(mock.store, "outcome = 'finished'"), 90, "a run after the lease lapsed",
                     third)
        finally:
            third.stop()
        assert sorted(url for (url,) in mock.stored("SELECT url FROM articles")) == sorted(mock.expected_urls)
        assert article_hits(mock) - hits_before <= ARTICLES - before + 8  # only what was missing
    killed = [r for r in runs(mock.store) if r["log"] and r["outcome"] not in ("finished", "stopped")]
    assert [r["outcome"] for r in killed] == ["failed"] and "killed?" in str(killed[0]["reason"])


def run_now(mock: MockPressTV, config: Path, job: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "newscrawl.cli", "schedule", "--config", str(config), "--store",
               f"sqlite:///{mock.store}", "--run-now", job, *QUICK]
    return subprocess.run(command, cwd=mock.tmp, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONWARNINGS": "ignore"})


def test_run_now_honours_the_lock_and_the_timeout(tmp_path: Path) -> None:
    with one_domain(tmp_path) as mock:
        config = write_config(mock, job_table("now", mock, {"cron": "0 0 1 1 *", "timeout": "2s"},
                                              {"settings": SLOW}))
        store = open_store(f"sqlite:///{mock.store}")
        try:
            Leases(store, "a-crawl-from-cron", 60).acquire("now", None)
            held = run_now(mock, config, "now")
            assert held.returncode == 1 and not mock.server.requests  # nothing ran
            assert runs(mock.store)[-1]["outcome"] == "skipped"
            assert "a-crawl-from-cron" in str(runs(mock.store)[-1]["reason"])
            Leases(store, "a-crawl-from-cron", 60).release("now")
        finally:
            store.close()
        timed_out = run_now(mock, config, "now")
    assert timed_out.returncode == 1, timed_out.stderr[-2000:]
    last = runs(mock.store)[-1]
    assert last["trigger"] == "manual" and last["outcome"] == "timeout" and last["turn"] is None
    assert "timeout of 2s" in str(last["reason"]) and (tmp_path / str(last["log"])).exists()


def test_a_monitor_job_runs_one_monitor_round(tmp_path: Path) -> None:
    with one_domain(tmp_path) as mock:
        config = write_config(mock, job_table("domains", mock, {"monitor": True, "every": "5m"},
                                              {"timeout": 3}))
        done = run_now(mock, config, "domains")
    assert done.returncode == 0, done.stderr[-2000:]
    assert runs(mock.store)[-1]["outcome"] == "finished"
    assert mock.stored("SELECT domain, failure_class FROM monitor_probes") == [(mock.domains[0], "ok")]


def test_two_run_nows_on_a_postgresql_store_run_the_job_once(tmp_path: Path, postgres_server: str) -> None:
    url = fresh_database(postgres_server, f"t_{uuid.uuid4().hex[:12]}")
    with one_domain(tmp_path) as mock:
        config = write_config(mock, job_table("pg", mock, {"cron": "0 0 1 1 *"}, {"settings": SLOW}))
        command = [sys.executable, "-m", "newscrawl.cli", "schedule", "--config", str(config), "--store", url,
                   "--run-now", "pg", *QUICK]
        env = {**os.environ, "PYTHONWARNINGS": "ignore"}
        first = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                 env=env)
        store = open_store(url)
        try:
            wait_for(lambda: [r for r in recent_runs(store, job="pg") if r.outcome == "running"], 60,
                     "the first run to start")
            second = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, env=env,
                                    timeout=60)
            running = [r.outcome for r in recent_runs(store, job="pg")]
            first.send_signal(signal.SIGTERM)  # a graceful stop of the first (and only) run
            first.wait(timeout=60)
            rows = recent_runs(store, job="pg")
        finally:
            store.close()
            if first.poll() is None:
                first.kill()
    assert running == ["skipped", "running"], second.stderr[-2000:]
    assert second.returncode == 1 and "is still going" in rows[0].reason
    assert [r.outcome for r in rows] == ["skipped", "stopped"] and first.returncode == 1


def test_a_crawl_leaving_requests_pending_is_a_finished_run(tmp_path: Path) -> None:
    with one_domain(tmp_path) as mock:
        mock.server.set_mode(mock.domains[0], "http_5xx", after=12)  # the rest fails: pending
        config = write_config(mock, job_table("pending", mock, {"cron": "0 0 1 1 *"},
                                              {"settings": crawl_settings()}))
        done = run_now(mock, config, "pending")
    last = runs(mock.store)[-1]
    assert done.returncode == 0, done.stderr[-2000:]
    assert (last["outcome"], last["exit_code"]) == ("finished", 3)
    assert "newscrawl pending presstv" in str(last["reason"])
    assert json.loads(str(last["counts"]))["pending"] > 0
