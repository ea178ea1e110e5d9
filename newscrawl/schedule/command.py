"""The ``schedule`` and ``runs`` commands: their options, and what they run."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Any

from scrapy.settings import Settings

from newscrawl.crawl import parse_setting
from newscrawl.schedule.config import ScheduleConfig, load_schedule
from newscrawl.schedule.history import History
from newscrawl.schedule.schema import utcnow
from newscrawl.schedule.triggers import in_words, next_turn
from newscrawl.schedule.waits import Waits
from newscrawl.storage import DEFAULT_STORE, Store, StoreError, open_store


def add_schedule_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``newscrawl schedule``."""
    parser.add_argument("--config", metavar="FILE", required=True, help="the schedule file (TOML)")
    parser.add_argument("--store", metavar="URL",
                        help=f"store of the run history and the crawls (default: the file's 'store', "
                             f"else {DEFAULT_STORE})")
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--list", action="store_true", help="print each job, its schedule, its next run")
    action.add_argument("--run-now", metavar="JOB", help="one run of JOB now, through its lock, then exit")
    parser.add_argument("-s", "--set", metavar="NAME=VALUE", action="append", default=[],
                        help="set a NEWSCRAWL_SCHEDULE_* setting (repeatable)")
    parser.add_argument("-L", "--loglevel", default="INFO", help="log level (default INFO)")


def add_runs_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``newscrawl runs``."""
    parser.add_argument("site", nargs="?", help="only this site's runs")
    parser.add_argument("--job", metavar="NAME", help="only this job's runs")
    parser.add_argument("--limit", type=int, default=20, metavar="N", help="at most N runs (default 20)")
    parser.add_argument("--format", choices=("table", "json"), default="table",
                        help="table (default) or json (one object a line)")
    parser.add_argument("--store", metavar="URL", default=DEFAULT_STORE, help=f"default {DEFAULT_STORE}")


def _settings(entries: list[str]) -> Settings:
    settings = Settings()
    settings.setmodule("newscrawl.settings", priority="project")
    settings.setdict(dict(parse_setting(entry) for entry in entries), priority="cmdline")
    return settings


def open_existing(url: str) -> Store:
    """The store at ``url``; a missing SQLite file is an error, not a new empty store."""
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        raise StoreError(f"{url}: no store there (crawl first, or pass --store)")
    return open_store(url)


def _list(config: ScheduleConfig, store: Any) -> None:
    waits = Waits()
    now = utcnow()
    if store is not None:
        waits.start(config.jobs, History(store, "list"), now)
    for name, job in config.jobs.items():
        turn = waits.next_turn.get(name) if store is not None else next_turn(job.trigger, now)
        when = "now (catch-up)" if turn is not None and turn <= now and job.catch_up == "latest" \
            else (turn.isoformat(timespec="seconds") if turn else "never")
        kind = "monitor " + (job.site if job.sites else "every site") if job.monitor else f"crawl {job.site}"
        extra = "".join(f", {label} {in_words(value)}" for label, value in
                        (("jitter", job.jitter), ("timeout", job.timeout)) if value)
        print(f"{name}: {kind}, {job.schedule}{extra}, catch_up {job.catch_up}; next run {when}")


def run_schedule(args: argparse.Namespace) -> int:
    """``newscrawl schedule``: check the file, then serve, list, or run one job now."""
    from newscrawl.schedule.runner import Runner
    from newscrawl.schedule.settings import RunnerSettings

    config = load_schedule(args.config)
    url = args.store or config.store or DEFAULT_STORE
    settings = RunnerSettings.from_settings(_settings(args.set))
    if args.run_now and args.run_now not in config.jobs:
        raise ValueError(f"{args.config}: no job {args.run_now!r} (jobs: {', '.join(config.jobs)})")
    if args.list:
        exists = not url.startswith("sqlite:///") or Path(url.removeprefix("sqlite:///")).exists()
        store = open_store(url) if exists else None
        try:
            _list(config, store)
        finally:
            if store is not None:
                store.close()
        return 0
    logging.basicConfig(level=args.loglevel.upper(), stream=sys.stderr,
                        format="%(asctime)s %(name)s %(levelname)s: %(message)s")
    runner = Runner(config, open_store(url), url, settings)
    try:
        return runner.run_now(config.jobs[args.run_now]) if args.run_now else runner.serve()
    finally:
        runner.close()


def run_runs(args: argparse.Namespace) -> int:
    """``newscrawl runs``: recent runs, newest first."""
    from newscrawl.schedule.listing import as_json, as_table, recent_runs

    if args.limit < 1:
        raise ValueError("--limit must be a positive number")
    store = open_existing(args.store)
    try:
        rows = recent_runs(store, args.site, args.job, args.limit)
    finally:
        store.close()
    print(as_json(rows) if args.format == "json" else as_table(rows), end="")
    return 0
