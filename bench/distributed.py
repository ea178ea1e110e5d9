"""Distributed crawl: 1, 2 and 3 workers on Redis, and one worker SIGKILLed halfway.

The mock Press TV site of N articles (default 2,000) is pre-rendered to files and served by
nginx on 127.0.0.1 (``bench/nginxsite.py``, not the bottleneck), a fresh ``redis-server`` is
started on 127.0.0.1, and ``newscrawl crawl presstv --redis URL`` runs as 1, 2 and 3 worker
processes sharing one SQLite store (all on this machine), rounds interleaved. Per crawl:
articles stored, seconds (the workers' start to the last one's exit, less the idle time a
worker waits before it leaves, ``NEWSCRAWL_REDIS_IDLE_CLOSE``), pages/s (every worker's
responses), Redis commands per page (``total_commands_processed``: the commands its scripts
run inside Redis included), and the ratio to one worker. Round trips per page (what a
network between workers and Redis costs) are counted in one more crawl of 1 and of 2
workers, with ``MONITOR`` on (it slows Redis: those runs are not timed). Then two workers,
one SIGKILLed once half the articles are stored:
articles lost (must be 0) and the time the crawl took.

``CONCURRENT_REQUESTS_PER_DOMAIN`` holds for the crawl as a whole on Redis; it is set high
here (64) so that it does not cap the workers, each of which has ``CONCURRENT_REQUESTS`` 16.

    .venv/bin/python bench/distributed.py [--articles 2000] [--rounds 1]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

IDLE_CLOSE = 1.0
KEEP = bool(os.environ.get("BENCH_KEEP"))
"""``BENCH_KEEP=1``: a killed run that lost articles is copied to /tmp/bench-killed with logs."""
WORKER_SETTINGS = {
    "CONCURRENT_REQUESTS": 16, "CONCURRENT_REQUESTS_PER_DOMAIN": 64, "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False, "ROBOTSTXT_OBEY": False, "LOG_LEVEL": "INFO",
    "NEWSCRAWL_REDIS_IDLE_CLOSE": IDLE_CLOSE, "NEWSCRAWL_REDIS_LEASE_SECONDS": 5,
}
RESPONSES = re.compile(r"'response_received_count': (\d+)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def redis_server() -> Iterator[str]:
    import redis

    binary = shutil.which("redis-server")
    if binary is None:
        sys.exit("needs redis-server: apt-get install redis-server")
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="bench-redis-") as folder:
        server = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", folder,
                                   "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL)
        url = f"redis://127.0.0.1:{port}/0"
        try:
            deadline = time.monotonic() + 20
            while True:
                try:
                    redis.Redis.from_url(url).ping()
                    break
                except redis.ConnectionError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.05)
            yield url
        finally:
            server.terminate()
            server.wait(10)


def commands(url: str) -> int:
    import redis

    return int(redis.Redis.from_url(url).info("stats")["total_commands_processed"])


class Crawl:
    """``workers`` worker processes of one crawl into a fresh store in ``folder``."""

    def __init__(self, folder: Path, origin: str, pins: list[str], url: str, workers: int):
        self.folder, self.url = folder, url
        self.store = folder / "store.db"
        sites = folder / "sites.toml"
        sites.write_text(f'[sites.presstv]\ndomains = ["{origin}"]\n', encoding="utf-8")
        self.commands = [[sys.executable, "-m", "newscrawl.cli", "crawl", "presstv", "--sites", str(sites),
                          "--store", f"sqlite:///{self.store}", "--redis", url,
                          "-o", str(folder / f"worker{n}.jsonl"),
                          *[arg for pin in pins for arg in ("--resolve", pin)],
                          *[arg for k, v in WORKER_SETTINGS.items() for arg in ("-s", f"{k}={v}")]]
                         for n in range(workers)]
        self.processes: list[subprocess.Popen[str]] = []

    def start(self) -> None:
        self.started = time.monotonic()
        self.processes = [subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL,
                                           stderr=subprocess.PIPE, text=True)
                          for command in self.commands]
        self.stderr: list[str] = []

    def stored(self) -> int:
        if not self.store.exists():
            return 0
        try:
            with contextlib.closing(sqlite3.connect(self.store, timeout=30)) as connection:
                return int(connection.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
        except sqlite3.OperationalError:  # not created yet
            return 0

    def finish(self) -> tuple[float, int, list[int]]:
        """Seconds (less the idle close), responses of every worker, exit statuses."""
        responses, codes = 0, []
        for process in self.processes:
            _, stderr = process.communicate(timeout=3600)
            self.stderr.append(stderr)
            if KEEP:
                (self.folder / f"stderr{len(self.stderr)}.log").write_text(stderr)
            codes.append(process.returncode)
            found = RESPONSES.findall(stderr)
            responses += int(found[-1]) if found else 0
        return time.monotonic() - self.started - IDLE_CLOSE, responses, codes


class RoundTrips:
    """Commands the workers sent to Redis (round trips), read from ``MONITOR``: what scripts
    run inside Redis is listed as ``[<db> lua]`` and not counted."""

    def __init__(self, url: str):
        port = url.rsplit(":", 1)[1].split("/")[0]
        self.process = subprocess.Popen(["redis-cli", "-p", port, "monitor"], stdout=subprocess.PIPE,
                                        text=True)
        assert self.process.stdout is not None
        self.process.stdout.readline()  # OK
        self.count = 0
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if " lua] " not in line:
                self.count += 1

    def stop(self) -> int:
        time.sleep(0.5)  # a benchmark: the last lines reach the reader
        self.process.terminate()
        self.process.wait(10)
        return self.count


def run(folder: Path, origin: str, pins: list[str], url: str, workers: int,
        monitor: bool = False) -> dict[str, float]:
    before = commands(url)
    trips = RoundTrips(url) if monitor else None
    crawl = Crawl(folder, origin, pins, url, workers)
    crawl.start()
    seconds, responses, codes = crawl.finish()
    if any(code != 0 for code in codes):
        sys.exit(f"{workers} workers: exit statuses {codes}")
    used = commands(url) - before - 1
    round_trips = trips.stop() if trips is not None else 0
    return {"workers": workers, "stored": crawl.stored(), "seconds": seconds, "pages": responses,
            "rate": responses / seconds, "redis_per_page": used / max(1, responses),
            "trips_per_page": round_trips / max(1, responses)}


def killed_run(folder: Path, origin: str, pins: list[str], url: str, expected: int) -> dict[str, float]:
    crawl = Crawl(folder, origin, pins, url, 2)
    crawl.start()
    while crawl.stored() < expected // 2:
        if all(p.poll() is not None for p in crawl.processes):
            break
        time.sleep(0.05)  # a benchmark: it waits for the store's count, checked often
    victim = crawl.processes[0]
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    seconds, _, codes = crawl.finish()
    stored = crawl.stored()
    if stored < expected and KEEP:
        keep = Path("/tmp/bench-killed")
        shutil.rmtree(keep, ignore_errors=True)
        shutil.copytree(folder, keep)
        print(f"kept the killed run in {keep}", file=sys.stderr)
    return {"stored": stored, "lost": expected - stored, "seconds": seconds, "survivor_status": codes[1]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    if args.articles < 2 or args.rounds < 1:
        sys.exit("--articles must be 2 or more and --rounds positive")
    from bench.nginxsite import NginxSite
    from newscrawl.testing.mocksite import build_mock_site

    site = build_mock_site(articles=args.articles)
    expected = len(site.manifest)
    server = NginxSite(site)
    if server.nginx is None:
        sys.exit("needs nginx: apt-get install nginx")
    runs: dict[int, list[dict[str, float]]] = {1: [], 2: [], 3: []}
    with server, redis_server() as url, tempfile.TemporaryDirectory(prefix="bench-distributed-") as tmp:
        for round_ in range(1, args.rounds + 1):
            for workers in (1, 2, 3):
                folder = Path(tmp) / f"r{round_}w{workers}"
                folder.mkdir()
                result = run(folder, server.origin, server.pins(), url, workers)
                runs[workers].append(result)
                print(f"round {round_}: {workers} worker(s)  {result['stored']:>5.0f} stored  "
                      f"{result['seconds']:6.2f} s  {result['rate']:6.1f} pages/s  "
                      f"{result['redis_per_page']:.1f} Redis commands/page", flush=True)
                if result["stored"] != expected:
                    sys.exit(f"{workers} workers stored {result['stored']:.0f} of {expected} articles")
        trips = {}
        for workers in (1, 2):
            folder = Path(tmp) / f"monitored{workers}"
            folder.mkdir()
            trips[workers] = run(folder, server.origin, server.pins(), url, workers, monitor=True)
            print(f"{workers} worker(s) under MONITOR: "
                  f"{trips[workers]['trips_per_page']:.1f} round trips/page", flush=True)
        folder = Path(tmp) / "killed"
        folder.mkdir()
        killed = killed_run(folder, server.origin, server.pins(), url, expected)
    one = statistics.median(r["rate"] for r in runs[1])
    print(f"\nmock site: {expected} articles served by nginx; one SQLite store; "
          f"medians of {args.rounds} round(s)")
    print("workers  pages/s  x one worker  Redis commands/page (scripts' included)  round trips/page")
    for workers, results in runs.items():
        rate = statistics.median(r["rate"] for r in results)
        per_page = statistics.median(r["redis_per_page"] for r in results)
        trip = f"{trips[workers]['trips_per_page']:16.1f}" if workers in trips else f"{'':>16}"
        print(f"{workers:>7}  {rate:7.1f}  {rate / one:12.2f}  {per_page:39.1f}  {trip}")
    print(f"2 workers, one SIGKILLed at {expected // 2} stored: {killed['stored']:.0f} stored, "
          f"{killed['lost']:.0f} lost, {killed['seconds']:.1f} s "
          f"(survivor exit {killed['survivor_status']:.0f})")
    if killed["lost"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
