"""The cost of ``--warc`` on crawl throughput: the same mock site crawled with and without it,
alternating, in fresh stores; prints pages/s per run and the median ratio.

    .venv/bin/python bench/warc.py [--articles 300] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from newscrawl.testing.mocksite import MockServer, build_mock_site

HOSTS = ("www.presstv.ir", "www.presstv.co.uk")
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "-L", "WARNING"]


def one_crawl(server: MockServer, tmp: Path, name: str, warc: bool) -> tuple[float, int]:
    sites = tmp / "sites.toml"
    sites.write_text(f"[sites.presstv]\ndomains = {json.dumps(server.origins)}\n", encoding="utf-8")
    command = [sys.executable, "-m", "newscrawl.cli", "crawl", "presstv", "--sites", str(sites),
               "--store", str(tmp / f"{name}.db"), "-O", str(tmp / f"{name}.jsonl"), *FAST]
    command += [arg for pin in server.pins() for arg in ("--resolve", pin)]
    if warc:
        command += ["--warc", str(tmp / f"{name}-warc")]
    started = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, timeout=1800)
    elapsed = time.monotonic() - started
    if done.returncode != 0:
        raise SystemExit(f"crawl failed: {done.stderr[-2000:]}")
    pages = len(server.requests)
    server.clear_log()
    return elapsed, pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    site = build_mock_site(articles=args.articles)
    rates: dict[bool, list[float]] = {False: [], True: []}
    with tempfile.TemporaryDirectory() as tmp, MockServer(site, [f"http://{h}:0" for h in HOSTS]) as server:
        for round_ in range(args.rounds):
            for warc in (False, True) if round_ % 2 == 0 else (True, False):
                elapsed, pages = one_crawl(server, Path(tmp), f"r{round_}-{warc}", warc)
                rates[warc].append(pages / elapsed)
                size = sum(p.stat().st_size for p in Path(tmp).glob(f"r{round_}-{warc}-warc/*"))
                label = "--warc" if warc else "plain "
                print(f"round {round_ + 1} {label}: {pages} pages in {elapsed:.1f} s, "
                      f"{pages / elapsed:.1f} pages/s" + (f", WARC {size / 1e6:.1f} MB" if warc else ""))
    plain, warc_rate = statistics.median(rates[False]), statistics.median(rates[True])
    print(f"median pages/s: plain {plain:.1f}, --warc {warc_rate:.1f}, ratio {warc_rate / plain:.2f}")


if __name__ == "__main__":
    main()
