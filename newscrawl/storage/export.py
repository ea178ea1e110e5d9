"""Streaming export (JSON lines or CSV) and the ``newscrawl stats`` report: the CLI only
parses arguments and calls these."""

from __future__ import annotations

import csv
import json
from dataclasses import fields
from datetime import date, datetime
from typing import Any, Literal, TextIO

from newscrawl.csvsafe import safe_cell
from newscrawl.items import Article
from newscrawl.storage.stats import StoreStats
from newscrawl.storage.store import Store

ExportFormat = Literal["jsonl", "csv"]
COLUMNS = [f.name for f in fields(Article)] + ["revision", "is_revision"]
"""CSV columns: the Article fields in their declared order, then the revision flags."""


def _cell(value: Any) -> str:
    """A CSV cell: lists and records as compact JSON, booleans as true/false, text that
    starts like a spreadsheet formula prefixed with ``'`` (``newscrawl.csvsafe``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return "" if value is None else safe_cell(str(value))


def export_articles(store: Store, site: str | None, since: date | datetime | None,
                    fmt: ExportFormat, out: TextIO) -> int:
    """Write the site's stored articles (latest revision each, with ``revision`` and
    ``is_revision``) to ``out`` one at a time; returns how many."""
    if fmt not in ("jsonl", "csv"):
        raise ValueError(f"unknown export format {fmt!r} (use jsonl or csv)")
    writer = csv.writer(out) if fmt == "csv" else None
    if writer is not None:
        writer.writerow(COLUMNS)
    count = 0
    for article in store.iter_articles(site, since):
        if writer is not None:
            writer.writerow([_cell(article.get(name, "")) for name in COLUMNS])
        else:
            out.write(json.dumps(article, ensure_ascii=False) + "\n")
        count += 1
    return count


def _table(title: str, header: tuple[str, ...], rows: list[tuple[Any, ...]]) -> list[str]:
    if not rows:
        return [title, "  (none)"]
    cells = [tuple(str(v) for v in header)] + [tuple(str(v) for v in row) for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = ["  ".join(v.ljust(w) if i == 0 else v.rjust(w) for i, (v, w) in enumerate(zip(row, widths,
                                                                                         strict=True)))
             for row in cells]
    return [title, *("  " + line.rstrip() for line in lines)]


def format_stats(stats: StoreStats) -> str:
    """Three plain-text tables: per site, per site and day, per site and mirror."""
    sites = [(s.site, s.articles, s.revised, s.pending, s.runs, s.last_run or "-") for s in stats.sites]
    lines = _table("Per site", ("site", "articles", "revised", "pending", "runs", "last run"), sites)
    lines += ["", *_table("Per day", ("site", "day", "articles"), list(stats.days))]
    mirrors = [(site, mirror or "(unknown)", count) for site, mirror, count in stats.mirrors]
    lines += ["", *_table("Per mirror", ("site", "mirror", "articles"), mirrors)]
    return "\n".join(lines) + "\n"
