"""Extraction quality and speed: newscrawl beside its peers, on the same pages, in one table.

- Body: token precision, recall and F1 per page (multiset of lower-cased word tokens, CJK
  per character) of the standfirst shown on the page plus the body, averaged over the pages
  of ``extraction/``; the same metric is applied
  to the peers' shipped outputs (``extraction/extractions/*.json``) and to trafilatura,
  run live in this process on the same HTML.
- Captions: on ``captions/``, each labelled image is matched to an extracted one (same URL,
  else the most similar caption); a caption counts as right when its token F1 with the
  label is >= 0.8, a credit likewise against the labelled credits. Precision divides by
  the captions (credits) extracted, recall by those labelled.
- Seed: every check of the seed's expected JSON on tests/data/presstv_seed.html, with
  site=presstv and with site=None (quotes: right speaker and partial flag, no false quotes).
- Speed: pages/s of ``parse_article`` and of ``trafilatura.extract`` over the same pages.

    .venv/bin/python bench/quality.py [--data ../shared/data] [--update-baseline [--allow-lower]]
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.quality_metrics import caption_scores, prf, seed_checks  # noqa: E402
from newscrawl.extract import parse_article  # noqa: E402
from newscrawl.items import Article  # noqa: E402

DEFAULT_DATA = ROOT / "tests" / "data"
BASELINE = ROOT / "tests" / "quality_baseline.json"
SEED_PAGE = "presstv_seed.html"
SEED_URL = "https://www.presstv.ir/Detail/2021/08/11/664174/Ninth-provincial-capital-falls-to-Taliban"


def _pages(data: Path) -> list[tuple[str, bytes, str, str]]:
    """(name, html, url, ground-truth body) of every page of ``extraction/``."""
    truth = json.loads((data / "extraction" / "ground_truth.json").read_text(encoding="utf-8"))
    pages = []
    for name, entry in sorted(truth.items()):
        html = gzip.decompress((data / "extraction" / "html" / name).read_bytes())
        pages.append((name, html, entry.get("url", ""), "\n".join(entry["body"])))
    return pages


def _average(rows: list[tuple[float, float, float]]) -> dict[str, float]:
    n = max(1, len(rows))
    return {key: round(sum(r[i] for r in rows) / n, 4) for i, key in enumerate(("p", "r", "f1"))}


def article_text(article: Article) -> str:
    """What is scored against the ground truth's body, which opens with the page's standfirst (in
    brackets) where there is one: the standfirst shown on the page, then the body. A ``lead`` taken
    from meta tags is not shown text and is not scored."""
    lead, body = article.lead, article.body
    if lead and article.sources.get("lead") in ("site", "generic") and lead[:40] not in body:
        return f"{lead}\n\n{body}"
    return body


def body_scores(data: Path, with_peers: bool = True) -> tuple[dict[str, dict[str, float]], dict[str, float]]:
    """Per extractor, averaged body P/R/F1; and pages/s of newscrawl (and trafilatura)."""
    pages = _pages(data)
    started = time.perf_counter()
    ours = [prf(article_text(parse_article(html, url)), truth) for _, html, url, truth in pages]
    speed = {"newscrawl": round(len(pages) / (time.perf_counter() - started), 1)}
    scores = {"newscrawl": _average(ours)}
    if not with_peers:
        return scores, speed
    try:
        import trafilatura
    except ImportError:
        trafilatura = None
    if trafilatura is not None:
        started = time.perf_counter()
        texts = [trafilatura.extract(html, url=url) or "" for _, html, url, _ in pages]
        speed["trafilatura (live)"] = round(len(pages) / (time.perf_counter() - started), 1)
        scores["trafilatura (live)"] = _average([prf(t, p[3]) for t, p in zip(texts, pages, strict=True)])
    for path in sorted((data / "extraction" / "extractions").glob("*.json")):
        shipped = json.loads(path.read_text(encoding="utf-8"))
        rows = [prf("\n".join((shipped.get(name) or {}).get("body") or []), truth)
                for name, _, _, truth in pages]
        scores[path.stem] = _average(rows)
    return scores, speed


def caption_quality(data: Path) -> dict[str, float]:
    truth = json.loads((data / "captions" / "ground_truth.json").read_text(encoding="utf-8"))
    found = {}
    for name, entry in truth.items():
        html = gzip.decompress((data / "captions" / "html" / name).read_bytes())
        found[name] = list(parse_article(html, entry.get("url", "")).images)
    return caption_scores(truth, found)


def seed_quality(data: Path) -> dict[str, float]:
    from newscrawl.sites import load_sites

    expected_file = data / "seed" / "presstv-ninth-provincial-capital.expected.json"
    expected = json.loads(expected_file.read_text("utf-8"))
    html = (ROOT / "tests" / "data" / SEED_PAGE).read_bytes()
    scores = {}
    for label, site in (("site", load_sites()["presstv"]), ("generic", None)):
        passed, total, _failures = seed_checks(parse_article(html, SEED_URL, site), expected)
        scores[f"seed_{label}"] = round(passed / total, 4)
    return scores


def measure(data: Path = DEFAULT_DATA, with_peers: bool = True) -> dict[str, Any]:
    """Every score: {"body": {extractor: {p, r, f1}}, "speed": {...}, "captions": {...}, "seed": {...}}."""
    body, speed = body_scores(data, with_peers)
    return {"body": body, "speed": speed, "captions": caption_quality(data), "seed": seed_quality(data)}


def gated(result: dict[str, Any]) -> dict[str, float]:
    """The scores the quality gate pins (newscrawl's own, not speed: it varies by machine)."""
    flat = {f"body_{k}": v for k, v in result["body"]["newscrawl"].items()}
    return {**flat, **result["captions"], **result["seed"]}


def print_table(result: dict[str, Any]) -> None:
    print(f"{'body (extraction/)':<34}{'P':>8}{'R':>8}{'F1':>8}")
    for name, s in sorted(result["body"].items(), key=lambda kv: -kv[1]["f1"]):
        print(f"  {name:<32}{s['p']:>8.3f}{s['r']:>8.3f}{s['f1']:>8.3f}")
    c = result["captions"]
    print(f"{'captions (captions/)':<34}{c['caption_p']:>8.3f}{c['caption_r']:>8.3f}{c['caption_f1']:>8.3f}")
    print(f"{'credits (captions/)':<34}{c['credit_p']:>8.3f}{c['credit_r']:>8.3f}{c['credit_f1']:>8.3f}")
    for key, value in result["seed"].items():
        print(f"{key + ' (checks passed)':<34}{value:>24.3f}")
    for name, rate in result["speed"].items():
        print(f"{'speed ' + name:<34}{rate:>18.1f} pages/s")


def update_baseline(scores: dict[str, float], allow_lower: bool, path: Path = BASELINE) -> list[str]:
    """Write ``scores`` as the new baseline; returns the drops refused (nothing written then)."""
    old = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    drops = [f"{k}: {old[k]} -> {v}" for k, v in scores.items() if k in old and v < old[k]]
    if drops and not allow_lower:
        return drops
    path.write_text(json.dumps(scores, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA,
                        help="folder with extraction/, captions/, seed/")
    parser.add_argument("--update-baseline", action="store_true",
                        help=f"pin today's scores in {BASELINE.name}")
    parser.add_argument("--allow-lower", action="store_true", help="let --update-baseline lower a score")
    args = parser.parse_args(argv)
    result = measure(args.data)
    print_table(result)
    if args.update_baseline:
        drops = update_baseline(gated(result), args.allow_lower)
        if drops:
            print("baseline NOT updated; these scores dropped (use --allow-lower):\n  " + "\n  ".join(drops))
            return 1
        print(f"baseline written to {BASELINE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
