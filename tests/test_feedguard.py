"""A JSON lines file that fails mid-crawl (a link to ``/dev/full``: every write is refused)
stops the crawl with one error line and exit status 1; the articles are in the store."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e import FAST, serve_presstv


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
def test_a_feed_that_cannot_be_written_stops_the_crawl_in_one_line(tmp_path: Path) -> None:
    full = tmp_path / "full.jsonl"
    full.symlink_to("/dev/full")
    with serve_presstv(tmp_path, articles=40) as mock:
        command = [sys.executable, "-m", "newscrawl.cli", "crawl", "presstv", "--sites", str(mock.sites_file),
                   "--store", f"sqlite:///{mock.store}", "-o", str(full), *FAST]
        for pin in mock.server.pins():
            command += ["--resolve", pin]
        done = subprocess.run(command, capture_output=True, text=True, timeout=180, cwd=tmp_path,
                              env={**os.environ, "PYTHONWARNINGS": "ignore"})
        stored = mock.stored("SELECT url FROM articles")
    assert done.returncode == 1, done.stderr[-3000:]
    errors = [line for line in done.stderr.splitlines() if "[newscrawl.feedguard] ERROR" in line]
    assert len(errors) == 1 and f"JSON lines {full}: cannot write (No space left on device)" in errors[0]
    assert done.stderr.count("Traceback") <= 1  # Scrapy's own, closing the file; not one per article
    assert "summary for presstv (feed_failed)" in done.stdout
    assert "articles not written: No space left on device; they are in the store" in done.stdout
    assert len(stored) == 40  # nothing lost: every article fetched is in the store
