"""The ``newscrawl`` command: crawl, demo, export, stats, parse, sites."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import NoReturn

from newscrawl import __version__, quietlog
from newscrawl import crawl as crawl_mod
from newscrawl import storecommands as store_cmd
from newscrawl.bounds import parse_since
from newscrawl.config import apply_defaults
from newscrawl.inputs import check_args
from newscrawl.logmask import error_line, mask_log_records, print_masked_traceback
from newscrawl.monitor import command as monitor_cmd
from newscrawl.schedule import command as schedule_cmd
from newscrawl.secrets import mask_url
from newscrawl.sites import SiteError, get_site, load_sites
from newscrawl.storage import Store, StoreError, StoreStats, open_store, store_url
from newscrawl.storage.export import export_articles, format_stats

DEFAULT_STORE = "sqlite:///output/newscrawl.db"
DESCRIPTION = """A news crawler built on Scrapy: crawl a site's sections, feeds and sitemaps into a
store, failing over to its mirror domains; export, monitor and report.

Exit status: 0 success; 1 failure (for crawl: stopped early, nothing fetched or every domain
down); 2 bad input; 3 crawl finished with requests left pending (see `newscrawl pending`)."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one ``newscrawl: error:`` line (status 2) like every
    other bad input; ``--help`` still shows the usage."""

    def error(self, message: str) -> NoReturn:
        print(error_line(f"{self.prog}: {message} (see {self.prog} --help)"), file=sys.stderr)
        raise SystemExit(2)


def _add_site_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--sites", metavar="FILE", help="TOML file adding or overriding sites")
    parser.add_argument("--resolve", metavar="HOST:IP", action="append", default=[],
                        help="pin HOST to IP for the whole run (repeatable)")
    parser.add_argument("--store", metavar="URL",
                        help="store: a SQLite file path, sqlite:///path or postgresql://...; "
                             "default output/newscrawl.db")
    parser.add_argument("-s", "--set", metavar="NAME=VALUE", action="append", default=[],
                        help="set a Scrapy or newscrawl setting (repeatable)")
    parser.add_argument("-L", "--loglevel", default=None, help="log level (default INFO)")


def _parser(config: str | None = None) -> argparse.ArgumentParser:
    parser = _Parser(prog="newscrawl", description=DESCRIPTION,
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"newscrawl {__version__}")
    parser.add_argument("--config", metavar="FILE",
                        help="config file (default: newscrawl.toml in the working directory, if any)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    crawl = sub.add_parser("crawl", help="crawl a site's sections, feeds and sitemaps")
    crawl.add_argument("site", help="site name (see `newscrawl sites`)")
    _add_site_options(crawl)
    feeds = crawl.add_mutually_exclusive_group()
    feeds.add_argument("-o", "--output", metavar="FILE[:FORMAT]", dest="feed_uris", action="append",
                       default=[],
                       help="append the articles to FILE, in the format of its extension (.jsonl, .json, "
                            ".csv, .xml) or FORMAT (repeatable; default output/<site>-<UTC time>.jsonl)")
    feeds.add_argument("-O", "--overwrite-output", metavar="FILE[:FORMAT]", dest="overwrite_uris",
                       action="append", default=[], help="as -o, but overwrite FILE")
    crawl.add_argument("--max-articles", type=int, metavar="N", help="stop after N articles")
    crawl.add_argument("--since", metavar="DATE", help="skip articles published before DATE")
    crawl.add_argument("--job", metavar="NAME",
                       help="persist the crawl state in output/jobs/<site>-NAME; "
                            "the same command resumes it after a stop or a crash")
    crawl.add_argument("--refresh", action="store_true",
                       help="download articles already stored again (revisions)")
    crawl.add_argument("--redis", metavar="URL",
                       help="a worker of one crawl shared through Redis (redis://HOST:PORT/DB): "
                            "run it on any number of processes and machines")
    crawl.add_argument("-q", "--quiet", action="store_true",
                       help="no progress line, and warnings and errors only in the log")
    crawl.add_argument("--warc", metavar="DIR",
                       help="also write every response and its request to WARC 1.1 files in DIR")

    demo = sub.add_parser("demo", help="serve the mock Press TV site locally and crawl it")
    demo.add_argument("--articles", type=int, default=36, help="articles on the mock site")
    demo.add_argument("--store", metavar="URL", help="store URL (default: output/demo-<UTC time>.db)")
    demo.add_argument("-o", "--output", metavar="FILE.jsonl", help="JSON lines output")
    demo.add_argument("-L", "--loglevel", default="WARNING", help="log level (default WARNING)")

    export = sub.add_parser("export", help="stream a site's stored articles as JSON lines or CSV")
    export.add_argument("site", help="site name (as stored)")
    export.add_argument("--since", metavar="DATE", help="only articles published on or after DATE")
    export.add_argument("--format", choices=("jsonl", "csv"), default="jsonl", help="jsonl (default) or csv")
    export.add_argument("-o", "--output", metavar="FILE", help="output file (default: standard output)")
    export.add_argument("--store", metavar="URL", default=DEFAULT_STORE,
                        help=f"store URL (default {DEFAULT_STORE})")

    stats = sub.add_parser("stats", help="print stored article counts per site, day and mirror")
    stats.add_argument("site", nargs="?", help="one site (default: every site)")
    stats.add_argument("--format", choices=("table", "json"), default="table", help="table (default) or json")
    stats.add_argument("--store", metavar="URL", default=DEFAULT_STORE,
                       help=f"store URL (default {DEFAULT_STORE})")

    parse = sub.add_parser("parse", help="extract one saved article page and print it as JSON")
    parse.add_argument("file", nargs="?", help="HTML file ('-' for standard input)")
    parse.add_argument("--warc", metavar="FILE",
                       help="extract every article of a WARC file instead (one JSON line each)")
    parse.add_argument("--url", default="", help="the page's URL (resolves relative links)")
    parse.add_argument("--site", help="site definition whose selectors to use")
    parse.add_argument("--sites", metavar="FILE", help="TOML file adding or overriding sites")
    parse.add_argument("--explain", action="store_true",
                       help="print the body candidates, their scores and why the winner won (not the JSON)")

    sites = sub.add_parser("sites", help="list the known sites")
    sites.add_argument("--sites", metavar="FILE", help="TOML file adding or overriding sites")

    monitor_cmd.add_monitor_arguments(sub.add_parser(
        "monitor", help="probe every domain of the sites: up, pending or down, and why"))
    monitor_cmd.add_report_arguments(sub.add_parser(
        "report", help="write an HTML status page: domain states, uptime timelines, crawl runs"))
    schedule_cmd.add_schedule_arguments(sub.add_parser(
        "schedule", help="run the crawls of a schedule file, each at its times, never twice at once"))
    schedule_cmd.add_runs_arguments(sub.add_parser(
        "runs", help="recent scheduled and manual runs: when, outcome, counts"))
    store_cmd.add_pending_arguments(sub.add_parser(
        "pending", help="requests that failed on every domain: failure classes, tries, URL"))
    store_cmd.add_duplicates_arguments(sub.add_parser(
        "duplicates", help="articles not stored as (near-)duplicates: the article matched, similarity"))
    for command in sub.choices.values():
        if "--config" in command._option_string_actions:  # the schedule file, say
            continue
        command.add_argument("--config", metavar="FILE", default=argparse.SUPPRESS,
                             help="config file (default: newscrawl.toml here, if any)")
    apply_defaults(parser, sub.choices, config)
    return parser


def _cmd_crawl(args: argparse.Namespace) -> int:
    options = crawl_mod.CrawlOptions(
        site=get_site(args.site, args.sites), sites_file=args.sites, resolve=args.resolve,
        store=args.store, output=args.feed_uris, overwrite=args.overwrite_uris,
        max_articles=args.max_articles,
        since=args.since, settings=args.set, job=args.job,
        loglevel=args.loglevel or ("WARNING" if args.quiet else None),
        refresh=args.refresh, redis=args.redis, overrides={**getattr(args, "config_settings", {}),
                                         "NEWSCRAWL_SUMMARY_LOG": False,  # printed below, once
                                         "NEWSCRAWL_QUIET_SCRAPY_LOG": not args.loglevel and sys.stderr.isatty(),  # noqa: E501
                                         **({"NEWSCRAWL_PROGRESS": False} if args.quiet else {}),
                                         **({"NEWSCRAWL_WARC_DIR": args.warc} if args.warc else {})})
    result = crawl_mod.run_crawl(options)
    print(result.summary)
    unwritten = result.stats.get("newscrawl/feed/unwritten")
    lacking = f" ({unwritten} or more articles not written: {result.stats.get('newscrawl/feed/error')}; " \
        "they are in the store)" if unwritten else ""
    label = "JSON lines" if all(uri.endswith((".jsonl", ".jl")) for uri in result.output.split(", ")) \
        else "output"
    print(f"{label}: {result.output}{lacking}")
    status, why = result.exit_status
    if why:
        print(f"newscrawl: exit status {status}: {why}", file=sys.stderr)
    return status


def _open_existing(url: str) -> Store:
    """The store at ``url``; a missing SQLite file is an error, not a new empty store."""
    url = store_url(url)
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        raise StoreError(f"{url}: no store there (crawl first, or pass --store)")
    return open_store(url)


def _check_export_site(store: Store, site: str, store_url: str) -> None:
    """An unknown site is an error naming the sites the store holds; a known site (built in,
    or with crawl runs in the store) without articles is a warning (an empty export)."""
    counts = {count.site: count for count in store.stats().sites}
    if counts.get(site) is not None and counts[site].articles:
        return
    if site in counts or site in load_sites():
        print(f"newscrawl: warning: no stored articles of {site!r} in {mask_url(store_url)}",
              file=sys.stderr)
        return
    held = ", ".join(sorted(name for name, count in counts.items() if count.articles)) or "none"
    raise SiteError(f"unknown site {site!r}: the store {store_url} holds articles of: {held}")


def _cmd_export(args: argparse.Namespace) -> int:
    since = parse_since(args.since or "")
    store = _open_existing(args.store)
    try:
        _check_export_site(store, args.site, args.store)
        if args.output:
            Path(args.output).parent.mkdir(parents=True, exist_ok=True)
            with open(args.output, "w", encoding="utf-8", newline="") as out:
                count = export_articles(store, args.site, since, args.format, out)
        else:
            count = export_articles(store, args.site, since, args.format, sys.stdout)
    finally:
        store.close()
    print(f"exported {count} articles of {args.site}", file=sys.stderr)
    return 0


def _cmd_stats(args: argparse.Namespace) -> int:
    store = _open_existing(args.store)
    try:
        stats = store.stats()
    finally:
        store.close()
    if args.site:
        stats = StoreStats([s for s in stats.sites if s.site == args.site],
                           [d for d in stats.days if d[0] == args.site],
                           [m for m in stats.mirrors if m[0] == args.site])
    if args.format == "json":
        print(json.dumps({"sites": [asdict(s) for s in stats.sites],
                          "days": [{"site": s, "day": d, "articles": n} for s, d, n in stats.days],
                          "mirrors": [{"site": s, "mirror": m, "articles": n} for s, m, n in stats.mirrors]},
                         ensure_ascii=False, indent=2))
    else:
        print(format_stats(stats), end="")
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    from newscrawl.demo import run_demo

    return run_demo(articles=args.articles, store=args.store, output=args.output,
                    loglevel=args.loglevel)


def _cmd_parse(args: argparse.Namespace) -> int:
    from newscrawl.extract import parse_article

    site = get_site(args.site, args.sites) if args.site else None
    if (args.warc is None) == (args.file is None):
        raise SiteError("parse: give one HTML file or --warc FILE")
    if args.warc is not None:
        from newscrawl.warcparse import print_warc_articles

        count = print_warc_articles(args.warc, site)
        print(f"{count} articles extracted from {args.warc}", file=sys.stderr)
        return 0
    try:
        html = sys.stdin.buffer.read() if args.file == "-" else Path(args.file).read_bytes()
    except OSError as exc:
        raise SiteError(f"{args.file}: cannot read ({exc.strerror})") from None
    url = args.url or (Path(args.file).resolve().as_uri() if args.file != "-" else "")
    article = parse_article(html, url, site)
    if args.explain:
        from newscrawl.extract.explain import explain

        print(explain(html, url, article))
        return 0
    print(json.dumps(asdict(article), ensure_ascii=False, indent=2))
    return 0


def _cmd_sites(args: argparse.Namespace) -> int:
    for name, site in sorted(load_sites(args.sites).items()):
        print(f"{name}: {', '.join(site.domains)} ({len(site.sections)} sections,"
              f" {len(site.feeds)} feeds, {len(site.sitemaps)} sitemaps)")
    return 0


def _cmd_monitor(args: argparse.Namespace) -> int:
    return monitor_cmd.run_monitor(args)


def _cmd_report(args: argparse.Namespace) -> int:
    return monitor_cmd.run_report(args)


def _cmd_schedule(args: argparse.Namespace) -> int:
    return schedule_cmd.run_schedule(args)


def _cmd_runs(args: argparse.Namespace) -> int:
    return schedule_cmd.run_runs(args)


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "crawl": _cmd_crawl, "demo": _cmd_demo, "export": _cmd_export, "stats": _cmd_stats,
    "parse": _cmd_parse, "sites": _cmd_sites,
    "monitor": _cmd_monitor, "report": _cmd_report,
    "schedule": _cmd_schedule, "runs": _cmd_runs,
    "pending": store_cmd.run_pending, "duplicates": store_cmd.run_duplicates,
}


def _config_option(argv: Sequence[str] | None) -> str | None:
    """``--config FILE`` wherever it is on the command line (read before the rest is parsed:
    the file's values are the defaults of the options)."""
    words = list(sys.argv[1:] if argv is None else argv)
    if "schedule" in words:  # its own --config is the schedule file
        words = words[:words.index("schedule")]
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--config")
    known, _ = early.parse_known_args(words)
    return known.config


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``newscrawl`` console script. Bad input (a value, a site file, a
    store, a file that cannot be read or written) is one line, credentials masked, status 2."""
    mask_log_records()
    quietlog.install()
    try:
        parser = _parser(_config_option(argv))
    except (SiteError, StoreError, ValueError, OSError) as exc:
        print(error_line(exc), file=sys.stderr)
        return 2
    args = parser.parse_args(argv)
    try:
        check_args(args)
        return COMMANDS[args.command](args)
    except BrokenPipeError:  # `newscrawl export ... | head`: the reader has what it wanted
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # no second error when Python flushes at exit
        return 0
    except (SiteError, StoreError, ValueError, OSError) as exc:
        print(error_line(exc), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("newscrawl: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: its traceback, but never a password in it
        print_masked_traceback(exc)
        return 1


if __name__ == "__main__":
    sys.exit(main())
