"""End-to-end harness: the mock site on its Press TV domains, crawled by the real CLI in a
subprocess (a Scrapy reactor cannot restart inside the test process)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from newscrawl.testing.mocksite import MockServer, MockSite, build_mock_site

HOSTS = ("www.presstv.ir", "www.presstv.co.uk", "www.presstv.tv", "www.presstv.com")
FAST = ("-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "-s", "NEWSCRAWL_FAILOVER_HEDGE_INITIAL=0.5",
        "-s", "NEWSCRAWL_FAILOVER_TIMEOUT=3")


@dataclass
class CrawlRun:
    returncode: int
    stdout: str
    stderr: str
    items: list[dict[str, Any]]

    @property
    def urls(self) -> list[str]:
        return [item["url"] for item in self.items]

    @property
    def by_path(self) -> dict[str, str]:
        """Canonical path -> body: what a crawl collected, whatever the ports of this run."""
        return {urlsplit(item["url"]).path: item["body"] for item in self.items}


CRAWL_ENV = {**os.environ, "PYTHONWARNINGS": "ignore"}


def read_items(output: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()] \
        if output.exists() else []


class LiveCrawl:
    """A crawl in a subprocess whose stderr a thread reads line by line, so that a test can
    act when the crawl logs something (``wait_for``) instead of after a guessed delay."""

    def __init__(self, command: list[str], output: Path) -> None:
        self.output, self.lines, self.stdout = output, list[str](), list[str]()
        self.changed = threading.Condition()
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True, env=CRAWL_ENV)
        self.readers = [threading.Thread(target=self._read_log, daemon=True),
                        threading.Thread(target=lambda: self.stdout.extend(self.process.stdout or ()),
                                         daemon=True)]
        for reader in self.readers:
            reader.start()

    def _read_log(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            with self.changed:
                self.lines.append(line)
                self.changed.notify_all()
        with self.changed:
            self.lines.append("")  # end of the log
            self.changed.notify_all()

    def wait_for(self, needle: str, timeout: float = 120) -> str:
        """The first log line containing ``needle``, once the crawl has written it;
        ``AssertionError`` if the crawl ends first (``timeout``: a safety net)."""
        def found() -> str | None:
            return next((line for line in self.lines if needle in line or line == ""), None)

        with self.changed:
            line = self.changed.wait_for(found, timeout)
        assert line, f"the crawl never logged {needle!r}:\n{''.join(self.lines)[-3000:]}"
        return line

    def finish(self, timeout: float = 120) -> CrawlRun:
        """Wait for the crawl to end; what it did."""
        try:
            self.process.wait(timeout)
        finally:
            self.process.kill()
        for reader in self.readers:
            reader.join(timeout)
        return CrawlRun(self.process.returncode, "".join(self.stdout), "".join(self.lines),
                        read_items(self.output))


class MockPressTV:
    """A started mock server plus everything needed to crawl it."""

    def __init__(self, site: MockSite, server: MockServer, tmp: Path, domains: list[str] | None = None):
        self.site, self.server, self.tmp = site, server, tmp
        self.domains = domains or server.origins
        self.sites_file = tmp / "sites.toml"
        domains_toml = ", ".join(f'"{origin}"' for origin in self.domains)
        self.sites_file.write_text(f"[sites.presstv]\ndomains = [{domains_toml}]\n", encoding="utf-8")
        self.store = tmp / "store.db"
        self.runs = 0

    @property
    def expected_urls(self) -> set[str]:
        return {self.domains[0] + record.path for record in self.site.manifest}

    def _command(self, args: tuple[str, ...]) -> tuple[list[str], Path]:
        self.runs += 1
        output = self.tmp / f"run{self.runs}.jsonl"
        command = [sys.executable, "-m", "newscrawl.cli", "crawl", "presstv",
                   "--sites", str(self.sites_file), "--store", f"sqlite:///{self.store}",
                   "-o", str(output), *FAST, *args]
        for pin in self.server.pins():
            command += ["--resolve", pin]
        return command, output

    def crawl(self, *args: str, timeout: float = 120) -> CrawlRun:
        command, output = self._command(args)
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=CRAWL_ENV)
        return CrawlRun(done.returncode, done.stdout, done.stderr, read_items(output))

    def start(self, *args: str) -> LiveCrawl:
        """The crawl running in the background, its log read as it comes (``LiveCrawl``)."""
        command, output = self._command(args)
        return LiveCrawl(command, output)

    def stored(self, sql: str) -> list[tuple[Any, ...]]:
        with sqlite3.connect(self.store) as connection:
            return connection.execute(sql).fetchall()


@contextmanager
def serve_presstv(tmp: Path, origins: list[str] | None = None, articles: int = 36,
                  extra_domains: tuple[str, ...] = ()) -> Iterator[MockPressTV]:
    """The mock on ``origins`` (default: the four Press TV domains over http); the site's
    domains are the served origins with ``extra_domains`` (e.g. a dead ``.invalid`` host) first."""
    site = build_mock_site(articles=articles)
    with MockServer(site, origins or [f"http://{host}:0" for host in HOSTS]) as server:
        yield MockPressTV(site, server, tmp, [*extra_domains, *server.origins])


@pytest.fixture
def mock_presstv(tmp_path: Path) -> Iterator[MockPressTV]:
    with serve_presstv(tmp_path) as mock:
        yield mock
