"""parse_article's output on every page, to show a speed change changes no output.

``dump`` runs the ``parse_article`` of the tree at ``--root`` (a copy of HEAD, or of the tree
before an edit) on every page of tests/data and of shared/data/extraction and captions, and
writes each Article as JSON; ``compare`` says how many pages differ between two dumps and which
fields (``--ignore`` fields one of the trees does not have, e.g. one added meanwhile).

    .venv/bin/python bench/extract_outputs.py dump --root /tmp/before /tmp/before.json
    .venv/bin/python bench/extract_outputs.py dump /tmp/after.json
    .venv/bin/python bench/extract_outputs.py compare /tmp/before.json /tmp/after.json
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import json
import logging
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPORA = (ROOT / "tests" / "data", ROOT.parent / "shared" / "data" / "extraction",
           ROOT.parent / "shared" / "data" / "captions")


def _urls(folder: Path) -> dict[str, str]:
    """Page path -> URL from every ground_truth.json under ``folder``."""
    urls: dict[str, str] = {}
    for truth in folder.rglob("ground_truth.json"):
        entries = json.loads(truth.read_text(encoding="utf-8"))
        if isinstance(entries, dict):
            urls.update({str(truth.parent / "html" / name): str(entry.get("url", ""))
                         for name, entry in entries.items() if isinstance(entry, dict)})
    return urls


def dump(root: Path, out: Path) -> int:
    sys.path.insert(0, str(root))
    from newscrawl.extract import parse_article

    logging.disable(logging.CRITICAL)
    results: dict[str, Any] = {}
    for folder in CORPORA:
        urls = _urls(folder)
        pages = (p for p in folder.rglob("*") if p.is_file() and p.name.endswith((".html", ".html.gz")))
        for page in sorted(pages):
            data = page.read_bytes()
            data = gzip.decompress(data) if page.name.endswith(".gz") else data
            article = parse_article(data, urls.get(str(page), f"https://example.com/{page.name}"))
            results[str(page)] = dataclasses.asdict(article)
    out.write_text(json.dumps(results, indent=1, sort_keys=True, default=str), encoding="utf-8")
    print(f"{len(results)} pages -> {out}")
    return 0


def compare(before: Path, after: Path, ignore: set[str]) -> int:
    old, new = (json.loads(p.read_text(encoding="utf-8")) for p in (before, after))
    if old.keys() != new.keys():
        print(f"different pages: {sorted(old.keys() ^ new.keys())[:5]}")
        return 1
    differ = 0
    for page in old:
        fields = {f for f in old[page].keys() | new[page].keys()
                  if f not in ignore and old[page].get(f) != new[page].get(f)}
        if fields:
            differ += 1
            print(f"{page}: {', '.join(sorted(fields))}")
    print(f"{len(old)} pages, {differ} differ")
    return 1 if differ else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("dump")
    run.add_argument("--root", type=Path, default=ROOT, help="the tree whose newscrawl package runs")
    run.add_argument("out", type=Path)
    check = commands.add_parser("compare")
    check.add_argument("before", type=Path)
    check.add_argument("after", type=Path)
    check.add_argument("--ignore", default="", help="comma-separated fields left out")
    args = parser.parse_args(argv)
    if args.command == "dump":
        return dump(args.root, args.out)
    return compare(args.before, args.after, {f for f in args.ignore.split(",") if f})


if __name__ == "__main__":
    raise SystemExit(main())
