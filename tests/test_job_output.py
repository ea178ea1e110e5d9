"""The JSON lines of a ``--job`` across a kill and a resume (``newscrawl.joboutput``): one
stable file per job, appended, caught up with the store, each article once."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newscrawl.joboutput import SkipWritten, feed_options, reconcile_output, trim_partial_line, written_urls
from newscrawl.storage import open_store
from tests.e2e import FAST, MockPressTV, serve_presstv
from tests.storage_data import article

ARTICLES = 60
JOB = ("--job", "nightly", "-s", "NEWSCRAWL_REFRESH_WINDOW_HOURS=0", "-s", "NEWSCRAWL_STORE_BATCH=10",
       # a request the mock holds must not time out (and fail over, and end the crawl) on a busy machine
       "-s", "NEWSCRAWL_FAILOVER_TIMEOUT=180", "-s", "DOWNLOAD_TIMEOUT=180")


def job_command(mock: MockPressTV, output: str | None) -> list[str]:
    """The job's command; without ``-o`` its JSON lines go to output/presstv-nightly.jsonl."""
    command = [sys.executable, "-m", "newscrawl.cli", "crawl", "presstv", "--sites", str(mock.sites_file),
               "--store", f"sqlite:///{mock.store}", *FAST, *JOB, *(["-o", output] if output else [])]
    for pin in mock.server.pins():
        command += ["--resolve", pin]
    return command


