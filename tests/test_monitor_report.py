"""``newscrawl report``: one self-contained HTML page, checked in headless Chromium."""

from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path

import pytest

from newscrawl.cli import main
from newscrawl.monitor.config import MonitorConfig
from newscrawl.monitor.report import render_report
from newscrawl.monitor.runner import Monitor
from newscrawl.storage import Store, open_store
from tests.test_monitor_store import SITE, A, B, probe

CHROMIUM = "/usr/lib/chromium/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--no-first-run",
                 "--disable-sync"]


def require_chromium() -> None:
    """Fail under CI (where scripts/setup installs it), skip locally, when Chromium is missing."""
    if not os.access(CHROMIUM, os.X_OK):
        reason = f"Chromium not installed at {CHROMIUM}: apt-get install chromium"
        if os.environ.get("CI") == "true":
            pytest.fail(reason + " (CI=true: scripts/setup must install it)")
        pytest.skip(reason)


def filled_store(path: Path) -> Store:
    """A's probes: ok, then seized three times (down); B always ok; and one crawl run."""
    store = open_store(f"sqlite:///{path}")
    monitor = Monitor([SITE], MonitorConfig(), store)
    for minute, cls in enumerate(["ok", "soft_seized", "soft_seized", "soft_seized"]):
        monitor.record([probe(A, cls, minute), probe(B, "ok", minute)])
    run = store.begin_run(SITE.name, {})
    store.finish_run(run, {"store/new": 12}, "finished")
    return store


def test_page_is_self_contained_with_states_timeline_and_runs(tmp_path: Path) -> None:
    store = filled_store(tmp_path / "r.db")
    page = render_report(store, [SITE], days=1)
    store.close()
    assert not re.search(r'(src|href)="(https?:)?//', page), "no external resources"
    assert f'data-domain="{A}" data-status="down"' in page
    assert f'data-domain="{B}" data-status="up"' in page
    assert page.count('class="timeline"') == 2 and 'data-class="soft_seized"' in page
    assert page.count('class="axis"') == 2  # the axis row, and its SVG
    assert "finished" in page and "new 12" in page
    assert "No pending requests" in page


def test_minutes_of_probes_in_a_week_fill_the_timeline_over_a_time_axis(tmp_path: Path) -> None:
    store = filled_store(tmp_path / "r.db")
    page = render_report(store, [SITE], days=7)
    store.close()
    assert "timelines from the first probe" in page
    probes = re.findall(r'width="([\d.]+)" height="22" fill="#[0-9a-f]+" data-class=', page)
    assert min(float(width) for width in probes) > 5  # a minute of an hour, not 1 px of a week
    assert re.search(r'<svg[^>]*class="axis">(<line[^>]*/><text[^>]*>\d\d:\d\d</text>){2,}', page)


def test_the_report_lists_crawl_failures(tmp_path: Path) -> None:
    store = filled_store(tmp_path / "r.db")
    store.add_pending(None, SITE.name, f"{A}/Detail/1/x", ["soft_seized", "tcp_refused"])
    page = render_report(store, [SITE], days=1)
    store.close()
    assert "1 requests failed on every domain" in page and f"{A}/Detail/1/x" in page
    assert "soft_seized, tcp_refused" in page


def test_report_in_headless_chromium(tmp_path: Path) -> None:
    require_chromium()
    from playwright.sync_api import sync_playwright

    filled_store(tmp_path / "r.db").close()
    sites = tmp_path / "sites.toml"
    sites.write_text(f'[sites.presstv]\ndomains = ["{A}", "{B}"]\n')
    output = tmp_path / "report.html"
    assert main(["report", "presstv", "--sites", str(sites), "--store", f"sqlite:///{tmp_path}/r.db",
                 "--days", "1", "-o", str(output)]) == 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(output.as_uri())
            rows = page.locator("tr.domain")
            assert rows.count() == 2
            shown = {row.locator("td").nth(0).inner_text(): row.locator(".status").inner_text()
                     for row in (rows.nth(0), rows.nth(1))}
            assert shown == {A: "down", B: "up"}
            assert page.locator("tr.domain svg.timeline").count() == 2
            box = page.locator("tr.domain svg.timeline").first.bounding_box()
            assert box is not None and box["width"] > 100, "the timeline is drawn"
            shot = page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
        finally:
            browser.close()
    assert shot[:8] == b"\x89PNG\r\n\x1a\n" and len(shot) > 5000


def test_names_from_the_store_and_the_sites_file_are_escaped(tmp_path: Path) -> None:
    script = "<script>alert(1)</script>"
    domain = f"https://a.example/{script}"
    site = dataclasses.replace(SITE, name=f"x{script}", domains=(domain,))
    store = open_store(f"sqlite:///{tmp_path}/r.db")
    Monitor([site], MonitorConfig(), store).record([
        dataclasses.replace(probe(domain, "ok", 0), site=site.name),
        dataclasses.replace(probe(domain, f"soft_{script}", 1), site=site.name)])
    store.add_pending(None, site.name, f"{domain}?a=1&b=2", [script])
    page = render_report(store, [site], days=1)
    store.close()
    assert "<script" not in page
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert f'<h2 id="site-x{escaped}">x{escaped}</h2>' in page
    assert f'data-domain="https://a.example/{escaped}"' in page and f'data-class="soft_{escaped}"' in page
    assert f"<td>https://a.example/{escaped}?a=1&amp;b=2</td><td>{escaped}</td>" in page
