"""End-to-end: a ``--job`` crawl killed with SIGKILL at a random point, then resumed with the
same command, ends with every article of the mock site in the store exactly once."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e import FAST, MockPressTV, serve_presstv

ARTICLES = 150
# Stored articles are skipped on resume whatever their date (the mock's are recent).
JOB_SETTINGS = ("-s", "NEWSCRAWL_REFRESH_WINDOW_HOURS=0", "-s", "NEWSCRAWL_STORE_BATCH=10")


def job_args(mock: MockPressTV) -> list[str]:
    return ["--job", "resume-test", "-s", f"NEWSCRAWL_JOBS_DIR={mock.tmp / 'jobs'}", *JOB_SETTINGS]


def stored_count(path: Path) -> int:
    try:
        with sqlite3.connect(path, timeout=5) as connection:
            return int(connection.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:  # not created yet
        return 0


def start_and_kill(mock: MockPressTV, seed: int) -> int:
    """Start the job and SIGKILL it once the mock server has answered a random number of
    article pages and holds the next one (the crawl cannot run past that point, however fast
    the machine); returns how many articles were stored then."""
    target = random.Random(seed).randint(0, ARTICLES - 20)
    mock.server.hold("/Detail/", after=target)
    command = [sys.executable, "-m", "newscrawl.cli", "crawl", "presstv", "--sites", str(mock.sites_file),
               "--store", f"sqlite:///{mock.store}", "-o", str(mock.tmp / "killed.jsonl"),
               *FAST, *job_args(mock)]
    for pin in mock.server.pins():
        command += ["--resolve", pin]
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             env={**os.environ, "PYTHONWARNINGS": "ignore"})
    try:
        mock.server.wait_held(1, timeout=120)  # a safety net: the crawl is held well before
        assert child.poll() is None, "the crawl ended before it could be killed"
        child.send_signal(signal.SIGKILL)
        child.wait()
    finally:
        child.kill()
        mock.server.release()
    return stored_count(mock.store)


@pytest.mark.parametrize("seed", [10, 22, 11])  # killed after 4, 35 and 115 article pages
def test_sigkill_then_resume_stores_every_article_once(tmp_path: Path, seed: int) -> None:
    with serve_presstv(tmp_path, articles=ARTICLES) as mock:
        before = start_and_kill(mock, seed)
        assert before < ARTICLES
        hits_before = len([r for r in mock.server.requests if r.path.startswith("/Detail/")])
        resumed = mock.crawl(*job_args(mock))
        assert resumed.returncode == 0, resumed.stderr[-3000:]
        stored = [url for (url,) in mock.stored("SELECT url FROM articles")]
        assert sorted(stored) == sorted(mock.expected_urls)  # none lost, none twice
        revisions = mock.stored("SELECT article_id, COUNT(*) FROM revisions GROUP BY article_id")
        assert len(revisions) == ARTICLES and {count for _, count in revisions} == {1}
        # the resumed run fetched only what was missing (plus what was in flight at the kill)
        hits_after = len([r for r in mock.server.requests if r.path.startswith("/Detail/")]) - hits_before
        assert ARTICLES - before <= hits_after <= ARTICLES - before + 40
