"""``newscrawl export`` and ``newscrawl stats``: articles streamed out of the store as JSON
lines or CSV (one row in memory at a time), and the store's counts as text."""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, Literal, TextIO

if TYPE_CHECKING:
    from newscrawl.storage import Store

ExportFormat = Literal["jsonl", "csv"]
FORMATS: tuple[ExportFormat, ...] = ("jsonl", "csv")
CSV_FIELDS = (
    "url", "site", "mirror", "section", "headline", "lead", "authors", "published_at",
    "updated_at", "language", "revision", "is_revision", "fetched_at", "fetched_url",
    "breadcrumb", "subheadings", "images", "quotes", "body",
)


def csv_value(value: Any) -> str:
    """A cell: lists of strings joined by "; ", other structures as JSON, booleans 0/1."""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "; ".join(value)
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else str(value)


def export_articles(store: Store, site: str | None, since: date | None, fmt: ExportFormat,
                    out: TextIO) -> int:
    """Write the latest revision of every matching article to ``out`` (``revision`` and
    ``is_revision`` flag updated articles); returns how many were written."""
    if fmt not in FORMATS:
        raise ValueError(f"--format {fmt!r}: expected one of {', '.join(FORMATS)}")
    writer = csv.writer(out) if fmt == "csv" else None
    if writer is not None:
        writer.writerow(CSV_FIELDS)
    count = 0
    for article in store.iter_articles(site, since):
        if writer is not None:
            writer.writerow([csv_value(article.get(name)) for name in CSV_FIELDS])
        else:
            out.write(json.dumps(article, ensure_ascii=False) + "\n")
        count += 1
    return count


def _table(title: str, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[str]:
    cells = [list(header), *([str(c) for c in row] for row in rows)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = [f"{title}:"]
    for row in cells:
        lines.append("  " + "  ".join(c.rjust(w) if c.isdigit() else c.ljust(w)
                                      for c, w in zip(row, widths, strict=True)).rstrip())
    if not rows:
        lines.append("  (none)")
    return lines


def format_stats(stats: Mapping[str, Sequence[Sequence[Any]]]) -> str:
    """``Store.stats()`` as text tables: per site, per site and day, per site and mirror,
    and unresolved pending requests."""
    days = [(site, day or "(undated)", n) for site, day, n in stats.get("days", ())]
    mirrors = [(site, mirror or "(unknown)", n) for site, mirror, n in stats.get("mirrors", ())]
    lines = [
        *_table("articles per site", ("site", "articles", "revised"), stats.get("sites", ())),
        "",
        *_table("articles per day (published)", ("site", "day", "articles"), days),
        "",
        *_table("articles per mirror (fetched from)", ("site", "mirror", "articles"), mirrors),
        "",
        *_table("pending requests", ("site", "pending"), stats.get("pending", ())),
    ]
    return "\n".join(lines)
