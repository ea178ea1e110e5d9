"""Crawl throughput: newscrawl's full pipeline against a bare Scrapy spider, same site.

Both crawl a generated mock Press TV site of N articles, pre-rendered to files and served by
nginx on 127.0.0.1 (``bench/nginxsite.py``: the server is not the bottleneck), with the same
Scrapy concurrency settings, alternately (bare, newscrawl, bare, newscrawl, ...) in child
processes of this one run. Both fetch the section listings (every page) and each article
once, and yield one item per article to a JSON lines feed: the bare spider's item is the
URL, the <h1> and the <p> texts (CSS selectors, in the crawling process); newscrawl's is
the full extraction (in its extraction worker process), validated, normalised, deduplicated
and stored in SQLite as well.

Per run: pages, pages/s (responses / Scrapy's elapsed time) and CPU milliseconds per page,
of the crawling process and in total (the crawling process and every process it started,
newscrawl's extraction workers included). Then the median of each and the ratios
(target: newscrawl pages/s >= 0.9 x bare).

    .venv/bin/python bench/crawl.py [--articles 1000] [--rounds 2]
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import dataclasses
import json
import os
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SAME_FOR_BOTH = {
    "CONCURRENT_REQUESTS": 16, "CONCURRENT_REQUESTS_PER_DOMAIN": 16, "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False, "ROBOTSTXT_OBEY": False, "LOG_LEVEL": "WARNING",
    "TELNETCONSOLE_ENABLED": False, "REMOTE_CONTROL_ENABLED": False,
}
PR_SET_CHILD_SUBREAPER = 36
TARGET = 0.9


def child_bare(origin: str, pins: list[str], out: str) -> dict[str, Any]:
    """A plain Scrapy spider: listings, each article once, one item per article."""
    import scrapy
    from scrapy.crawler import CrawlerProcess

    from newscrawl.sites import load_sites

    site = dataclasses.replace(load_sites()["presstv"], domains=(origin,))
    seen: set[str] = set()

    class BareSpider(scrapy.Spider):
        name = "bare"

        async def start(self) -> Any:
            for path in site.sections:
                yield scrapy.Request(origin + path)

        def parse(self, response: Any) -> Any:
            for href in response.css("a::attr(href)").getall():
                url = response.urljoin(href).split("#", 1)[0]
                if not site.owns(url):
                    continue
                if site.is_article(url):
                    key = site.article_key(url)
                    if key not in seen:
                        seen.add(key)
                        yield scrapy.Request(url.split("?", 1)[0], callback=self.parse_article, priority=10)
                elif "/Section/" in url:
                    yield scrapy.Request(url)

        def parse_article(self, response: Any) -> Any:
            yield {"url": response.url, "headline": response.css("h1::text").get(),
                   "body": "\n\n".join(response.css("p::text").getall())}

    settings = {**SAME_FOR_BOTH, "TWISTED_DNS_RESOLVER": "newscrawl.resolver.PinnedResolver",
                "NEWSCRAWL_RESOLVE": pins, "FEEDS": {out: {"format": "jsonlines"}}}
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler)
    process.start()
    return crawler.stats.get_stats()


def child_newscrawl(origin: str, pins: list[str], out: str) -> dict[str, Any]:
    """The full newscrawl crawl: spider, extraction workers, pipelines, SQLite, JSON lines."""
    from newscrawl.crawl import CrawlOptions, run_crawl
    from newscrawl.sites import load_sites

    site = dataclasses.replace(load_sites()["presstv"], domains=(origin,))
    result = run_crawl(CrawlOptions(site=site, resolve=pins, store=f"sqlite:///{out}.db",
                                    output=out, overrides=dict(SAME_FOR_BOTH)))
    return result.stats


def cpu_seconds(usage: resource.struct_rusage) -> float:
    return usage.ru_utime + usage.ru_stime


def become_subreaper() -> None:
    """Processes our crawlers start and leave behind (the extraction pool's forkserver and
    resource tracker) become our children when orphaned, so their CPU time is counted."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1)


def our_children(skip: set[int]) -> list[int]:
    mine = str(os.getpid())
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) not in skip:
            with contextlib.suppress(OSError, IndexError):
                if (entry / "stat").read_text().rsplit(")", 1)[1].split()[1] == mine:
                    found.append(int(entry.name))
    return found


