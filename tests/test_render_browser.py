"""Crawls of the app-shell mock site (newscrawl.testing.appshell) with a real headless
Chromium, by the real CLI in a subprocess: ``auto`` renders every shell and no plain page,
and a section whose links a script adds (with "load more" up to ``max_pages``), ``always``
renders every page (failed over from a dead domain like any), ``never`` stores
shells with an empty body, and without Chromium one line says how to install it.

Chromium is Debian's (``scripts/setup test`` installs it); without it these tests are
skipped, except under CI (``CI=true``), where they fail."""

from __future__ import annotations

import ast
import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from newscrawl.settings import NEWSCRAWL_RENDER_CHROMIUM
from newscrawl.testing.appshell import AppShellServer, AppShellSite, paragraphs
from tests.e2e import CRAWL_ENV, read_items

FAST = ("-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "NEWSCRAWL_FAILOVER_TIMEOUT=10")


@pytest.fixture(scope="module")
def chromium() -> str:
    if os.access(NEWSCRAWL_RENDER_CHROMIUM, os.X_OK):
        return NEWSCRAWL_RENDER_CHROMIUM
    reason = f"no Chromium at {NEWSCRAWL_RENDER_CHROMIUM} (scripts/setup test installs it)"
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@dataclass
class Crawl:
    returncode: int
    log: str
    items: list[dict[str, Any]]
    store: Path

    @property
    def stats(self) -> dict[str, Any]:
        """The stats Scrapy dumped at the end of the crawl."""
        match = re.search(r"Dumping Scrapy stats:\n(\{.*?\})\n", self.log, re.S)
        assert match, self.log[-3000:]
        text = re.sub(r"datetime\.datetime\([^)]*\)", "None", match.group(1))
        return dict(ast.literal_eval(text))

    def by_path(self) -> dict[str, dict[str, Any]]:
        return {re.sub(r"^https?://[^/]+", "", item["url"]): item for item in self.items}


def crawl(server: AppShellServer, tmp: Path, render: str, *args: str,
          domains: list[str] | None = None, max_pages: int = 1) -> Crawl:
    sites = tmp / "sites.toml"
    table = server.sites_toml(render=render, max_pages=max_pages)
    if domains:
        table = table.replace(f'domains = ["{server.origin}"]',
                              "domains = [" + ", ".join(f'"{d}"' for d in domains) + "]")
    sites.write_text(table, encoding="utf-8")
    output, store = tmp / "out.jsonl", tmp / "store.db"
    command = [sys.executable, "-m", "newscrawl.cli", "crawl", "appshell", "--sites", str(sites),
               "--store", f"sqlite:///{store}", "-O", str(output), "-L", "INFO", *FAST, *args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=180, env=CRAWL_ENV)
    return Crawl(done.returncode, done.stderr, read_items(output), store)


@pytest.fixture
def server() -> Iterator[AppShellServer]:
    with AppShellServer(AppShellSite(plain=4, shells=4)) as served:
        yield served


def render_stats(run: Crawl) -> dict[str, Any]:
    return {k: v for k, v in run.stats.items() if k.startswith("newscrawl/render/")}


def test_auto_renders_every_app_shell_with_its_body_and_no_plain_page(
        chromium: str, server: AppShellServer, tmp_path: Path) -> None:
    run = crawl(server, tmp_path, "auto")
    assert run.returncode == 0, run.log[-3000:]
    pages = run.by_path()
    assert sorted(pages) == sorted([server.site.plain_path(i) for i in server.site.plain_ids]
                                   + [server.site.shell_path(i) for i in server.site.shell_ids])
    for n in server.site.shell_ids:
        item = pages[server.site.shell_path(n)]
        assert item["rendered"] is True, item
        assert all(paragraph[:60] in item["body"] for paragraph in paragraphs(n)), item["body"]
    for n in server.site.plain_ids:
        assert pages[server.site.plain_path(n)]["rendered"] is False
    assert render_stats(run) == {"newscrawl/render/pages": 4, "newscrawl/render/reason/mount_point": 4}
    stats = run.stats
    assert stats["playwright/page_count"] == stats["playwright/page_count/closed"] == 4  # all closed
    assert stats["playwright/browser_count"] == 1
    assert server.requested("/img/") == []  # the script's pictures were not downloaded
    assert len(server.requested("/api/articles/")) == 4
    with sqlite3.connect(run.store) as db:
        stored = {json.loads(data)["url"].split("/", 3)[3]: json.loads(data)["rendered"]
                  for (data,) in db.execute("SELECT data FROM articles")}
    assert sum(stored.values()) == 4 and len(stored) == 8


def test_the_browser_starts_only_when_a_page_needs_it(chromium: str, tmp_path: Path) -> None:
    with AppShellServer(AppShellSite(plain=3, shells=0)) as plain_only:
        run = crawl(plain_only, tmp_path, "auto")
    assert run.returncode == 0 and len(run.items) == 3, run.log[-3000:]
    assert all(item["rendered"] is False for item in run.items)
    assert "Starting download handler" not in run.log and "Launching browser" not in run.log
    assert "playwright/browser_count" not in run.stats


def test_a_section_built_by_its_script_is_rendered_and_load_more_followed_up_to_max_pages(
        chromium: str, tmp_path: Path) -> None:
    with AppShellServer(AppShellSite(plain=1, shells=0, listed=6, per_page=2)) as served:
        run = crawl(served, tmp_path, "auto", max_pages=2)
        assert served.requested("/api/list?page=") == ["/api/list?page=1", "/api/list?page=2"]
        listed = [served.site.plain_path(i) for i in served.site.listed_ids]
    assert run.returncode == 0, run.log[-3000:]
    assert sorted(run.by_path()) == sorted([served.site.plain_path(1), *listed[:4]])  # 2 pages of 2
    assert all(item["rendered"] is False for item in run.items)  # the articles are plain
    assert render_stats(run) == {"newscrawl/render/listing_pages": 1, "newscrawl/render/more_steps": 1,
                                 "newscrawl/render/reason/mount_point": 1}


def test_never_stores_shells_with_an_empty_body_and_a_counted_reason(
        chromium: str, server: AppShellServer, tmp_path: Path) -> None:
    run = crawl(server, tmp_path, "never")
    assert run.returncode == 0, run.log[-3000:]
    pages = run.by_path()
    assert len(pages) == 8
    for n in server.site.shell_ids:
        item = pages[server.site.shell_path(n)]
        assert item["body"] == "" and item["sources"]["body"] == "app_shell" and item["rendered"] is False
    assert render_stats(run) == {"newscrawl/render/unrendered/never": 4}
    assert server.requested("/static/") == []  # no browser ran the shells' script
    with sqlite3.connect(run.store) as db:
        assert db.execute("SELECT count(*) FROM articles").fetchone() == (8,)


def test_always_renders_every_page_and_fails_over_from_a_dead_domain_through_the_browser(
        chromium: str, server: AppShellServer, tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port nothing listens on: the primary refuses connections
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}"
    run = crawl(server, tmp_path, "always", "-s", "NEWSCRAWL_FAILOVER_HEDGE=False",
                domains=[dead, server.origin])
    assert run.returncode == 0, run.log[-3000:]
    assert len(run.items) == 8 and all(item["rendered"] for item in run.items)
    assert {item["mirror"] for item in run.items} == {server.origin}
    stats = run.stats
    assert stats["newscrawl/render/reason/always"] >= 9  # the listing and the 8 articles
    # Chromium's net::ERR_CONNECTION_REFUSED, as the error failover classifies (tcp_refused)
    assert stats["downloader/exception_type_count/builtins.ConnectionRefusedError"] >= 1
    assert stats["failover/reason_count/tcp_refused"] >= 1


def test_without_chromium_one_line_says_how_to_install_it_and_other_pages_crawl_as_before(
        server: AppShellServer, tmp_path: Path) -> None:
    run = crawl(server, tmp_path, "auto", "-s", f"NEWSCRAWL_RENDER_CHROMIUM={tmp_path / 'none'}")
    assert run.returncode == 1, run.log[-3000:]  # pages were lost to this crawl: it says so
    assert "4 pages needed a browser and were not stored" in run.log
    assert run.log.count("apt-get install chromium") == 1
    assert sorted(run.by_path()) == sorted(server.site.plain_path(i) for i in server.site.plain_ids)
    assert render_stats(run) == {"newscrawl/render/unrendered/no_browser": 4}
    assert run.stats["newscrawl/dropped/missing_body"] == 4


def test_a_browser_page_that_loses_its_hedge_is_closed(chromium: str, tmp_path: Path) -> None:
    site = AppShellSite(plain=2, shells=2)
    with AppShellServer(site, hold=("/news/", "/live/")) as silent, AppShellServer(site) as mirror:
        run = crawl(mirror, tmp_path, "always", "-s", "NEWSCRAWL_FAILOVER_HEDGE_INITIAL=0.5",
                    domains=[silent.origin, mirror.origin])
        assert silent.requested("/news/")  # the primary was asked, and never answered
    assert run.returncode == 0, run.log[-3000:]
    assert len(run.items) == 4 and {item["mirror"] for item in run.items} == {mirror.origin}
    stats = run.stats
    assert stats["failover/hedge_won"] >= 1
    assert stats["playwright/page_count"] == stats["playwright/page_count/closed"]  # cancelled ones too


def test_a_chromium_that_cannot_start_is_said_once_and_its_pages_counted(
        server: AppShellServer, tmp_path: Path) -> None:
    run = crawl(server, tmp_path, "auto", "-s", "NEWSCRAWL_RENDER_CHROMIUM=/bin/false")
    assert run.returncode == 1, run.log[-3000:]
    assert "4 pages needed a browser and were not stored" in run.log
    assert run.log.count("could not be started") == 1, run.log[-3000:]
    assert sorted(run.by_path()) == sorted(server.site.plain_path(i) for i in server.site.plain_ids)
    assert render_stats(run) == {"newscrawl/render/reason/mount_point": 4,
                                 "newscrawl/render/failed/no_browser": 4}
