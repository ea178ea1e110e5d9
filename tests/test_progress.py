"""The crawl's progress line: a plain log line when standard error is not a terminal, a live
redrawn line on a terminal (a pty), none with -q."""

from __future__ import annotations

import os
import pty
import subprocess
from pathlib import Path

from newscrawl.progress import progress_text
from tests.e2e import CRAWL_ENV, serve_presstv


def test_progress_text_counts_and_rate() -> None:
    stats = {"newscrawl/listing_pages": 3, "newscrawl/articles/discovered": 10,
             "newscrawl/articles/parsed": 8, "newscrawl/store/new": 6, "newscrawl/store/revision": 1,
             "failover/count": 2}
    assert progress_text(stats, 4.0) == ("progress: 3 listing pages, articles 10 found / 8 parsed / "
                                         "7 stored, 2 failovers, 2.0 articles/s, 4 s")


def test_a_plain_progress_line_while_the_crawl_is_held_and_none_with_q(tmp_path: Path) -> None:
    with serve_presstv(tmp_path, articles=4) as mock:
        mock.server.hold("/Detail/", after=1)  # the crawl cannot finish before it reports progress
        live = mock.start("-s", "NEWSCRAWL_PROGRESS_INTERVAL=0.2")
        try:
            line = live.wait_for("progress: ")
        finally:
            mock.server.release()
        run = live.finish()
        assert run.returncode == 0, run.stderr[-3000:]
        assert "listing pages, articles" in line and "articles/s" in line
        quiet = mock.crawl("-q", "-s", "NEWSCRAWL_PROGRESS_INTERVAL=0.2", "--store", str(tmp_path / "q.db"))
        assert quiet.returncode == 0 and "progress: " not in quiet.stderr


def test_a_live_line_on_a_terminal(tmp_path: Path) -> None:
    with serve_presstv(tmp_path, articles=4) as mock:
        mock.server.hold("/Detail/", after=1)
        command, _ = mock._command(("-L", "WARNING"))
        master, slave = pty.openpty()
        child = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=slave,
                                 env=CRAWL_ENV)
        os.close(slave)
        seen = b""
        try:
            while b"\r\x1b[Kprogress: " not in seen:  # the redrawn line, once the crawl drew it
                try:
                    chunk = os.read(master, 4096)
                except OSError:  # EIO: the crawl closed its end
                    chunk = b""
                assert chunk, f"the crawl ended without a progress line: {seen.decode()[-3000:]}"
                seen += chunk
        finally:
            mock.server.release()
            assert child.wait(120) == 0
            os.close(master)


def test_the_default_log_on_a_terminal_leaves_scrapys_boilerplate_out(tmp_path: Path) -> None:
    with serve_presstv(tmp_path, articles=4) as mock:
        command, _ = mock._command(())
        master, slave = pty.openpty()
        child = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=slave,
                                 env=CRAWL_ENV)
        os.close(slave)
        seen = b""
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # EIO: the crawl closed its end
                break
            if not chunk:
                break
            seen += chunk
        assert child.wait(120) == 0
        os.close(master)
        log = seen.decode("utf-8", "replace")
        assert "Enabled downloader middlewares" not in log and "Dumping Scrapy stats" not in log
        assert len([line for line in log.splitlines() if line.strip()]) < 30, log
