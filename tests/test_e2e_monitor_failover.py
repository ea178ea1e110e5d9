"""The crawler uses what the monitor knows: a domain it saw down starts open, untouched."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.e2e import HOSTS, MockPressTV


def test_domain_the_monitor_saw_down_gets_no_request(mock_presstv: MockPressTV) -> None:
    mock_presstv.server.set_mode(HOSTS[0], "seized")
    command = [sys.executable, "-m", "newscrawl.cli", "monitor", "presstv", "--once", "--failures", "1",
               "--timeout", "3", "--sites", str(mock_presstv.sites_file),
               "--store", f"sqlite:///{mock_presstv.store}"]
    for pin in mock_presstv.server.pins():
        command += ["--resolve", pin]
    probe = subprocess.run(command, capture_output=True, text=True, timeout=60,
                           env={**os.environ, "PYTHONWARNINGS": "ignore"})
    assert probe.returncode == 0, probe.stderr[-2000:]  # the site still has domains up
    mock_presstv.server.clear_log()
    run = mock_presstv.crawl()
    assert run.returncode == 0, run.stderr[-3000:]
    assert set(run.urls) == mock_presstv.expected_urls
    primary = mock_presstv.server.origins[0]
    assert mock_presstv.server.hits(origin=primary) == 0  # not even robots.txt
    assert "'failover/monitor_opened': 1" in run.stderr