def reap_orphans(skip: set[int], timeout: float = 10.0) -> None:
    """Wait for every child but ``skip`` (nginx) to exit; kill one still there at ``timeout``."""
    deadline = time.monotonic() + timeout
    while pids := our_children(skip):
        for pid in pids:
            with contextlib.suppress(ChildProcessError):
                if time.monotonic() > deadline:
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
                else:
                    os.waitpid(pid, os.WNOHANG)
        time.sleep(0.02)


def run_child(kind: str, origin: str, pins: list[str], skip: set[int]) -> dict[str, Any]:
    """One crawl in a child process: its stats, its own CPU seconds and its whole tree's."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        before = cpu_seconds(resource.getrusage(resource.RUSAGE_CHILDREN))
        try:
            subprocess.run([sys.executable, __file__, "--child", kind, "--origin", origin,
                            "--report", str(report), *[f"--pin={p}" for p in pins]],
                           check=True, cwd=ROOT)
        finally:
            reap_orphans(skip)
        result: dict[str, Any] = json.loads(report.read_text())
        result["cpu_total"] = cpu_seconds(resource.getrusage(resource.RUSAGE_CHILDREN)) - before
        return result


def child_main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        child = child_bare if args.child == "bare" else child_newscrawl
        stats = child(args.origin, args.pin, f"{tmp}/items.jsonl")
        items = len(Path(f"{tmp}/items.jsonl").read_bytes().splitlines())
    Path(args.report).write_text(json.dumps(
        {"stats": stats, "items": items, "cpu_self": cpu_seconds(resource.getrusage(resource.RUSAGE_SELF))},
        default=str))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--child", choices=["bare", "newscrawl"], help=argparse.SUPPRESS)
    parser.add_argument("--origin", help=argparse.SUPPRESS)
    parser.add_argument("--report", help=argparse.SUPPRESS)
    parser.add_argument("--pin", action="append", default=[], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_main(args)
        return
    if args.articles < 1 or args.rounds < 1:
        sys.exit("--articles and --rounds must be positive numbers")  # exit status 1: argparse-like
    from bench.nginxsite import NginxSite
    from newscrawl.testing.mocksite import build_mock_site

    site = build_mock_site(articles=args.articles)
    server = NginxSite(site)
    if server.nginx is None:
        print("needs nginx: apt-get install nginx", file=sys.stderr)
        sys.exit(2)
    become_subreaper()
    runs: dict[str, list[dict[str, float]]] = {"bare": [], "newscrawl": []}
    with server:
        assert server.process is not None
        for round_ in range(1, args.rounds + 1):
            for kind in ("bare", "newscrawl"):
                result = run_child(kind, server.origin, server.pins(), {server.process.pid})
                pages = int(result["stats"].get("response_received_count", 0))
                run = {"pages": pages, "items": result["items"],
                       "rate": pages / float(result["stats"]["elapsed_time_seconds"]),
                       "self_ms": 1000 * result["cpu_self"] / max(1, pages),
                       "total_ms": 1000 * result["cpu_total"] / max(1, pages)}
                runs[kind].append(run)
                print(f"round {round_} {kind:<9} {pages:>5} pages  {run['rate']:7.1f} pages/s  "
                      f"{run['items']:>5} items  CPU {run['self_ms']:5.2f} ms/page crawler, "
                      f"{run['total_ms']:5.2f} total", flush=True)
    median = {kind: {key: statistics.median(r[key] for r in rs) for key in rs[0]}
              for kind, rs in runs.items()}
    bare, ours = median["bare"], median["newscrawl"]
    per_round = ", ".join(f"{o['rate'] / b['rate']:.2f}"
                          for b, o in zip(runs["bare"], runs["newscrawl"], strict=True))
    print(f"\nmock site: {len(site.manifest)} articles, served by nginx; medians over {args.rounds} rounds")
    print("                     pages/s   CPU ms/page (crawler / total)")
    print(f"bare Scrapy spider   {bare['rate']:7.1f}   {bare['self_ms']:5.2f} / {bare['total_ms']:5.2f}")
    print(f"newscrawl (full)     {ours['rate']:7.1f}   {ours['self_ms']:5.2f} / {ours['total_ms']:5.2f}")
    print(f"ratio newscrawl/bare {ours['rate'] / bare['rate']:7.2f}   "
          f"(target >= {TARGET:.2f}; per round {per_round})")
    print(f"CPU per page, newscrawl/bare: crawler x{ours['self_ms'] / bare['self_ms']:.2f}, "
          f"total x{ours['total_ms'] / bare['total_ms']:.2f}")


if __name__ == "__main__":
    main()
