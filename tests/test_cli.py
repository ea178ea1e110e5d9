"""The command line: every bad input is one clear line and exit status 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from newscrawl.cli import main


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["crawl", "nope"], "unknown site 'nope' (known: presstv"),
        (["crawl", "presstv", "--resolve", "www.presstv.ir"], "expected HOST:IP"),
        (["crawl", "presstv", "--resolve", "www.presstv.ir:not-an-ip"], "is not an IP address"),
        (["crawl", "presstv", "-s", "NOEQUALSIGN"], "-s 'NOEQUALSIGN': expected NAME=VALUE"),
        (["crawl", "presstv", "--since", "yesterday"], "--since 'yesterday': expected a date"),
        (["crawl", "presstv", "--max-articles", "0"], "--max-articles must be a positive number"),
        (["crawl", "presstv", "--sites", "/nonexistent/sites.toml"], "cannot read sites file"),
        (["parse", "/nonexistent/page.html"], "/nonexistent/page.html: cannot read"),
    ],
)
def test_bad_input_is_one_line_and_status_2(argv: list[str], message: str,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("newscrawl: error: ") and message in err
    assert err.count("\n") == 1


def test_sites_lists_builtin_and_user_sites(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sites = tmp_path / "s.toml"
    sites.write_text('[sites.example]\ndomains = ["https://example.com"]\nsections = ["/news"]\n'
                     "article_pattern = '^/story/'\n")
    assert main(["sites", "--sites", str(sites)]) == 0
    out = capsys.readouterr().out
    assert "presstv: https://www.presstv.ir, https://www.presstv.co.uk" in out
    assert "example: https://example.com (1 sections, 0 feeds, 0 sitemaps)" in out


def test_scrapy_way_lists_every_site_as_a_spider() -> None:
    root = Path(__file__).parent.parent
    done = subprocess.run([sys.executable, "-m", "scrapy", "list"], cwd=root, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["presstv"]


def test_parse_prints_the_item_as_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "page.html"
    page.write_text('<html lang="en"><head><title>Big news - The Site</title></head><body><article>'
                    "<h1>Big news</h1>" + "<p>" + "A sentence of the story that goes on. " * 8 + "</p>" * 1
                    + "</article></body></html>", encoding="utf-8")
    assert main(["parse", str(page), "--url", "https://s.example/a"]) == 0
    item = json.loads(capsys.readouterr().out)
    assert item["url"] == "https://s.example/a" and item["headline"] == "Big news"
    assert item["body"].startswith("A sentence of the story") and item["language"] == "en"


def test_scrapy_crawl_runs_a_site_spider_on_the_mock(mock_presstv: Any) -> None:
    out = mock_presstv.tmp / "scrapy.jsonl"
    done = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "presstv", "-o", str(out),
         "-s", f"NEWSCRAWL_SITES_FILE={mock_presstv.sites_file}",
         "-s", f"NEWSCRAWL_RESOLVE={','.join(mock_presstv.server.pins())}",
         "-s", f"NEWSCRAWL_STORE=sqlite:///{mock_presstv.tmp}/scrapy.db",
         "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "NEWSCRAWL_MAX_ARTICLES=3"],
        cwd=Path(__file__).parent.parent, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    items = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(items) == 3 and all(i["url"] in mock_presstv.expected_urls for i in items)
