"""End-to-end: a ``--job`` crawl killed with SIGKILL at a random point, then resumed with the
same command, ends with every article of the mock site in the store exactly once."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
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
    """Start the job, SIGKILL it once the store holds a random number of articles (or, for
    a small number, at a random moment early on); returns how many were stored then."""
    rng = random.Random(seed)
    target = rng.randint(0, ARTICLES - 20)  # below 10: a timed kill, around the first batch
    command = [sys.executable, "-m", "newscrawl.cli", "crawl", "presstv", "--sites", str(mock.sites_file),
               "--store", f"sqlite:///{mock.store}", "-o", str(mock.tmp / "killed.jsonl"),
               *FAST, *job_args(mock)]
    for pin in mock.server.pins():
        command += ["--resolve", pin]
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             env={**os.environ, "PYTHONWARNINGS": "ignore"})
    deadline = time.monotonic() + 90
    if target < 10:
        time.sleep(rng.uniform(1.0, 2.5))
    while target >= 10 and stored_count(mock.store) < target and child.poll() is None:
        assert time.monotonic() < deadline, "the crawl made no progress"
        time.sleep(0.02)
    assert child.poll() is None, "the crawl ended before it could be killed"
    child.send_signal(signal.SIGKILL)
    child.wait()
    return stored_count(mock.store)


@pytest.mark.parametrize("seed", [10, 22, 11])  # targets 4 (timed), 35 and 115 articles
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
