"""Store benchmark: insert and lookup rates, a crawl's dedup cost per item, peak RSS, for
10k and 100k stored articles in each backend (PostgreSQL when installed).

Per backend, one child process fills each store (an empty one, 10k, 100k articles of 6
paragraphs, see ``CORPUS``; batches of 500), then looks up 20,000 URLs (half stored).
Then crawls are saved in rounds, one child process per crawl, the sizes interleaved
(empty, 10k, 100k, empty, 10k, ...), so that whatever else loads the machine weighs on every
size alike: each crawl is 2,000 articles (70% new, 10% unchanged, 10% duplicates, 10%
near-duplicates of stored ones), timed per item; the median over the rounds is reported. The
crawl against an empty store is the baseline. Peak RSS is the larger of the fill's and the
crawls'. Target: per-item cost and RSS within 20% from 10k to 100k.

    .venv/bin/python bench/store.py [--sizes 10000,100000] [--backends sqlite,postgresql] [--rounds 3]
                                    [--corpus news|prose]
"""

from __future__ import annotations

import argparse
import functools
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newscrawl.storage import open_store  # noqa: E402
from newscrawl.testing.mocksite.text import Prose  # noqa: E402

BATCH, LOOKUPS, CRAWL = 500, 20_000, 2_000
FOOTER = "\n\nFollow us on Telegram and X for the latest news. All rights reserved."


def url(n: int) -> str:
    return f"https://www.presstv.ir/Detail/2026/08/15/{n}/Story"


CORPUS = "news"
"""``news``: each body is 6 paragraphs drawn from the 80 real articles of tests/data/extraction
(their ground truth); ``prose``: the mock site's templated prose, whose bodies are far closer
to each other than news (0.08% of pairs share a MinHash band; none of 17,766 pairs of the
real pages in tests/data and shared/ do), so near-duplicate candidates grow with the store."""


@functools.cache
def news_paragraphs() -> list[str]:
    truth = json.loads((ROOT / "tests" / "data" / "extraction" / "ground_truth.json").read_text("utf-8"))
    return [p for entry in truth.values() for p in entry["body"] if len(p.split()) >= 15]


def article(n: int) -> dict[str, Any]:
    rng = random.Random(n)
    if CORPUS == "news":
        paragraphs = rng.sample(news_paragraphs(), 6)
        headline = " ".join(paragraphs[0].split()[:9])
    else:
        prose = Prose(rng, 102)
        paragraphs, headline = [prose.paragraph() for _ in range(6)], prose.headline()
    return {"url": url(n), "site": "presstv", "mirror": "https://www.presstv.ir", "headline": headline,
            "published_at": f"2026-08-{1 + n % 28:02d}T10:00:00+03:30", "body": "\n\n".join(paragraphs)}


def crawl(stored: int, round_: int) -> Iterator[dict[str, Any]]:
    """A crawl's items: mostly new stories, some seen, some copies of stored ones."""
    rng = random.Random(stored * 100 + round_)
    for i in range(CRAWL):
        kind, old = i % 10, rng.randrange(max(stored, 1))
        if kind == 7 and stored:
            yield article(old)  # unchanged
        elif kind == 8 and stored:
            yield {**article(old), "url": f"https://syndicator.example/{round_}/{i}"}  # duplicate
        elif kind == 9 and stored:
            copy = article(old)
            yield {**copy, "url": f"{copy['url']}-v{round_ + 2}", "body": copy["body"] + FOOTER}  # near-dup
        else:
            yield article(10_000_000 + round_ * CRAWL + i)  # new


def fill(store_url: str, size: int) -> dict[str, float]:
    """Fill an empty store with ``size`` articles, then time URL lookups."""
    store = open_store(store_url)
    spent = 0.0
    for start in range(0, size, BATCH):
        batch = [article(n) for n in range(start, min(size, start + BATCH))]
        t = time.perf_counter()
        store.save_articles(None, batch)
        spent += time.perf_counter() - t
    with store.transaction() as cursor:  # planner statistics, as autovacuum keeps them in service
        cursor.execute("ANALYZE")
    urls = [url(n) if n % 2 else f"https://www.presstv.ir/missing/{n}"
            for n in random.Random(1).sample(range(size), min(size, LOOKUPS))]
    t = time.perf_counter()
    found = sum(store.has_article(u) for u in urls)
    lookup = time.perf_counter() - t
    store.close()
    return {"insert_per_s": size / spent if spent else 0.0, "lookup_us": lookup / max(1, len(urls)) * 1e6,
            "found": found, "rss_mb": _rss_mb()}


