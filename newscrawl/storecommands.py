"""``newscrawl pending [SITE]`` and ``newscrawl duplicates [SITE]``: what the store holds
besides articles, as a table or JSON lines."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from newscrawl.storage import Store, StoreError, open_store, store_url

DEFAULT_STORE = "sqlite:///output/newscrawl.db"


def open_existing(url: str) -> Store:
    """The store at ``url`` (or SQLite path); a missing SQLite file is an error, not a new
    empty store."""
    url = store_url(url)
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        raise StoreError(f"{url}: no store there (crawl first, or pass --store)")
    return open_store(url)


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("site", nargs="?", help="one site (default: every site)")
    parser.add_argument("--store", metavar="URL", default=None,
                        help=f"store URL or SQLite path (default {DEFAULT_STORE})")
    parser.add_argument("--format", choices=("table", "json"), default="table",
                        help="a table (default) or one JSON object a line")


def add_pending_arguments(parser: argparse.ArgumentParser) -> None:
    _add_common(parser)


def add_duplicates_arguments(parser: argparse.ArgumentParser) -> None:
    _add_common(parser)


def _print(rows: list[dict[str, Any]], columns: list[str], fmt: str, empty: str) -> None:
    if fmt == "json":
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
        return
    if not rows:
        print(empty, file=sys.stderr)
        return
    cells = [columns] + [[str(row[c]) for c in columns] for row in rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(columns) - 1)]
    for line in cells:
        padded = "  ".join(v.ljust(w) for v, w in zip(line, widths, strict=False))
        sys.stdout.write(f"{padded}  {line[-1]}\n")


def run_pending(args: argparse.Namespace) -> int:
    """Requests that failed on every domain: site, failure classes, tries, when, URL."""
    store = open_existing(args.store or DEFAULT_STORE)
    try:
        pending = store.pending(args.site)
    finally:
        store.close()
    rows = [{"site": p.site, "classes": ",".join(p.classes), "tries": p.attempts,
             "first_failed": p.first_failed.isoformat(), "last_failed": p.last_failed.isoformat(),
             "url": p.url} for p in pending]
    _print(rows, ["site", "classes", "tries", "first_failed", "last_failed", "url"], args.format,
           "no pending requests")
    return 0


def run_duplicates(args: argparse.Namespace) -> int:
    """Articles not stored as duplicates: kind, similarity, the stored article matched, URL."""
    store = open_existing(args.store or DEFAULT_STORE)
    try:
        records = store.duplicates(args.site)
    finally:
        store.close()
    rows = [asdict(record) for record in records]
    _print(rows, ["site", "kind", "similarity", "last_seen", "matched_url", "url"], args.format,
           "no duplicates recorded")
    return 0
