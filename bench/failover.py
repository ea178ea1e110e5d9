"""Failover cost: the same mock site crawled with a healthy and with a broken primary.

Crawls a 500-article mock Press TV site (four domains on 127.0.0.1) in child processes of
this one run: all healthy, primary blackholed, primary serving the seizure banner, primary
flapping (refusing connections every other ~0.7 s); prints each crawl's time as a ratio to
the healthy crawl and the articles it missed (target: <= 1.2x, zero missing). For
comparison, plain Scrapy defaults against the blackholed primary: measured on a few URLs
with the timeout scaled down, then extrapolated to the real defaults.

    .venv/bin/python bench/failover.py [--articles 500]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HOSTS = ("www.presstv.ir", "www.presstv.co.uk", "www.presstv.tv", "www.presstv.com")
LOCAL = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
         "LOG_LEVEL": "WARNING"}
SCALED_TIMEOUT = 1.0  # plain Scrapy run: DOWNLOAD_TIMEOUT scaled from 180 s to this


def child_newscrawl(origins: list[str], pins: list[str], out: str) -> None:
    from newscrawl.crawl import CrawlOptions, run_crawl
    from newscrawl.sites import load_sites

    site = dataclasses.replace(load_sites()["presstv"], domains=tuple(origins))
    with tempfile.TemporaryDirectory() as tmp:
        result = run_crawl(CrawlOptions(site=site, resolve=pins, store=f"sqlite:///{tmp}/b.db",
                                        output=f"{tmp}/b.jsonl", overrides=dict(LOCAL)))
        urls = [json.loads(line)["url"] for line in Path(f"{tmp}/b.jsonl").read_text().splitlines()]
    Path(out).write_text(json.dumps({"stats": result.stats, "urls": urls}, default=str))


def child_plain_scrapy(origins: list[str], pins: list[str], out: str) -> None:
    """Scrapy's defaults (retries, no failover), timeout scaled, a few article URLs."""
    import scrapy
    from scrapy.crawler import CrawlerProcess

    urls = [f"{origins[0]}/Detail/2026/08/15/{700000 + i}/x" for i in range(4)]

    class Plain(scrapy.Spider):
        name = "plain"

        async def start(self) -> Any:
            for url in urls:
                yield scrapy.Request(url)

        def parse(self, response: Any) -> None:
            pass

    process = CrawlerProcess({"DOWNLOAD_TIMEOUT": SCALED_TIMEOUT, "LOG_LEVEL": "ERROR",
                              "TELNETCONSOLE_ENABLED": False, "REMOTE_CONTROL_ENABLED": False,
                              "TWISTED_DNS_RESOLVER": "newscrawl.resolver.PinnedResolver",
                              "NEWSCRAWL_RESOLVE": pins})
    crawler = process.create_crawler(Plain)
    process.crawl(crawler)
    process.start()
    Path(out).write_text(json.dumps({"stats": crawler.stats.get_stats(), "urls": urls},  # type: ignore[union-attr]
                                    default=str))


def run_child(kind: str, origins: list[str], pins: list[str]) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run([sys.executable, __file__, "--child", kind, "--out", out.name,
                        *[f"--origin={o}" for o in origins], *[f"--pin={p}" for p in pins]],
                       check=True, cwd=ROOT)
        return dict(json.loads(Path(out.name).read_text()))


def flap(server: Any, host: str, stop: threading.Event, period: float = 0.7) -> None:
    down = False
    while not stop.wait(period):
        down = not down
        server.set_mode(host, "refuse" if down else "ok")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3, help="runs of each crawl (median taken)")
    parser.add_argument("--child", choices=["newscrawl", "plain"])
    parser.add_argument("--origin", action="append", default=[])
    parser.add_argument("--pin", action="append", default=[])
    parser.add_argument("--out")
    args = parser.parse_args()
    if args.child:
        (child_newscrawl if args.child == "newscrawl" else child_plain_scrapy)(
            args.origin, args.pin, args.out)
        return

    from newscrawl.testing.mocksite import MockServer, build_mock_site

    site = build_mock_site(articles=args.articles)
    scenarios = {"healthy": None, "primary blackholed": "blackhole",
                 "primary seizure banner": "seized", "primary flapping": "flap"}
    runs: dict[str, list[tuple[float, int]]] = {name: [] for name in scenarios}
    healthy_pages = 0
    for name, mode in [item for _ in range(args.rounds) for item in scenarios.items()]:
        with MockServer(site, [f"http://{host}:0" for host in HOSTS]) as server:
            expected = {server.origins[0] + record.path for record in site.manifest}
            stop = threading.Event()
            if mode == "flap":
                threading.Thread(target=flap, args=(server, HOSTS[0], stop), daemon=True).start()
            elif mode:
                server.set_mode(HOSTS[0], mode)
            result = run_child("newscrawl", server.origins, server.pins())
            stop.set()
        seconds = float(result["stats"]["elapsed_time_seconds"])
        if mode is None:
            healthy_pages = int(result["stats"].get("response_received_count", 0))
        runs[name].append((seconds, len(expected - set(result["urls"]))))
    results = {name: (statistics.median(s for s, _ in values), max(m for _, m in values))
               for name, values in runs.items()}
    healthy = results["healthy"][0]
    print(f"mock site: {len(site.manifest)} articles, 4 domains; median of {args.rounds} runs each, "
          "interleaved; missing = worst run")
    print(f"{'crawl':<28}{'seconds':>9}{'x healthy':>11}{'missing':>9}")
    for name, (seconds, missing) in results.items():
        print(f"{name:<28}{seconds:9.2f}{seconds / healthy:11.2f}{missing:9d}")

    with MockServer(site, [f"http://{HOSTS[0]}:0"]) as server:
        server.set_mode(HOSTS[0], "blackhole")
        started = time.monotonic()
        plain = run_child("plain", server.origins, server.pins())
        wall = time.monotonic() - started
    per_url = float(plain["stats"]["elapsed_time_seconds"])  # 4 URLs in parallel, 3 attempts each
    real = per_url * (180 / SCALED_TIMEOUT)
    extrapolated = real * healthy_pages / 8  # CONCURRENT_REQUESTS_PER_DOMAIN = 8 by default
    print(f"\nplain Scrapy defaults, blackholed primary: {per_url:.2f} s for 4 URLs with the "
          f"timeout scaled to {SCALED_TIMEOUT:.0f} s (wall {wall:.1f} s)")
    print(f"  extrapolated to DOWNLOAD_TIMEOUT=180 and the healthy crawl's {healthy_pages} pages "
          f"at 8 per domain: "
          f"{extrapolated / 3600:.1f} h = {extrapolated / healthy:,.0f} x healthy, every article missing")


if __name__ == "__main__":
    main()
