"""Every bad input of the real ``newscrawl`` command, run as a subprocess: exit status 2, one
line on standard error starting ``newscrawl: error:``, no traceback, no password shown.

Crawls point at a port of 127.0.0.1 that nothing listens on: what is refused is refused
before any request (the old code went on to crawl it, or failed inside Scrapy)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from newscrawl.storage import open_store
from tests.storage_data import article

SECRET = "hunter2"


def closed_port() -> int:
    """A port of 127.0.0.1 nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Inputs:
    """A scratch directory with a good sites file (on a dead local port), a store with two
    articles, and bad files of every kind."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.port = closed_port()
        self.sites = self.sites_file("good", f'domains = ["http://127.0.0.1:{self.port}"]')
        self.store = f"sqlite:///{tmp / 'store.db'}"
        store = open_store(self.store)
        store.save_articles(None, [article(1), article(2, site="other")])
        store.close()
        (tmp / "corrupt.db").write_bytes(b"this is not an SQLite database, just text " * 100)
        (tmp / "a-file").write_text("x", encoding="utf-8")
        (tmp / "a-dir").mkdir()
        (tmp / "fingerprints.toml").write_text('[[fingerprint]]\nname = "x"\n', encoding="utf-8")

    def sites_file(self, name: str, body: str) -> str:
        path = self.tmp / f"sites-{name}.toml"
        path.write_text(f"[sites.presstv]\n{body}\n", encoding="utf-8")
        return str(path)

    def crawl(self, *args: str, sites: str | None = None) -> list[str]:
        return ["crawl", "presstv", "--sites", sites or self.sites, "--store", self.store,
                "-o", str(self.tmp / "out.jsonl"), "-s", "DOWNLOAD_DELAY=0",
                "-s", "NEWSCRAWL_FAILOVER_TIMEOUT=1", *args]

    def bad_site(self, body: str) -> list[str]:
        return self.crawl(sites=self.sites_file("bad", f'domains = ["http://127.0.0.1:{self.port}"]\n{body}'))

    def bad_domain(self, domain: str) -> list[str]:
        return self.crawl(sites=self.sites_file("bad", f"domains = [{domain!r}]"))

    def fingerprints(self, name: str) -> list[str]:
        return self.crawl("-s", f"NEWSCRAWL_FINGERPRINTS_FILE={self.tmp / name}")

    def report(self, *args: str) -> list[str]:
        return ["report", "--store", self.store, "-o", str(self.tmp / "r.html"), *args]

    def monitor(self, ca_file: str) -> list[str]:
        return ["monitor", "--sites", self.sites, "--store", self.store, "--timeout", "1",
                "--ca-file", str(self.tmp / ca_file)]


Case = Callable[[Inputs], list[str]]
CASES: dict[str, tuple[Case, str]] = {
    # item 12: stores
    "store-unreachable-postgres": (
        lambda i: i.crawl("--store", f"postgresql://crawler:{SECRET}@127.0.0.1:{i.port}/news?password={SECRET}"),
        "cannot open the store"),
    "store-corrupt-sqlite": (lambda i: i.crawl("--store", f"sqlite:///{i.tmp / 'corrupt.db'}"),
                             "cannot open the store"),
    "store-unknown-scheme": (lambda i: i.crawl("--store", "mysql://127.0.0.1/x"), "unknown store URL"),
    "export-corrupt-sqlite": (lambda i: ["export", "presstv", "--store", f"sqlite:///{i.tmp / 'corrupt.db'}"],
                              "cannot open the store"),
    "stats-corrupt-sqlite": (lambda i: ["stats", "--store", f"sqlite:///{i.tmp / 'corrupt.db'}"],
                             "cannot open the store"),
    "report-store-password": (
        lambda i: ["report", "--store", f"postgresql://crawler:{SECRET}@127.0.0.1:{i.port}/news",
                   "--sites", i.sites, "-o", str(i.tmp / "r.html")], "cannot open the store"),
    # item 12: output files
    "output-is-a-directory": (lambda i: [*i.crawl(), "-o", str(i.tmp / "a-dir")], "is a directory"),
    "output-under-a-file": (lambda i: [*i.crawl(), "-o", str(i.tmp / "a-file" / "x.jsonl")],
                            "is not a directory"),
    "export-output-under-a-file": (
        lambda i: ["export", "presstv", "--store", i.store, "-o", str(i.tmp / "a-file" / "x.csv")],
        "is not a directory"),
    # item 12: -s values
    "setting-not-a-number": (lambda i: i.crawl("-s", "DOWNLOAD_DELAY=abc"), "expected a number"),
    "setting-negative-count": (lambda i: i.crawl("-s", "CONCURRENT_REQUESTS=-1"), "must be above 0"),
    "setting-negative-retries": (lambda i: i.crawl("-s", "RETRY_TIMES=-3"), "must not be negative"),
    "setting-fractional-batch": (lambda i: i.crawl("-s", "NEWSCRAWL_STORE_BATCH=1.5"), "a whole number"),
    "setting-nan-timeout": (lambda i: i.crawl("-s", "NEWSCRAWL_FAILOVER_TIMEOUT=nan"), "expected a number"),
    "setting-bad-bool": (lambda i: i.crawl("-s", "ROBOTSTXT_OBEY=maybe"), "expected true or false"),
    "setting-bad-dict": (lambda i: i.crawl("-s", "DEFAULT_REQUEST_HEADERS={oops"), "a JSON object"),
    "setting-unknown-newscrawl": (lambda i: i.crawl("-s", "NEWSCRAWL_FAILOVER_TIMEOUTT=3"),
                                  "unknown newscrawl setting"),
    "log-level": (lambda i: i.crawl("-L", "LOUD"), "log level 'LOUD'"),
    "fingerprints-invalid": (lambda i: i.fingerprints("fingerprints.toml"), "missing key(s)"),
    "fingerprints-missing": (lambda i: i.fingerprints("none.toml"), "cannot read"),
    # item 12: jobs
    "job-empty": (lambda i: i.crawl("--job", ""), "--job ''"),
    "job-too-long": (lambda i: i.crawl("--job", "j" * 300), "too long"),
    "job-path": (lambda i: i.crawl("--job", "../../etc"), "use letters, digits"),
    # item 12: argparse
    "max-articles-not-a-number": (lambda i: i.crawl("--max-articles", "many"), "invalid int value"),
    "unknown-option": (lambda i: i.crawl("--colour"), "unrecognized arguments"),
    # item 12: the sites loader
    "site-port-out-of-range": (lambda i: i.bad_domain("http://127.0.0.1:99999"), "Port out of range"),
    "site-domain-quote": (lambda i: i.bad_domain('https://www.presstv".ir'), "invalid host name"),
    "site-pagination-field": (lambda i: i.bad_site('pagination = "{section}/{foo}"'), "{section} and {page}"),
    "site-rewrite-group": (lambda i: i.bad_site(
        f'[sites.presstv.path_rewrites]\n"http://127.0.0.1:{i.port}" = [["^/x/", "/\\\\9"]]'),
        "invalid group"),
    "site-css-selector": (lambda i: i.bad_site('[sites.presstv.selectors]\nheadline = "h1["'),
                          "does not parse"),
    "site-xpath-selector": (lambda i: i.bad_site('[sites.presstv.selectors]\nbody = "xpath://div[@id="'),
                            "does not parse"),
    # item 9: credentials in a domain
    "site-domain-credentials": (lambda i: i.bad_domain(f"https://admin:{SECRET}@www.presstv.ir"),
                                "user name or password"),
    # item 12: monitor and report options
    "report-days-huge": (lambda i: i.report("--days", "1e308"), "--days"),
    "report-days-nan": (lambda i: i.report("--days", "nan"), "--days"),
    "report-days-inf": (lambda i: i.report("--days", "inf"), "--days"),
    "report-days-negative": (lambda i: i.report("--days=-2"), "--days"),
    "monitor-ca-file-missing": (lambda i: i.monitor("none.pem"), "--ca-file"),
    "monitor-ca-file-not-pem": (lambda i: i.monitor("a-file"), "not a PEM file"),
    # item 14: export of a site the store does not know
    "export-unknown-site": (lambda i: ["export", "nosuchsite", "--store", i.store],
                            "holds articles of: other, presstv"),
}


def run_cli(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "newscrawl.cli", *args], capture_output=True, text=True,
                          timeout=120, cwd=cwd, env={**os.environ, "PYTHONWARNINGS": "ignore"})


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_is_one_line_and_status_2(tmp_path: Path, name: str) -> None:
    inputs = Inputs(tmp_path)
    build, message = CASES[name]
    done = run_cli(build(inputs), tmp_path)
    lines = done.stderr.splitlines()
    assert done.returncode == 2, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    assert len(lines) == 1 and lines[0].startswith("newscrawl: error: "), done.stderr[-2000:]
    assert message in lines[0]
    assert SECRET not in done.stderr + done.stdout
    assert not (tmp_path / "output").exists()  # nothing started: no default output, no store
    assert not (tmp_path / "out.jsonl").exists()  # the check of -o left nothing behind


def test_export_of_a_known_site_without_articles_warns_and_exits_0(tmp_path: Path) -> None:
    empty = f"sqlite:///{tmp_path / 'empty.db'}"
    open_store(empty).close()
    done = run_cli(["export", "presstv", "--store", empty, "--format", "csv"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == [f"newscrawl: warning: no stored articles of 'presstv' in {empty}",
                                        "exported 0 articles of presstv"]
    assert done.stdout.startswith("url,")  # the header row: an empty export, not nothing
