"""``newscrawl monitor --watch`` runs until SIGINT/SIGTERM, then exits cleanly with every
probe it made stored, even one caught mid-round by the signal."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from newscrawl.testing.mocksite import DEFAULT_HOSTS, MockServer, MockSite
from tests import fixtures_mocksite
from tests.test_monitor_cli import monitor_args

mock_site = fixtures_mocksite.mock_site
ROOT = Path(__file__).resolve().parent.parent
COM = "www.presstv.com"


def read_round(process: subprocess.Popen[str], domains: int) -> list[dict[str, object]]:
    assert process.stdout is not None
    return [json.loads(process.stdout.readline()) for _ in range(domains)]


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_watch_stops_on_signal_and_keeps_its_probes(mock_site: MockSite, tmp_path: Path,
                                                    signum: int) -> None:
    with MockServer(mock_site, [f"http://{host}" for host in DEFAULT_HOSTS]) as server:
        server.set_mode(COM, "seized")  # one page per round: its home page
        server.hold(path="/", origin=COM, after=1)  # the second round waits on it until released
        args = monitor_args(server, tmp_path, "--watch", "--interval", "0.2", "--format", "json")
        args[args.index("--timeout") + 1] = "60"  # the hold, not the probe timeout, ends the wait
        process = subprocess.Popen([sys.executable, "-m", "newscrawl.cli", *args], cwd=ROOT,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   env={**os.environ, "PYTHONUNBUFFERED": "1"})
        try:
            first = read_round(process, 4)
            server.wait_held(1)  # the second round is under way, held on www.presstv.com
            process.send_signal(signum)
            server.release()
            _, stderr = process.communicate(timeout=60)
        finally:
            process.kill()
    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr
    assert [r["class"] for r in first] == ["ok", "ok", "ok", "soft_seized"]
    with sqlite3.connect(tmp_path / "monitor.db") as db:
        rows = db.execute("SELECT checked_at FROM monitor_probes").fetchall()
    assert len(rows) == 8, "the round under way when the signal came was finished and stored"
