"""The fault matrix: every failure class the mock site can produce, the store down and back,
the store's disk full, SIGKILL at random points then resume, a gzip bomb, a huge feed and a
quote-heavy page, each crawled for real (the CLI in a child process against the mock on
127.0.0.1, see bench/faults_harness.py). Per fault it prints:

- expected: the site's articles (a planted gzip bomb is no article; the huge feed: --max-articles);
- stored: in the store after the fault's last crawl; kept: not stored but in the JSON lines
  or the spool (for the next run to import); unfetched: in none of them, never served to the
  crawl (it stopped first: the next run fetches them); lost: served, yet in none of them;
- peak RSS of the largest crawl (``wait4``: the crawler and every process it waited for);
- exit: each crawl's status (-9: SIGKILLed by the bench; "t/o": killed after --timeout).

    .venv/bin/python bench/faults.py [--quick] [--articles N] [--only NAME,...] [--timeout S]
"""

from __future__ import annotations

import argparse
import random
import shutil
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.faults_harness import HOSTS, Postgres, Workspace, postgres_bin  # noqa: E402
from newscrawl.testing.mocksite import MODE_PARAMS, MockSite, build_mock_site, hostile  # noqa: E402
from newscrawl.testing.mocksite.server import MockServer  # noqa: E402

PRIMARY = HOSTS[0]
MODE_ARGS: dict[str, dict[str, Any]] = {"slow": {"delay": 2.0}, "http_4xx": {"status": 403}}
"""Parameters of a mode on the primary (others: the mode's defaults)."""
SMALL_BATCHES = ("-s", "NEWSCRAWL_STORE_BATCH=10")
"""Store faults and kills: some batches are written before the fault, some after."""


@dataclass
class Options:
    articles: int
    timeout: float
    bomb_mib: int
    feed_items: int
    quote_kb: int
    kills: int
    keep: bool = False


@dataclass
class Row:
    fault: str
    expected: int
    stored: int
    kept: int
    unfetched: int
    lost: int
    peak_mib: float
    exits: str
    seconds: float
    note: str = ""


Fault = Callable[[Options], Row | str]
"""A fault's crawls and their row, or the reason it was skipped."""


@contextmanager
def served(options: Options, site: MockSite | None = None, store: str | None = None) -> Iterator[Workspace]:
    site = site or build_mock_site(options.articles)
    with tempfile.TemporaryDirectory(prefix="newscrawl-faults-") as scratch, \
            MockServer(site, [f"http://{host}:0" for host in HOSTS]) as server:
        tmp = tempfile.mkdtemp(prefix="newscrawl-faults-") if options.keep else scratch
        if options.keep:
            print(f"  (files of the next fault: {tmp})", flush=True)
        yield Workspace(site, server, Path(tmp), store)


def row(fault: str, ws: Workspace, expected: set[str] | int | None = None, note: str = "") -> Row:
    expected = ws.expected() if expected is None else expected
    stored, elsewhere = ws.stored(), ws.written() | ws.spooled()
    if isinstance(expected, int):
        found, kept = len(stored), len(elsewhere - stored)
        counts = (expected, found, kept, 0, max(0, expected - found - kept))
    else:
        missing = expected - stored - elsewhere
        counts = (len(expected), len(stored & expected), len((elsewhere - stored) & expected),
                  len(missing - ws.fetched()), len(missing & ws.fetched()))
    exits = ",".join("t/o" if run.timed_out else str(run.returncode) for run in ws.runs)
    return Row(fault, *counts, max(run.peak_mib for run in ws.runs), exits,
               sum(run.seconds for run in ws.runs), note)


def primary_in(mode: str) -> Fault:
    def fault(options: Options) -> Row:
        with served(options) as ws:
            ws.server.set_mode(PRIMARY, mode, **MODE_ARGS.get(mode, {}))
            ws.crawl(timeout=options.timeout)
            return row("healthy" if mode == "ok" else f"primary {mode}", ws)
    return fault


def flapping(options: Options) -> Row:
    """The primary refuses connections every other 0.7 s (a fault defined by the clock)."""
    with served(options) as ws:
        stop = threading.Event()

        def flap() -> None:
            down = False
            while not stop.wait(0.7):
                down = not down
                ws.server.set_mode(PRIMARY, "refuse" if down else "ok")

        threading.Thread(target=flap, daemon=True).start()
        try:
            ws.crawl(timeout=options.timeout)
        finally:
            stop.set()
        return row("primary flapping (refuse/ok every 0.7 s)", ws)


