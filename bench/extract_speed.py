"""Extraction speed: ``parse_article`` beside ``trafilatura.extract`` on the same pages, same run.

The machine is shared and noisy, so the two are measured in interleaved rounds: each round
times newscrawl then trafilatura (the order alternates round by round) over every page of a
corpus, in CPU time of this process; pages are read and decompressed before timing, and both
run once over the corpus untimed first (first-use costs: imports, caches, trafilatura's stop
lists, which parse_article's trafilatura fallback would else pay in round 1). Printed per
corpus: each round's pages/s for both and the ratio, then the median ratio over rounds (the
number issues 11, 14 and 15 hold at >= 1.5x).

    .venv/bin/python bench/extract_speed.py [--data ../shared/data] [--rounds 3] [--corpus captions]
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newscrawl.extract import parse_article  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data"
Pages = list[tuple[bytes, str]]


def load_pages(folder: Path) -> Pages:
    """(HTML bytes, URL) of every page a corpus's ground_truth.json lists."""
    truth = json.loads((folder / "ground_truth.json").read_text(encoding="utf-8"))
    return [(gzip.decompress((folder / "html" / name).read_bytes()), str(entry.get("url", "")))
            for name, entry in truth.items()]


def rate(extract: Callable[[bytes, str], object], pages: Pages) -> float:
    """pages/s of ``extract`` over ``pages``, CPU time."""
    started = time.process_time()
    for page, url in pages:
        extract(page, url)
    return len(pages) / max(1e-9, time.process_time() - started)


def compare(pages: Pages, rounds: int) -> list[tuple[float, float]]:
    """(newscrawl, trafilatura) pages/s for each round, the two interleaved."""
    import trafilatura

    def ours(page: bytes, url: str) -> object:
        return parse_article(page, url)

    def theirs(page: bytes, url: str) -> object:
        return trafilatura.extract(page, url=url)

    rate(ours, pages), rate(theirs, pages)  # warm-up, untimed: imports, caches, stop lists
    results = []
    for index in range(rounds):
        if index % 2:
            peer = rate(theirs, pages)
            mine = rate(ours, pages)
        else:
            mine = rate(ours, pages)
            peer = rate(theirs, pages)
        results.append((mine, peer))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--corpus", default="extraction,captions")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)  # pages' own warnings are not the point here
    for corpus in args.corpus.split(","):
        folder = args.data / corpus
        if not (folder / "ground_truth.json").exists():
            print(f"{corpus}: no ground_truth.json in {folder}", file=sys.stderr)
            return 2
        pages = load_pages(folder)
        results = compare(pages, args.rounds)
        for index, (mine, peer) in enumerate(results, 1):
            print(f"{corpus} round {index}: newscrawl {mine:6.1f} pages/s  trafilatura {peer:6.1f} pages/s"
                  f"  ratio {mine / peer:.2f}x")
        median = statistics.median(mine / peer for mine, peer in results)
        print(f"{corpus}: {len(pages)} pages, median ratio {median:.2f}x over {len(results)} rounds")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
