"""The command line: every bad input is one clear line and exit status 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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
