"""The schedule file and the turns of a job: what is accepted, what is refused (one line)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newscrawl.cli import main
from newscrawl.schedule.config import load_schedule
from newscrawl.schedule.triggers import (
    cron_trigger,
    interval_trigger,
    latest_turn,
    next_turn,
    parse_duration,
)

GOOD = """
alert_webhook = "http://127.0.0.1:9/hook"
alert_after_empty = 2

[jobs.presstv-hourly]
site = "presstv"
every = "1h"
jitter = "5m"
timeout = "50m"
catch_up = "latest"
[jobs.presstv-hourly.options]
max_articles = 500
since = "7d"
resolve = ["www.presstv.ir:203.0.113.7"]
refresh = false
settings = { DOWNLOAD_DELAY = "2" }

[jobs.tehran]
site = "presstv"
cron = "*/15 * * * *"
timezone = "Asia/Tehran"
catch_up = "skip"
alert_webhook = ""

[jobs.domains]
monitor = true
every = "5m"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "schedule.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_file_loads_every_job(tmp_path: Path) -> None:
    config = load_schedule(write(tmp_path, GOOD))
    hourly, tehran, domains = config.jobs["presstv-hourly"], config.jobs["tehran"], config.jobs["domains"]
    assert (hourly.schedule, hourly.jitter, hourly.timeout) == ("every 1h", 300.0, 3000.0)
    assert hourly.options["max_articles"] == 500 and hourly.webhook == "http://127.0.0.1:9/hook"
    assert hourly.alert_after_empty == 2
    assert tehran.schedule == "cron */15 * * * * (Asia/Tehran)" and tehran.catch_up == "skip"
    assert tehran.webhook == ""  # a job's own key wins over the global one
    assert domains.monitor and domains.sites == () and domains.site == "*"


@pytest.mark.parametrize(("job", "problem"), [
    ('site = "presstv"\nevry = "1h"', "unknown key 'evry'"),
    ('site = "presstv"\ncron = "61 * * * *"', "cron '61 * * * *'"),
    ('site = "presstv"\ncron = "* * *"', "expected 5 fields"),
    ('site = "presstv"\nevery = "1h"\ncron = "* * * * *"', "exactly one of 'every' and 'cron'"),
    ('site = "presstv"', "exactly one of 'every' and 'cron'"),
    ('site = "nowhere"\nevery = "1h"', "unknown site 'nowhere'"),
    ('every = "1h"', "'site' is missing"),
    ('site = "presstv"\nevery = "soon"', "'soon' is not a duration"),
    ('site = "presstv"\nevery = "0s"', "more than zero"),
    ('site = "presstv"\ncron = "0 * * * *"\ntimezone = "Mars/Olympus"', "unknown timezone"),
    ('site = "presstv"\nevery = "1h"\ntimezone = "UTC"', "'timezone' goes with 'cron'"),
    ('site = "presstv"\nevery = "1h"\ncatch_up = "all"', "catch_up is 'latest' or 'skip'"),
    ('site = "presstv"\nevery = "1h"\n[jobs.j.options]\nmax_article = 3', "unknown option 'max_article'"),
    ('site = "presstv"\nevery = "1h"\n[jobs.j.options]\nmax_articles = "3"', "wrong type"),
    ('site = "presstv"\nevery = "1h"\n[jobs.j.options]\nsince = "last week"', "--since 'last week'"),
])
def test_a_bad_job_is_refused_naming_the_file_the_job_and_the_problem(
        tmp_path: Path, job: str, problem: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, f"[jobs.j]\n{job}\n")
    with pytest.raises(ValueError, match="^" + str(path) + ": job 'j': ") as error:
        load_schedule(path)
    assert problem in str(error.value) and "\n" not in str(error.value)
    assert main(["schedule", "--config", str(path), "--store", f"sqlite:///{tmp_path}/s.db"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("newscrawl: error: ") and problem in err and err.count("\n") == 1
    assert not (tmp_path / "s.db").exists()  # refused before anything ran


@pytest.mark.parametrize(("text", "problem"), [
    ("", "no jobs"), ("stor = 'x'\n[jobs.j]\nsite='presstv'\nevery='1h'", "unknown key 'stor'"),
    ("[jobs.j\n", "not valid TOML"),
])
def test_a_bad_file_is_refused(tmp_path: Path, text: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        load_schedule(write(tmp_path, text))


def test_run_now_of_an_unknown_job_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, GOOD)
    assert main(["schedule", "--config", str(path), "--run-now", "nope"]) == 2
    assert "no job 'nope' (jobs: presstv-hourly, tehran, domains)" in capsys.readouterr().err


def test_durations() -> None:
    assert [parse_duration(t) for t in ("90s", "5m", "1h30m", "2d", 7)] == [90, 300, 5400, 172800, 7]


def test_interval_turns_are_the_same_for_every_scheduler_and_restart() -> None:
    now = datetime(2026, 12, 2, 15, 7, 31, tzinfo=UTC)
    first, second = interval_trigger(3600), interval_trigger(3600)
    assert latest_turn(first, now) == latest_turn(second, now) == datetime(2026, 12, 2, 15, tzinfo=UTC)
    assert next_turn(first, now) == datetime(2026, 12, 2, 16, tzinfo=UTC)
    assert next_turn(first, datetime(2026, 12, 2, 16, tzinfo=UTC)) == datetime(2026, 12, 2, 17, tzinfo=UTC)


def test_cron_turns_follow_the_timezone() -> None:
    from zoneinfo import ZoneInfo

    daily = cron_trigger("0 9 * * *", ZoneInfo("Asia/Tehran"))  # 09:00 in Tehran is 05:30 UTC
    now = datetime(2026, 12, 2, 15, 0, tzinfo=UTC)
    assert latest_turn(daily, now) == datetime(2026, 12, 2, 5, 30, tzinfo=UTC)
    assert next_turn(daily, now) == datetime(2026, 12, 3, 5, 30, tzinfo=UTC)
    yearly = cron_trigger("0 0 1 1 *", ZoneInfo("UTC"))
    assert latest_turn(yearly, now) == datetime(2026, 1, 1, tzinfo=UTC)
    assert latest_turn(cron_trigger("*/15 * * * *", ZoneInfo("UTC")), now + timedelta(minutes=7)) == now


def test_list_prints_each_job_its_schedule_and_next_run(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, GOOD)
    assert main(["schedule", "--config", str(path), "--list", "--store", f"sqlite:///{tmp_path}/no.db"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("presstv-hourly: crawl presstv, every 1h, jitter 5m, timeout 50m, "
                               "catch_up latest; next run 20")
    assert lines[1].startswith("tehran: crawl presstv, cron */15 * * * * (Asia/Tehran)")
    assert lines[2].startswith("domains: monitor every site, every 5m")
    assert not (tmp_path / "no.db").exists()  # listing creates no store


def test_a_run_log_names_its_command_without_the_store_password(tmp_path: Path) -> None:
    import sys

    from newscrawl.schedule.child import Child

    log = tmp_path / "run.log"
    child = Child([sys.executable, "-c", "pass", "--store", "postgresql://crawler:s3cret@db/news"], log)
    child.process.wait(timeout=60)
    child.poll()  # closes the log
    first = log.read_text().splitlines()[0]
    assert "s3cret" not in first and "postgresql://crawler:***@db/news" in first