def stored_count(mock: MockPressTV) -> int:
    try:
        with sqlite3.connect(mock.store, timeout=5) as connection:
            return int(connection.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:  # not created yet
        return 0


def ended(child: subprocess.Popen[bytes], log: Path) -> str:
    return f"the crawl ended (exit {child.returncode}) before it could be stopped: " + \
        log.read_text(encoding="utf-8", errors="replace")[-3000:]


def wait_held(mock: MockPressTV, child: subprocess.Popen[bytes], log: Path) -> None:
    """Until the mock holds an article page (reported by the mock), or the crawl died."""
    deadline = time.monotonic() + 150
    while True:
        try:
            mock.server.wait_held(1, timeout=1)
            return
        except TimeoutError:
            assert child.poll() is None, ended(child, log)
            assert time.monotonic() < deadline, "the crawl never reached the held article page"


def wait_stored(mock: MockPressTV, count: int, child: subprocess.Popen[bytes], log: Path) -> None:
    """Until the store holds ``count`` articles (the crawl, held by the mock, cannot finish)."""
    deadline = time.monotonic() + 150
    while stored_count(mock) < count:
        assert child.poll() is None, ended(child, log)
        assert time.monotonic() < deadline, f"the store never reached {count} articles"
        time.sleep(0.05)


def lines_of(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize(("stop", "output"), [(signal.SIGKILL, None), (signal.SIGKILL, "mine.jsonl"),
                                             (signal.SIGTERM, "mine.jsonl")])
def test_stopped_job_resumed_has_every_stored_article_in_its_json_lines_once(
        tmp_path: Path, stop: signal.Signals, output: str | None) -> None:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    expected_output = output or "output/presstv-nightly.jsonl"
    with serve_presstv(tmp_path, articles=ARTICLES) as mock:
        mock.server.hold("/Detail/", after=35)  # the crawl cannot get past the 36th article page
        log = tmp_path / "first-run.log"
        with log.open("wb") as err:
            child = subprocess.Popen(job_command(mock, output), cwd=tmp_path, env=env,
                                     stdout=subprocess.DEVNULL, stderr=err)
        try:
            wait_held(mock, child, log)
            wait_stored(mock, 30, child, log)  # stopped once the store holds most of the 35
            child.send_signal(stop)
            mock.server.release()  # SIGTERM: Scrapy finishes the requests in flight, then stops
            child.wait(timeout=120)
        finally:
            child.kill()
            mock.server.release()
        resumed = subprocess.run(job_command(mock, output), cwd=tmp_path, env=env, capture_output=True,
                                 text=True, timeout=180)
        assert resumed.returncode == 0, resumed.stderr[-3000:]
        with sqlite3.connect(mock.store) as connection:
            stored = {url for (url,) in connection.execute("SELECT url FROM articles")}
        assert stored == mock.expected_urls
        urls = [str(line["url"]) for line in lines_of(tmp_path / expected_output)]
        assert sorted(urls) == sorted(stored)  # every stored article, each once


def test_a_cut_last_line_is_trimmed(tmp_path: Path) -> None:
    path = tmp_path / "job.jsonl"
    path.write_bytes(b'{"url": "a"}\n{"url": "b"}\n{"url": "c", "bo')
    assert trim_partial_line(path) == len(b'{"url": "c", "bo')
    assert path.read_bytes() == b'{"url": "a"}\n{"url": "b"}\n'
    assert trim_partial_line(path) == 0
    path.write_bytes(b'{"url": "only half')
    assert trim_partial_line(path) == len(b'{"url": "only half') and path.read_bytes() == b""


def test_reconcile_appends_what_the_store_has_since_the_interrupted_run(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    store = open_store(url)
    old, written, lost, cut, other = (
        article(1, fetched_at="2026-01-01T00:00:00+00:00"),  # an earlier crawl's: not this run's
        *(article(n, fetched_at="2026-03-01T10:00:05+00:00") for n in (2, 3, 4)),
        article(5, site="other", fetched_at="2026-03-01T10:00:05+00:00"))
    store.save_articles(None, [old, written, lost, cut, other])
    store.close()
    path = tmp_path / "job.jsonl"
    path.write_text(json.dumps(written) + "\n" + json.dumps(cut)[:40], encoding="utf-8")
    assert reconcile_output(str(path), url, "presstv", "2026-03-01T10:00:00+00:00") == 2
    rows = lines_of(path)
    assert [row["url"] for row in rows] == [written["url"], lost["url"], cut["url"]]
    assert "revision" not in rows[1] and rows[1]["body"] == lost["body"]
    assert reconcile_output(str(path), url, "presstv", "2026-03-01T10:00:00+00:00") == 0


def test_resumed_feed_skips_articles_already_written(tmp_path: Path) -> None:
    path = tmp_path / "job.jsonl"
    path.write_text('{"url": "https://s.example/1"}\n', encoding="utf-8")
    options = feed_options(str(path), resumed=True)
    assert options["overwrite"] is False
    assert feed_options(str(path), resumed=False)["overwrite"] is True
    skip = SkipWritten(options)
    assert not skip.accepts({"url": "https://s.example/1"})
    assert skip.accepts({"url": "https://s.example/2"})
    assert not skip.accepts({"url": "https://s.example/2"})  # and once only
    assert written_urls(path) == {"https://s.example/1"}


def test_reconcile_reads_only_the_articles_fetched_since_the_interrupted_run(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A resume on a big store must not scan every stored article: the store filters in SQL."""
    from newscrawl.storage.articles import ArticleStore

    url = f"sqlite:///{tmp_path / 'store.db'}"
    store = open_store(url)
    old = [article(n, fetched_at="2026-01-01T00:00:00+00:00") for n in range(1, 40)]
    recent = [article(n, fetched_at="2026-03-01T10:00:05+00:00") for n in (40, 41)]
    store.save_articles(None, [*old, *recent])
    with store.transaction() as cur:  # the old articles were stored (last seen) long ago too
        cur.execute("UPDATE articles SET last_seen = '2026-01-01T00:00:01+00:00'")
    fetched = [a["url"] for a in store.iter_fetched_since("presstv", "2026-03-01T10:00:00+00:00")]
    assert fetched == [a["url"] for a in recent]
    assert list(store.iter_fetched_since("other", "2026-03-01T10:00:00+00:00")) == []
    store.close()

    def full_scan(*args: object, **kwargs: object) -> None:
        raise AssertionError("reconcile_output scanned every stored article")

    monkeypatch.setattr(ArticleStore, "iter_articles", full_scan)
    path = tmp_path / "job.jsonl"
    assert reconcile_output(str(path), url, "presstv", "2026-03-01T10:00:00+00:00") == 2
    assert [row["url"] for row in lines_of(path)] == [a["url"] for a in recent]
