"""``python -m newscrawl.testing.mocksite``: serve the mock site until SIGTERM/SIGINT.

Prints one JSON line on stdout: ``{"origins": [...], "pins": [...], "articles": N}``.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from collections.abc import Sequence
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

from newscrawl.testing.mocksite.build import build_mock_site
from newscrawl.testing.mocksite.server import DEFAULT_HOSTS, MockServer


def _value(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


def parse_mode(entry: str) -> tuple[str, str, dict[str, Any]]:
    """``host=mode[:param=value,...]`` -> (host, mode, params); values are JSON when they parse."""
    host, sep, rest = entry.partition("=")
    if not sep or not rest:
        raise argparse.ArgumentTypeError(f"--mode {entry!r}: expected HOST=MODE[:PARAM=VALUE,...]")
    mode, _, param_text = rest.partition(":")
    params = {}
    for item in filter(None, param_text.split(",")):
        name, _, value = item.partition("=")
        params[name.strip()] = _value(value.strip())
    return host.strip(), mode.strip(), params


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m newscrawl.testing.mocksite", description=__doc__)
    parser.add_argument("--articles", type=int, default=36, help="articles on the site (default 36)")
    parser.add_argument("--seed", type=int, default=0, help="random seed of the generated texts")
    parser.add_argument("--no-seed-article", action="store_true", help="leave out the real seed article")
    parser.add_argument("--anchor", type=date.fromisoformat,
                        help="date of the newest articles, YYYY-MM-DD (default today)")
    parser.add_argument("--hosts", default=",".join(DEFAULT_HOSTS),
                        help="comma-separated host names, or origins like https://host:port")
    parser.add_argument("--mode", action="append", default=[], type=parse_mode,
                        help="HOST=MODE[:PARAM=VALUE,...], e.g. www.presstv.ir=slow:delay=2 (repeatable)")
    parser.add_argument("--manifest", type=Path, help="write the manifest (JSON) to this file")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    site = build_mock_site(args.articles, args.seed, not args.no_seed_article, anchor=args.anchor)
    origins = [h if "://" in h else f"http://{h}" for h in args.hosts.split(",") if h.strip()]
    if args.manifest:
        args.manifest.write_text(json.dumps([asdict(r) for r in site.manifest], ensure_ascii=False,
                                            indent=1), encoding="utf-8")
    stopped = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopped.set())
    with MockServer(site, origins) as server:
        for host, mode, params in args.mode:
            server.set_mode(host, mode, **params)
        print(json.dumps({"origins": server.origins, "pins": server.pins(),
                          "articles": len(site.manifest)}), flush=True)
        while not stopped.wait(0.5):
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
