"""Deploying the project to a real scrapyd on 127.0.0.1 with ``scrapyd-deploy`` and running a
crawl there: the egg builds (setuptools reads pyproject.toml), has the ``scrapy`` settings
entry point and its site files, and the spider crawls the mock site into the store."""

from __future__ import annotations

import json
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e import serve_presstv

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def call(base: str, endpoint: str, data: list[tuple[str, str]] | None = None) -> dict[str, Any]:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    with urllib.request.urlopen(f"{base}/{endpoint}", body, timeout=10) as response:
        return dict(json.loads(response.read()))


def wait_until(check: Any, what: str, timeout: float = 120) -> Any:
    """Until ``check()`` is true (what the server reports), or fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            result = check()
        except OSError:
            result = None
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError(f"scrapyd never reported {what}")


@pytest.fixture
def scrapyd(tmp_path: Path) -> Iterator[str]:
    if not (BIN / "scrapyd").exists() or not (BIN / "scrapyd-deploy").exists():
        pytest.fail("scrapyd and scrapyd-client are in the test extra: scripts/setup test installs them")
    port, home = free_port(), tmp_path / "scrapyd"
    home.mkdir()
    (home / "scrapyd.conf").write_text(
        f"[scrapyd]\nbind_address = 127.0.0.1\nhttp_port = {port}\neggs_dir = {home}/eggs\n"
        f"logs_dir = {home}/logs\ndbs_dir = {home}/dbs\nitems_dir =\nmax_proc = 1\npoll_interval = 0.2\n",
        encoding="utf-8")
    server = subprocess.Popen([str(BIN / "scrapyd")], cwd=home, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: call(base, "daemonstatus.json").get("status") == "ok", "its status")
        yield base
    finally:
        server.terminate()
        server.wait(30)


def test_scrapyd_deploy_and_a_crawl_on_scrapyd(scrapyd: str, tmp_path: Path) -> None:
    project = tmp_path / "project"  # a copy, so the deploy's build files stay out of the checkout
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "build")
    shutil.copytree(ROOT / "newscrawl", project / "newscrawl", ignore=ignore)
    for name in ("pyproject.toml", "setup.py", "scrapy.cfg", "README.md"):
        shutil.copy(ROOT / name, project / name)
    with (project / "scrapy.cfg").open("a", encoding="utf-8") as cfg:
        cfg.write(f"\n[deploy:test]\nurl = {scrapyd}/\nproject = newscrawl\n")
    deployed = subprocess.run([str(BIN / "scrapyd-deploy"), "test"], cwd=project, capture_output=True,
                              text=True, timeout=300)
    assert deployed.returncode == 0, deployed.stdout + deployed.stderr
    assert '"status": "ok"' in deployed.stdout + deployed.stderr
    assert call(scrapyd, "listspiders.json?project=newscrawl")["spiders"] == ["presstv"]
    with serve_presstv(tmp_path, articles=6) as mock:
        store = tmp_path / "scrapyd.db"
        settings = {"NEWSCRAWL_SITES_FILE": str(mock.sites_file),
                    "NEWSCRAWL_RESOLVE": ",".join(mock.server.pins()), "NEWSCRAWL_STORE": f"sqlite:///{store}",
                    "DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False", "NEWSCRAWL_EXTRACT_WORKERS": "0"}
        job = call(scrapyd, "schedule.json", [("project", "newscrawl"), ("spider", "presstv"),
                                               *[("setting", f"{k}={v}") for k, v in settings.items()]])
        assert job["status"] == "ok", job

        def finished() -> bool:
            jobs = call(scrapyd, "listjobs.json?project=newscrawl")
            return any(entry["id"] == job["jobid"] for entry in jobs["finished"])

        wait_until(finished, "the job finished", timeout=180)
        with sqlite3.connect(store) as connection:
            urls = {url for (url,) in connection.execute("SELECT url FROM articles")}
        log = next((tmp_path / "scrapyd" / "logs").rglob("*.log")).read_text(encoding="utf-8")
        assert urls == mock.expected_urls, log[-3000:]
