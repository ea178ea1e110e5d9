"""How close distinct real news articles of one site come to each other, in the MinHash
similarity the store's near-duplicate check uses (``NEWSCRAWL_DEDUP_NEAR_SIMILARITY``, 0.5).

Bodies: the ground-truth text of the 80 extraction pages (16 publishers, 5 each), and
newscrawl's own extraction of the caption and web pages (one site = one publisher name, or
one host for the web pages). Prints, per corpus, the number of same-site pairs, the closest
pairs and how many reach the threshold (each is a distinct article: any would be wrongly
dropped).

    .venv/bin/python bench/near_duplicates.py [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

from newscrawl.dedup.content import NEAR_DUPLICATE_SIMILARITY, similarity
from newscrawl.extract import parse_article
from newscrawl.storage.nearby import signature_of


def ground_truth_bodies(data: Path) -> dict[str, list[tuple[str, str]]]:
    truth = json.loads((data / "extraction" / "ground_truth.json").read_text(encoding="utf-8"))
    sites: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for name, record in truth.items():
        sites[name.split("_")[0]].append((name, "\n\n".join(record["body"])))
    return sites


def extracted_bodies(data: Path) -> dict[str, list[tuple[str, str]]]:
    web = json.loads((data / "web" / "ground_truth.json").read_text(encoding="utf-8"))
    sites: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for folder in ("captions", "web"):
        for page in sorted((data / folder / "html").glob("*.html.gz")):
            key = page.name.removesuffix(".html.gz")
            url = web.get(key, {}).get("url", f"https://{key}.example/")
            site = urlsplit(url).hostname or key if folder == "web" else "_".join(key.split("_")[:2])
            body = parse_article(gzip.decompress(page.read_bytes()), url).body
            sites[f"{folder}:{site}"].append((key, body))
    return sites


def closest(sites: dict[str, list[tuple[str, str]]]) -> tuple[int, list[tuple[float, str, str]]]:
    pairs: list[tuple[float, str, str]] = []
    for articles in sites.values():
        signed = [(name, sig) for name, body in articles if (sig := signature_of(body)) is not None]
        for (a, sa), (b, sb) in itertools.combinations(signed, 2):
            pairs.append((similarity(sa, sb), a, b))
    return len(pairs), sorted(pairs, reverse=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    shared = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
    parser.add_argument("--data", type=Path, default=shared)
    parser.add_argument("--top", type=int, default=5)
    args = parser.parse_args()
    for label, sites in (("extraction ground truth", ground_truth_bodies(args.data)),
                         ("caption and web pages, extracted", extracted_bodies(args.data))):
        count, pairs = closest(sites)
        over = sum(1 for score, _, _ in pairs if score >= NEAR_DUPLICATE_SIMILARITY)
        print(f"{label}: {len(sites)} sites, {count} same-site pairs of distinct articles, "
              f"{over} at or above {NEAR_DUPLICATE_SIMILARITY}")
        for score, a, b in pairs[:args.top]:
            print(f"  {score:.3f}  {a}  {b}")


if __name__ == "__main__":
    main()
