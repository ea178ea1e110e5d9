"""The ``monitor`` and ``report`` commands: their options, and what they run."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence

from newscrawl import settings
from newscrawl.monitor import formats
from newscrawl.monitor.config import DEFAULT_STORE, MonitorConfig
from newscrawl.monitor.result import ProbeResult
from newscrawl.monitor.runner import Monitor, every_site_up, watch
from newscrawl.monitor.state import Thresholds
from newscrawl.resolver import parse_pins
from newscrawl.sites import Site, SiteError, load_sites
from newscrawl.storage import open_store


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--sites", metavar="FILE", help="TOML file adding or overriding sites")
    parser.add_argument("--store", metavar="URL", default=DEFAULT_STORE,
                        help=f"store URL (default {DEFAULT_STORE})")
    parser.add_argument("--days", type=float, default=7.0, metavar="N",
                        help="history window in days (default 7)")


def add_monitor_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``newscrawl monitor``."""
    parser.add_argument("site", nargs="*", help="site names (default: every site)")
    _add_common(parser)
    parser.add_argument("--resolve", metavar="HOST:IP", action="append", default=[],
                        help="pin HOST to IP (repeatable)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--once", action="store_true", help="probe once and exit (default)")
    mode.add_argument("--watch", action="store_true", help="probe every --interval until stopped")
    mode.add_argument("--history", action="store_true", help="print uptime and incidents")
    parser.add_argument("--interval", type=float, default=60.0, metavar="SECONDS")
    parser.add_argument("--format", choices=sorted(formats.FORMATS), default="table")
    parser.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS",
                        help="time allowed to one probe of one domain (default 10)")
    parser.add_argument("--failures", type=int, default=3, metavar="N",
                        help="consecutive failures before a domain is down (default 3)")
    parser.add_argument("--successes", type=int, default=2, metavar="M",
                        help="consecutive successes before a down domain is up (default 2)")
    parser.add_argument("--webhook", metavar="URL", default="",
                        help="POST state changes here (http or https)")
    parser.add_argument("--max-body", type=int, default=settings.NEWSCRAWL_MONITOR_MAX_BODY,
                        metavar="BYTES", help="body bytes kept per response, after gzip decoding "
                        f"(default {settings.NEWSCRAWL_MONITOR_MAX_BODY})")
    parser.add_argument("--ca-file", metavar="PEM", help="also trust these CA certificates")
    parser.add_argument("-L", "--loglevel", default="INFO", help="log level (default INFO)")


def add_report_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``newscrawl report``."""
    parser.add_argument("site", nargs="?", help="site name (default: every site)")
    _add_common(parser)
    parser.add_argument("-o", "--output", metavar="FILE.html", default="report.html")


def chosen_sites(names: Sequence[str], sites_file: str | None) -> list[Site]:
    """The named sites (all of them when none is named); an unknown name is an error."""
    sites = load_sites(sites_file)
    unknown = [name for name in names if name not in sites]
    if unknown:
        raise SiteError(f"unknown site {unknown[0]!r} (known: {', '.join(sorted(sites))})")
    return [sites[name] for name in names] if names else [sites[n] for n in sorted(sites)]


def config_from(args: argparse.Namespace) -> MonitorConfig:
    return MonitorConfig(
        timeout=args.timeout, interval=args.interval, webhook=args.webhook, store=args.store,
        thresholds=Thresholds(args.failures, args.successes), pins=parse_pins(args.resolve),
        ca_file=args.ca_file, max_body=args.max_body)


def run_monitor(args: argparse.Namespace) -> int:
    """``newscrawl monitor``: exit 0 when every site has a domain up, else 1."""
    logging.basicConfig(level=args.loglevel.upper(), stream=sys.stderr,
                        format="%(asctime)s %(name)s %(levelname)s: %(message)s")
    config = config_from(args)  # every option checked before anything runs
    sites = chosen_sites(args.site, args.sites)
    if args.history:
        from newscrawl.monitor.historytext import print_history

        return print_history(args.store, sites, args.days, args.format)
    render = formats.FORMATS[args.format]

    def show(results: Sequence[ProbeResult]) -> None:
        print(render(results), flush=True)

    store = open_store(config.store)
    try:
        last = asyncio.run(watch(Monitor(sites, config, store), show, once=not args.watch))
    finally:
        store.close()
    return 0 if every_site_up(sites, last) else 1


def run_report(args: argparse.Namespace) -> int:
    """``newscrawl report``: write the HTML status page."""
    from newscrawl.monitor.report import write_report

    sites = chosen_sites([args.site] if args.site else [], args.sites)
    path = write_report(args.store, sites, args.days, args.output)
    print(f"report: {path}")
    return 0