def dies_mid_crawl(options: Options) -> Row:
    with served(options) as ws:
        ws.server.set_mode(PRIMARY, "http_5xx", after=30)
        ws.crawl(timeout=options.timeout)
        return row("primary 5xx after 30 requests", ws)


def all_dead_then_next_run(options: Options) -> Row:
    with served(options) as ws:
        for host in HOSTS:
            ws.server.set_mode(host, "refuse", after=8)
        ws.crawl(timeout=options.timeout)
        first = len(ws.stored() & ws.expected())
        for host in HOSTS:
            ws.server.set_mode(host, "ok")
        ws.crawl(timeout=options.timeout)
        return row("all domains dead mid-crawl, next run", ws, note=f"run 1 stored {first}")


def postgres_restarted(options: Options, comes_back: bool = True) -> Row | str:
    bin_dir = postgres_bin()
    if bin_dir is None:
        return "PostgreSQL not installed (initdb not found): apt-get install postgresql"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = Postgres(bin_dir, port)
    name = "store: PostgreSQL restarted mid-crawl (down 3 s)" if comes_back \
        else "store: PostgreSQL stopped for good mid-crawl"
    try:
        server.start()
        with served(options, store=server.url) as ws:
            ws.server.hold("/Detail/", after=options.articles // 3)
            process = ws.start(*SMALL_BATCHES)
            ws.held_or_ended(process, options.timeout)
            before = ws.wait_stored(10, timeout=30)  # the first batch, written before the outage
            server.stop("immediate")
            ws.server.release()
            if comes_back:
                time.sleep(3)  # the outage (the fault itself, not a wait for an event)
                server.start()
            ws.finish(process, options.timeout)
            if not comes_back:
                server.start()  # to count what the store holds
            return row(name, ws, note=f"{before} stored before the outage")
    finally:
        server.remove()


def postgres_gone(options: Options) -> Row | str:
    return postgres_restarted(options, comes_back=False)


def disk_full(options: Options) -> Row | str:
    """SQLite on a tmpfs 2/3 the size of the healthy crawl's store (a private mount namespace)."""
    if shutil.which("unshare") is None:
        return "unshare not found (util-linux)"
    with served(options) as healthy:
        healthy.crawl(*SMALL_BATCHES, timeout=options.timeout)
        size = max(64 * 1024, (healthy.tmp / "store.db").stat().st_size * 2 // 3)
    with served(options) as ws:
        mount, copy = ws.tmp / "full", ws.tmp / "after"
        mount.mkdir()
        copy.mkdir()
        ws.store = f"sqlite:///{mount / 'store.db'}"
        script = (f'mount -t tmpfs -o size={size} tmpfs {mount} || exit 97; "$@"; status=$?; '
                  f'cp {mount}/* {copy}/ 2>/dev/null; exit $status')
        wrap = ("unshare", "-m", "sh", "-c", script, "sh")
        run = ws.crawl(*SMALL_BATCHES, timeout=options.timeout, wrap=wrap)
        if run.returncode == 97:
            return "cannot mount a tmpfs here (needs root or CAP_SYS_ADMIN)"
        ws.store = f"sqlite:///{copy / 'store.db'}"
        return row(f"store: disk full (SQLite on a {size // 1024} KB tmpfs)", ws)


def sigkill_then_resume(options: Options) -> Row:
    """``--job`` crawls SIGKILLed when the mock has served a random number of article pages
    (held there until the kill), then resumed by the same command, its -o file the same."""
    rng = random.Random(7)
    with served(options) as ws:
        job = ("--job", "faults", "-s", f"NEWSCRAWL_JOBS_DIR={ws.tmp / 'jobs'}", *SMALL_BATCHES)
        share = options.articles // (options.kills + 1)
        output = ws.tmp / "job.jsonl"
        for _ in range(options.kills):
            ws.server.hold("/Detail/", after=rng.randint(share // 2, share))
            process = ws.start(*job, output=output)
            ws.held_or_ended(process, options.timeout)
            process.kill()
            ws.server.release()
            ws.finish(process, options.timeout)
        ws.crawl(*job, timeout=options.timeout, output=output)
        lines = ws.written()
        return row(f"SIGKILL x{options.kills} at random points, resumed (--job)", ws,
                   note=f"job's -o file: {len(lines & ws.expected())} of {len(ws.expected())} articles")


def gzip_bomb(options: Options) -> Row:
    site = build_mock_site(options.articles)
    bomb = hostile.plant_gzip_bomb(site, index=5, size=options.bomb_mib * hostile.MIB)
    with served(options, site) as ws:
        ws.crawl(timeout=options.timeout)
        stored = bomb.path in ws.stored()
        return row(f"gzip bomb ({options.bomb_mib} MiB in {len(site.pages[bomb.path]) // 1024} KB)", ws,
                   ws.expected() - {bomb.path}, note=f"bomb page {'stored' if stored else 'not stored'}")


def huge_feed(options: Options) -> Row:
    site = build_mock_site(options.articles)
    hostile.plant_huge_feed(site, options.feed_items)
    with served(options, site) as ws:
        ws.crawl("--max-articles", "20", timeout=options.timeout)
        return row(f"huge feed ({options.feed_items:,} items, --max-articles 20)", ws, 20)


def quote_heavy(options: Options) -> Row:
    site = build_mock_site(options.articles)
    heavy = hostile.plant_quote_heavy(site, index=3, kilobytes=options.quote_kb)
    with served(options, site) as ws:
        ws.crawl(timeout=options.timeout)
        stored = heavy.path in ws.stored()
        return row(f"quote-heavy article ({options.quote_kb} KB of quotes)", ws,
                   note=f"that article {'stored' if stored else 'not stored'}")


def faults() -> dict[str, Fault]:
    modes = {f"mode-{mode}": primary_in(mode) for mode in MODE_PARAMS if mode != "ok"}
    return {"healthy": primary_in("ok"), **modes, "flapping": flapping, "dies": dies_mid_crawl,
            "all-dead": all_dead_then_next_run, "pg-restart": postgres_restarted, "pg-gone": postgres_gone,
            "disk-full": disk_full, "sigkill": sigkill_then_resume, "gzip-bomb": gzip_bomb,
            "huge-feed": huge_feed, "quote-heavy": quote_heavy}


def line(result: Row) -> str:
    counts = f"{result.expected:>9}{result.stored:>7}{result.kept:>5}{result.unfetched:>10}{result.lost:>5}"
    return (f"{result.fault:<52}{counts}{result.peak_mib:>7.0f}  {result.exits:<11}{result.seconds:>5.0f}"
            f"  {result.note}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="36 articles, a 100 MiB bomb, 20k feed items, 120 KB of quotes, 2 kills")
    parser.add_argument("--articles", type=int, help="articles on the mock site (default 100; quick 36)")
    parser.add_argument("--only", help="comma-separated fault names (see --list)")
    parser.add_argument("--list", action="store_true", help="list the fault names and exit")
    parser.add_argument("--timeout", type=float, default=240.0, help="seconds before a crawl is killed")
    parser.add_argument("--keep", action="store_true", help="keep each fault's files (logs, stores, output)")
    args = parser.parse_args()
    every = faults()
    if args.list:
        print("\n".join(every))
        return
    chosen = args.only.split(",") if args.only else list(every)
    unknown = [name for name in chosen if name not in every]
    if unknown:
        parser.error(f"unknown fault {', '.join(unknown)}; known: {', '.join(every)}")
    options = Options(args.articles or (36 if args.quick else 100), args.timeout,
                      100 if args.quick else 600, 20_000 if args.quick else 200_000,
                      120 if args.quick else 480, 2 if args.quick else 3, args.keep)
    started = time.monotonic()
    print(f"{'fault':<52}{'expected':>9}{'stored':>7}{'kept':>5}{'unfetched':>10}{'lost':>5}{'RSS MB':>7}"
          f"  {'exit':<11}{'s':>5}  note", flush=True)
    for name in chosen:
        result = every[name](options)
        if isinstance(result, str):
            print(f"{name:<52} skipped: {result}", flush=True)
            continue
        print(line(result), flush=True)
    seconds = time.monotonic() - started
    print(f"\n{len(chosen)} faults, {seconds:.0f} s; mock site {options.articles} articles")


if __name__ == "__main__":
    main()
