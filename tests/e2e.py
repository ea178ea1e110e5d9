"""End-to-end harness: the mock site on its Press TV domains, crawled by the real CLI in a
subprocess (a Scrapy reactor cannot restart inside the test process)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from newscrawl.mocksite import MockServer, MockSite, build_mock_site

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

    def crawl(self, *args: str, timeout: float = 120) -> CrawlRun:
        self.runs += 1
        output = self.tmp / f"run{self.runs}.jsonl"
        command = [sys.executable, "-m", "newscrawl.cli", "crawl", "presstv",
                   "--sites", str(self.sites_file), "--store", f"sqlite:///{self.store}",
                   "-o", str(output), *FAST, *args]
        for pin in self.server.pins():
            command += ["--resolve", pin]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                              env={**os.environ, "PYTHONWARNINGS": "ignore"})
        items = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()] \
            if output.exists() else []
        return CrawlRun(done.returncode, done.stdout, done.stderr, items)

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
