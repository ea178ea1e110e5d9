"""Crawl throughput: newscrawl's full pipeline against a bare Scrapy spider, same mock site.

Both crawl a generated mock Press TV site of N articles served on 127.0.0.1, with the same
Scrapy concurrency settings, alternately (bare, newscrawl, bare, newscrawl, ...) in child
processes of this one run. Pages/s = responses / Scrapy's elapsed time. Prints each run, the
median rate of each, and their ratio (target: newscrawl >= 0.8 x bare).

    .venv/bin/python bench/crawl.py [--articles 2000] [--rounds 2]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SAME_FOR_BOTH = {
    "CONCURRENT_REQUESTS": 16, "CONCURRENT_REQUESTS_PER_DOMAIN": 16, "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False, "ROBOTSTXT_OBEY": False, "LOG_LEVEL": "WARNING",
    "TELNETCONSOLE_ENABLED": False, "REMOTE_CONTROL_ENABLED": False,
}


def child_bare(origin: str, pins: list[str], stats_file: str) -> None:
    """A spider that only follows the site's links: no extraction, no pipelines."""
    import scrapy
    from scrapy.crawler import CrawlerProcess

    from newscrawl.sites import load_sites

    sections = load_sites()["presstv"].sections
    host = origin.split("//", 1)[1]

    class BareSpider(scrapy.Spider):
        name = "bare"

        async def start(self) -> Any:
            for path in sections:
                yield scrapy.Request(origin + path)

        def parse(self, response: Any) -> Any:
            for href in response.css("a::attr(href)").getall():
                url = response.urljoin(href).split("#", 1)[0]
                if url.split("//", 1)[-1].startswith(host):
                    yield scrapy.Request(url)

    settings = {**SAME_FOR_BOTH, "TWISTED_DNS_RESOLVER": "newscrawl.resolver.PinnedResolver",
                "NEWSCRAWL_RESOLVE": pins}
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler)
    process.start()
    Path(stats_file).write_text(json.dumps(crawler.stats.get_stats(), default=str))  # type: ignore[union-attr]


def child_newscrawl(origin: str, pins: list[str], stats_file: str) -> None:
    """The full newscrawl crawl: spider, extraction workers, pipelines, SQLite, JSON lines."""
    from newscrawl.crawl import CrawlOptions, run_crawl
    from newscrawl.sites import load_sites

    site = dataclasses.replace(load_sites()["presstv"], domains=(origin,))
    with tempfile.TemporaryDirectory() as tmp:
        result = run_crawl(CrawlOptions(site=site, resolve=pins, store=f"sqlite:///{tmp}/bench.db",
                                        output=f"{tmp}/bench.jsonl", overrides=dict(SAME_FOR_BOTH)))
    Path(stats_file).write_text(json.dumps(result.stats, default=str))


def run_child(kind: str, origin: str, pins: list[str]) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile(suffix=".json") as stats_file:
        subprocess.run([sys.executable, __file__, "--child", kind, "--origin", origin,
                        "--stats-file", stats_file.name, *[f"--pin={p}" for p in pins]],
                       check=True, cwd=ROOT)
        return dict(json.loads(Path(stats_file.name).read_text()))


def rate(stats: dict[str, Any]) -> tuple[int, float]:
    pages = int(stats.get("response_received_count", 0))
    return pages, pages / float(stats["elapsed_time_seconds"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--child", choices=["bare", "newscrawl"])
    parser.add_argument("--origin")
    parser.add_argument("--stats-file")
    parser.add_argument("--pin", action="append", default=[])
    args = parser.parse_args()
    if args.child:
        child = child_bare if args.child == "bare" else child_newscrawl
        child(args.origin, args.pin, args.stats_file)
        return

    from newscrawl.testing.mocksite import MockServer, build_mock_site

    site = build_mock_site(articles=args.articles)
    rates: dict[str, list[float]] = {"bare": [], "newscrawl": []}
    with MockServer(site, ["http://www.presstv.ir:0"]) as server:
        origin, pins = server.origins[0], server.pins()
        for round_ in range(1, args.rounds + 1):
            for kind in ("bare", "newscrawl"):
                pages, pages_per_s = rate(run_child(kind, origin, pins))
                rates[kind].append(pages_per_s)
                print(f"round {round_} {kind:<9} {pages:>5} pages  {pages_per_s:7.1f} pages/s",
                      flush=True)
    bare, ours = statistics.median(rates["bare"]), statistics.median(rates["newscrawl"])
    print(f"\nmock site: {len(site.manifest)} articles; medians over {args.rounds} rounds")
    print(f"bare Scrapy spider   {bare:7.1f} pages/s")
    print(f"newscrawl (full)     {ours:7.1f} pages/s")
    print(f"ratio newscrawl/bare {ours / bare:7.2f}   (target >= 0.80)")


if __name__ == "__main__":
    main()
