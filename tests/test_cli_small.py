"""Small things of the command line: a closed pipe, stats of one site as JSON, the monitor's
history in every format, robots.txt errors in one line, the summary printed once."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from newscrawl.storage import open_store
from tests.e2e import CRAWL_ENV, serve_presstv
from tests.test_cli_feeds import cli, crawl
from tests.test_storage import article


def filled_store(path: Path, count: int = 60) -> str:
    store = open_store(str(path))
    bodies = [" ".join(f"word{n}x{i}" for i in range(400)) for n in range(count)]
    store.save_articles(None, [article(n, body=body) for n, body in enumerate(bodies)])
    store.save_articles(None, [{**article(1000), "site": "other", "url": "https://other.example/a"}])
    store.close()
    return str(path)


def test_export_into_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    store = filled_store(tmp_path / "s.db")
    child = subprocess.Popen([sys.executable, "-m", "newscrawl.cli", "export", "presstv", "--store", store],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=CRAWL_ENV)
    assert child.stdout is not None and child.stderr is not None
    assert child.stdout.read(100)  # `| head -c 100`
    child.stdout.close()
    err = child.stderr.read().decode()
    assert child.wait(timeout=60) == 0 and "Traceback" not in err and "BrokenPipe" not in err


def test_stats_of_one_site_as_json(tmp_path: Path) -> None:
    store = filled_store(tmp_path / "s.db", count=3)
    done = cli("stats", "presstv", "--format", "json", "--store", store, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    stats = json.loads(done.stdout)
    assert [s["site"] for s in stats["sites"]] == ["presstv"] and stats["sites"][0]["articles"] == 3
    assert {d["site"] for d in stats["days"]} == {"presstv"} and stats["mirrors"][0]["articles"] == 3
    table = cli("stats", "--store", store, cwd=tmp_path)
    assert "other" in table.stdout and "presstv" in table.stdout


def test_monitor_history_follows_format(tmp_path: Path) -> None:
    store = filled_store(tmp_path / "s.db", count=1)
    done = cli("monitor", "presstv", "--history", "--format", "json", "--store", store, cwd=tmp_path)
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert rows and {row["site"] for row in rows} == {"presstv"} and all("uptime" in row for row in rows)
    prometheus = cli("monitor", "presstv", "--history", "--format", "prometheus", "--store", store,
                     cwd=tmp_path)
    assert prometheus.stdout.startswith("# HELP newscrawl_domain_uptime_ratio")


def test_a_refused_robots_txt_is_one_warning_line_and_the_summary_is_printed_once(tmp_path: Path) -> None:
    with serve_presstv(tmp_path, articles=4) as mock:
        mock.server.set_mode(mock.server.origins[0], "refuse")
        done = crawl(mock, "s.db", "-o", str(tmp_path / "a.jsonl"))
        assert done.returncode == 0, done.stderr[-3000:]
        assert "robots.txt not fetched for" in done.stderr and "Traceback" not in done.stderr
        assert done.stdout.count("newscrawl summary for presstv") == 1
        assert "newscrawl summary for" not in done.stderr


def test_max_articles_parses_no_more_than_asked(tmp_path: Path) -> None:
    with serve_presstv(tmp_path, articles=36) as mock:
        done = crawl(mock, "s.db", "-o", str(tmp_path / "a.jsonl"), "--max-articles", "3")
        assert done.returncode == 0, done.stderr[-3000:]
        assert "(parsed 3," in done.stdout, done.stdout
        assert len((tmp_path / "a.jsonl").read_text(encoding="utf-8").splitlines()) == 3
