"""The scheduler's own overhead: CPU and memory of ``newscrawl schedule`` idling with 100
jobs, and the delay between a turn and its crawl's start.

    .venv/bin/python bench/schedule.py [--jobs 100] [--idle 30] [--turns 5]

1. Idle: 100 jobs (every 1h..100h and cron lines, none due), the scheduler started on a fresh
   SQLite store; after its first pass, its CPU time (user+system, /proc) over ``--idle``
   seconds and its resident memory (VmRSS, VmHWM).
2. Delay: one job every 5 s crawling the mock site (max_articles 1); for ``--turns`` turns:
   turn -> child started (the scheduler's own delay: store claim, lease, fork) and turn ->
   first request at the mock (plus Python and Scrapy start-up of the crawl).
"""

from __future__ import annotations

import argparse
import os
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from newscrawl.testing.mocksite import MockServer, build_mock_site

TICKS = os.sysconf("SC_CLK_TCK")
FAST = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False", "NEWSCRAWL_FAILOVER_HEDGE_INITIAL": "0.5"}


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


def memory_kib(pid: int) -> dict[str, int]:
    lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    pairs = (line.partition(":") for line in lines)
    return {key: int(value.split()[0]) for key, _, value in pairs if key in ("VmRSS", "VmHWM")}


def start(folder: Path, config: Path) -> tuple[subprocess.Popen[bytes], Path]:
    log = folder / "scheduler.log"
    command = [sys.executable, "-m", "newscrawl.cli", "schedule", "--config", str(config),
               "--store", f"sqlite:///{folder}/store.db", "-s", "NEWSCRAWL_SCHEDULE_POLL_SECONDS=0.2"]
    with open(log, "wb") as out:
        return subprocess.Popen(command, cwd=folder, stdout=out, stderr=subprocess.STDOUT), log


def wait_ready(process: subprocess.Popen[bytes], log: Path) -> float:
    began = time.monotonic()
    while " ready: " not in log.read_text(errors="replace"):
        if process.poll() is not None:
            raise SystemExit(f"the scheduler exited:\n{log.read_text()}")
        time.sleep(0.05)
    return time.monotonic() - began


def idle(jobs: int, seconds: float) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        tables = []
        for i in range(jobs):
            when = f'every = "{i % 100 + 1}h"' if i % 2 else f'cron = "{i % 60} {i % 24} * * *"'
            tables.append(f'[jobs.job{i:03d}]\nsite = "presstv"\n{when}\n')
        config = folder / "schedule.toml"
        config.write_text("\n".join(tables), encoding="utf-8")
        process, log = start(folder, config)
        ready = wait_ready(process, log)
        before = cpu_seconds(process.pid)
        time.sleep(seconds)
        used = cpu_seconds(process.pid) - before
        memory = memory_kib(process.pid)
        process.send_signal(signal.SIGTERM)
        process.wait()
    print(f"idle, {jobs} jobs: ready after {ready:.2f} s; CPU {used:.3f} s in {seconds:g} s "
          f"({100 * used / seconds:.2f} %); RSS {memory['VmRSS'] / 1024:.1f} MiB "
          f"(peak {memory['VmHWM'] / 1024:.1f} MiB)")


def delays(turns: int) -> None:
    site = build_mock_site(12)
    with tempfile.TemporaryDirectory() as tmp, MockServer(site, ["http://www.presstv.ir:0"]) as server:
        folder = Path(tmp)
        (folder / "sites.toml").write_text(f'[sites.presstv]\ndomains = ["{server.origins[0]}"]\n')
        settings = ", ".join(f'{k} = "{v}"' for k, v in FAST.items())
        pins = ", ".join(f'"{pin}"' for pin in server.pins())
        config = folder / "schedule.toml"
        config.write_text(f'[jobs.bench]\nsite = "presstv"\nevery = "5s"\n[jobs.bench.options]\n'
                          f'max_articles = 1\nsites = "{folder / "sites.toml"}"\nresolve = [{pins}]\n'
                          f'settings = {{ {settings} }}\n', encoding="utf-8")
        process, log = start(folder, config)
        wait_ready(process, log)
        query = "SELECT turn, started_at FROM schedule_runs WHERE outcome = 'finished' ORDER BY id"
        rows: list[tuple[str, str]] = []
        while len(rows) < turns:
            time.sleep(0.2)
            with sqlite3.connect(folder / "store.db", timeout=10) as connection:
                rows = connection.execute(query).fetchall()
        process.send_signal(signal.SIGTERM)
        process.wait()
        hits = sorted(r.timestamp for r in server.requests)
    spawn, first = [], []
    for turn_text, started_text in rows[:turns]:
        turn = datetime.fromisoformat(turn_text).timestamp()
        spawn.append(datetime.fromisoformat(started_text).timestamp() - turn)
        first.append(next(t for t in hits if t >= turn) - turn)
    print(f"turn -> child started: median {1000 * statistics.median(spawn):.1f} ms, "
          f"max {1000 * max(spawn):.1f} ms ({turns} turns)")
    print(f"turn -> first request of the crawl: median {statistics.median(first):.2f} s, "
          f"max {max(first):.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=100)
    parser.add_argument("--idle", type=float, default=30.0, help="seconds of idling measured")
    parser.add_argument("--turns", type=int, default=5)
    args = parser.parse_args()
    idle(args.jobs, args.idle)
    delays(args.turns)


if __name__ == "__main__":
    main()