def save_crawl(store_url: str, size: int, round_: int) -> dict[str, float]:
    """Save one crawl into a filled store; its cost per item."""
    store = open_store(store_url)
    items, spent = list(crawl(size, round_)), 0.0
    for start in range(0, len(items), BATCH):
        t = time.perf_counter()
        store.save_articles(None, items[start:start + BATCH])
        spent += time.perf_counter() - t
    store.close()
    return {"crawl_item_ms": spent / len(items) * 1e3, "rss_mb": _rss_mb()}


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(*args: str) -> dict[str, float]:
    done = subprocess.run([sys.executable, __file__, "--corpus", CORPUS, *args], check=True,
                          capture_output=True, text=True, cwd=ROOT)
    return dict(json.loads(done.stdout))


def run_backend(backend: str, urls: dict[int, str], rounds: int) -> list[dict[str, Any]]:
    """Fill every size's store, then crawl them in interleaved rounds; one row per size."""
    rows: dict[int, dict[str, Any]] = {
        size: {"backend": backend, "size": size, **_child("--fill", store_url, str(size))}
            for size, store_url in urls.items()}
    costs: dict[int, list[float]] = {size: [] for size in urls}
    for round_ in range(rounds):
        for size, store_url in urls.items():
            done = _child("--crawl", store_url, str(size), str(round_))
            costs[size].append(done["crawl_item_ms"])
            rows[size]["rss_mb"] = max(rows[size]["rss_mb"], done["rss_mb"])
    for size, row in rows.items():
        row["crawl_item_ms"] = statistics.median(costs[size])
        row["crawl_rounds"] = costs[size]
    return list(rows.values())


def report(rows: list[dict[str, Any]]) -> None:
    print(f"{'backend':10} {'stored':>7} {'insert/s':>9} {'lookup us':>9} {'crawl ms/item':>13} "
          f"{'RSS MB':>7}")
    for r in rows:
        rounds = " ".join(f"{ms:.2f}" for ms in r["crawl_rounds"])
        print(f"{r['backend']:10} {r['size']:>7} {r['insert_per_s']:>9.0f} {r['lookup_us']:>9.1f} "
              f"{r['crawl_item_ms']:>13.3f} {r['rss_mb']:>7.1f}   rounds: {rounds}")
    for backend in dict.fromkeys(r["backend"] for r in rows):
        by_size = {r["size"]: r for r in rows if r["backend"] == backend}
        sizes = sorted(s for s in by_size if s)
        if len(sizes) < 2:
            continue
        small, big = by_size[sizes[0]], by_size[sizes[-1]]
        ratio = {k: big[k] / small[k] for k in ("insert_per_s", "lookup_us", "crawl_item_ms", "rss_mb")}
        print(f"{backend}: {sizes[-1]} vs {sizes[0]} stored: insert rate x{ratio['insert_per_s']:.2f}, "
              f"lookup x{ratio['lookup_us']:.2f}, crawl cost per item x{ratio['crawl_item_ms']:.2f}, "
              f"RSS x{ratio['rss_mb']:.2f}; crawl cost vs an empty store "
              f"x{big['crawl_item_ms'] / by_size[0]['crawl_item_ms']:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--corpus", choices=("news", "prose"), default="news")
    parser.add_argument("--fill", nargs=2, metavar=("URL", "SIZE"), help=argparse.SUPPRESS)
    parser.add_argument("--crawl", nargs=3, metavar=("URL", "SIZE", "ROUND"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    global CORPUS
    CORPUS = args.corpus
    if args.fill:
        print(json.dumps(fill(args.fill[0], int(args.fill[1]))))
        return
    if args.crawl:
        print(json.dumps(save_crawl(args.crawl[0], int(args.crawl[1]), int(args.crawl[2]))))
        return
    sizes = [0, *(int(s) for s in args.sizes.split(","))]
    rows: list[dict[str, Any]] = []
    backends = args.backends.split(",")
    with tempfile.TemporaryDirectory() as tmp:
        if "sqlite" in backends:
            urls = {size: f"sqlite:///{tmp}/bench-{size}.db" for size in sizes}
            rows += run_backend("sqlite", urls, args.rounds)
        if "postgresql" in backends:
            from tests.fixtures_postgres import fresh_database, postgres_bin, running_postgres

            bin_dir = postgres_bin()
            if bin_dir is None:
                print("postgresql: not installed, skipped (apt-get install postgresql)")
            else:
                with running_postgres(bin_dir) as server:
                    urls = {size: fresh_database(server, f"bench_{size}") for size in sizes}
                    rows += run_backend("postgresql", urls, args.rounds)
    report(rows)


if __name__ == "__main__":
    main()
