"""Peak memory of a crawl whose feed lists a huge number of items, stopped at --max-articles.

The mock Press TV site (36 articles) is served on 127.0.0.1; its /rss.xml lists the real
articles first, then ``--items`` links to more articles (each id its own). The crawl (the real CLI,
in a child process) stops at ``--max-articles``. Before the discovery backlog, every item
became a queued request before the crawl could stop (785 MB at 200,000 items); now the
scheduler holds at most NEWSCRAWL_DISCOVERY_QUEUE requests and the rest wait as URLs.

    .venv/bin/python bench/huge_feed.py [--items 200000] [--max-articles 20]

Prints: items in the feed, articles written, exit status, seconds, peak RSS (MB) of the crawl
(the largest of its processes: crawler or extraction worker).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newscrawl.testing.mocksite import MockServer, MockSite, build_mock_site  # noqa: E402
from newscrawl.testing.mocksite.model import SELF  # noqa: E402

HOSTS = ("www.presstv.ir", "www.presstv.co.uk", "www.presstv.tv", "www.presstv.com")
FAST = ("-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "-s", "DOWNLOAD_MAXSIZE=134217728",
        "-s", "LOG_LEVEL=WARNING")
# Runs the crawl and reports the peak RSS of its processes (ru_maxrss of waited-for children, KiB).
PEAK = ("import resource, subprocess, sys; code = subprocess.run(sys.argv[1:]).returncode; "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(code)")


@dataclass(frozen=True)
class HugeFeedRun:
    items: int
    articles: int
    returncode: int
    seconds: float
    peak_rss_mb: float
    stderr: str


def huge_feed(site: MockSite, items: int) -> bytes:
    """RSS: the site's articles, then ``items`` links to more (each of its own id)."""
    real = [b"<item><link>" + SELF + r.path.encode() + b"</link></item>\n" for r in site.manifest]
    fake = (b"<item><link>" + SELF + b"/Detail/2026/01/01/%d/Another</link></item>\n" % (10_000_000 + i)
            for i in range(items))
    return b"<?xml version='1.0'?><rss version='2.0'><channel><title>PressTV</title>\n" \
        + b"".join(real) + b"".join(fake) + b"</channel></rss>\n"


def huge_site(items: int) -> MockSite:
    """The mock site with the huge feed; its unknown article ids serve the newest article (a
    404 would open the domains' breakers and make this a benchmark of failover instead)."""
    site = build_mock_site(36)
    site.pages["/rss.xml"] = huge_feed(site, items)
    known, newest = site.lookup, site.manifest[0].path

    def lookup(path: str) -> str | None:
        return known(path) or (newest if path.startswith("/Detail/") else None)

    site.lookup = lookup  # type: ignore[method-assign]
    return site


def run(items: int = 200_000, max_articles: int = 20, workdir: Path | None = None,
        timeout: float = 300) -> HugeFeedRun:
    site = huge_site(items)
    origins = [f"http://{host}:0" for host in HOSTS]
    with tempfile.TemporaryDirectory() as scratch, MockServer(site, origins) as server:
        tmp = workdir or Path(scratch)
        sites = tmp / "sites.toml"
        domains = ", ".join(f'"{origin}"' for origin in server.origins)
        sites.write_text(f'[sites.presstv]\ndomains = [{domains}]\nsections = []\n', encoding="utf-8")
        output = tmp / "huge.jsonl"
        command = [sys.executable, "-c", PEAK, sys.executable, "-m", "newscrawl.cli", "crawl", "presstv",
                   "--sites", str(sites), "--store", f"sqlite:///{tmp / 'store.db'}", "-o", str(output),
                   "--max-articles", str(max_articles), *FAST]
        for pin in server.pins():
            command += ["--resolve", pin]
        started = time.monotonic()
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                              env={**os.environ, "PYTHONWARNINGS": "ignore"})
        seconds = time.monotonic() - started
        lines = output.read_text(encoding="utf-8").splitlines() if output.exists() else []
        articles = sum(1 for line in lines if json.loads(line).get("url"))
        peak_kib = int(done.stdout.strip().splitlines()[-1])
        return HugeFeedRun(items, articles, done.returncode, seconds, peak_kib / 1024, done.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=200_000)
    parser.add_argument("--max-articles", type=int, default=20)
    args = parser.parse_args()
    result = run(args.items, args.max_articles)
    print(f"feed items {result.items}  articles {result.articles}  exit {result.returncode}  "
          f"{result.seconds:.1f} s  peak RSS {result.peak_rss_mb:.0f} MB")
    if result.returncode != 0:
        print(result.stderr[-3000:], file=sys.stderr)


if __name__ == "__main__":
    main()
