"""Extraction quality and speed: newscrawl beside trafilatura (run live in this process on the
same HTML), corpus by corpus, in one table.

- Body, on ``extraction/``, ``web/`` and ``readability/`` (see ``bench/corpora.py`` for how each
  is scored): precision, recall, F1 and the share of failed pages; on ``extraction/`` also the
  peers' shipped outputs (``extraction/extractions/*.json``).
- Metadata, on ``readability/``: headline, byline and published day against each page's
  ``expected-metadata.json`` (``bench/metadata_check.py``).
- Captions: on ``captions/``, each labelled image is matched to an extracted one (same URL,
  else the most similar caption); a caption counts as right when its token F1 with the
  label is >= 0.8, a credit likewise against the labelled credits. Precision divides by
  the captions (credits) extracted, recall by those labelled.
- Seed: every check of the seed's expected JSON on tests/data/presstv_seed.html, with
  site=presstv and with site=None (quotes: right speaker and partial flag, no false quotes).
- Speed: pages/s of ``parse_article`` and of ``trafilatura.extract`` over the same pages.

The baseline (tests/quality_baseline.json) pins the scores, a floor for every page that passes
today and the digest of each corpus; ``--update-baseline`` refuses to lower any of them without
``--allow-lower``.

    .venv/bin/python bench/quality.py [--data ../shared/data] [--no-peers] [--update-baseline [--allow-lower]]
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

from bench.corpora import CORPORA, Page, PageScore, digest, load, score_page, summarise  # noqa: E402
from bench.metadata_check import metadata_scores  # noqa: E402
from bench.quality_metrics import caption_scores, seed_checks  # noqa: E402
from newscrawl.extract import parse_article  # noqa: E402
from newscrawl.items import Article  # noqa: E402

DEFAULT_DATA = ROOT / "tests" / "data"
BASELINE = ROOT / "tests" / "quality_baseline.json"
FAIL_F1 = 0.5  # a page below this fails (F1; on web/, the share of its ``with`` snippets found)
PAGE_SLACK = {"web": 0.34}  # a passing page's floor sits this far below its score (never under FAIL_F1):
DEFAULT_SLACK = 0.15  # on web/, one snippet of three may go; elsewhere 0.15 of F1
SEED_PAGE = "presstv_seed.html"
SEED_URL = "https://www.presstv.ir/Detail/2021/08/11/664174/Ninth-provincial-capital-falls-to-Taliban"


def article_text(article: Article) -> str:
    """What is scored against the ground truth's body, which opens with the page's standfirst (in
    brackets) where there is one: the standfirst shown on the page, then the body. A ``lead`` taken
    from meta tags is not shown text and is not scored."""
    lead, body = article.lead, article.body
    if lead and article.sources.get("lead") in ("site", "generic") and lead[:40] not in body:
        return f"{lead}\n\n{body}"
    return body


def newscrawl_text(page: Page, corpus: str, keep: dict[str, Article] | None = None) -> str:
    """newscrawl's text of a page: on web/, headline and body together (as the corpus is scored);
    the article is kept in ``keep`` when given."""
    article = parse_article(page.html, page.url)
    if keep is not None:
        keep[page.name] = article
    text = article_text(article)
    return f"{article.headline}\n{text}" if corpus == "web" else text


def _timed(pages: list[Page], extract: Any) -> tuple[list[PageScore], float]:
    started = time.process_time()  # CPU time of this process: fair between extractors on a busy machine
    texts = [extract(page) for page in pages]
    rate = len(pages) / max(1e-9, time.process_time() - started)
    return [score_page(page, text) for page, text in zip(pages, texts, strict=True)], rate


def body_scores(data: Path, with_peers: bool = True, corpora: tuple[str, ...] = CORPORA,
                web_subset: set[str] | None = None) -> dict[str, Any]:
    """Per corpus: per extractor P/R/F1 and failed share, pages/s, and newscrawl's per-page score."""
    trafilatura = None
    if with_peers:
        try:
            import trafilatura
        except ImportError:
            trafilatura = None
    result: dict[str, Any] = {}
    for corpus in corpora:
        folder = data / corpus
        if not folder.exists():
            continue
        pages = load(corpus, folder, web_subset)
        articles: dict[str, Article] = {}
        ours, rate = _timed(pages, lambda page, c=corpus, a=articles: newscrawl_text(page, c, a))
        entry: dict[str, Any] = {
            "scores": {"newscrawl": summarise(ours)}, "speed": {"newscrawl": round(rate, 1)},
            "pages": {p.name: round(s.key, 4) for p, s in zip(pages, ours, strict=True)},
            "digest": digest(folder)}
        if corpus == "readability":
            entry["metadata"] = metadata_scores(folder, articles)
        if trafilatura is not None:
            theirs, rate = _timed(pages, lambda page: trafilatura.extract(page.html, url=page.url) or "")
            entry["scores"]["trafilatura (live)"] = summarise(theirs)
            entry["speed"]["trafilatura (live)"] = round(rate, 1)
        if with_peers and corpus == "extraction":
            for path in sorted((folder / "extractions").glob("*.json")):
                shipped = json.loads(path.read_text(encoding="utf-8"))
                texts = ["\n".join((shipped.get(page.name) or {}).get("body") or []) for page in pages]
                rows = [score_page(p, t) for p, t in zip(pages, texts, strict=True)]
                entry["scores"][path.stem] = summarise(rows)
        result[corpus] = entry
    return result


def caption_quality(data: Path) -> dict[str, float]:
    truth = json.loads((data / "captions" / "ground_truth.json").read_text(encoding="utf-8"))
    found = {}
    for name, entry in truth.items():
        html = gzip.decompress((data / "captions" / "html" / name).read_bytes())
        found[name] = list(parse_article(html, entry.get("url", "")).images)
    return caption_scores(truth, found)


def seed_quality(data: Path) -> dict[str, float]:
    from newscrawl.sites import load_sites
    from newscrawl.testing.mocksite.seed import seed_expected

    expected = seed_expected()
    html = (ROOT / "tests" / "data" / SEED_PAGE).read_bytes()
    scores = {}
    for label, site in (("site", load_sites()["presstv"]), ("generic", None)):
        passed, total, _failures = seed_checks(parse_article(html, SEED_URL, site), expected)
        scores[f"seed_{label}"] = round(passed / total, 4)
    return scores


def measure(data: Path = DEFAULT_DATA, with_peers: bool = True, web_subset: set[str] | None = None,
            corpora: tuple[str, ...] = CORPORA) -> dict[str, Any]:
    """Every score: {"body": {corpus: {"scores", "speed", "pages", "digest"}}, "captions", "seed"}."""
    return {"body": body_scores(data, with_peers, corpora, web_subset),
            "captions": caption_quality(data), "seed": seed_quality(data)}


def page_floor(key: float, corpus: str = "") -> float:
    """The least a passing page may score later: its slack below today, never below passing."""
    return round(max(FAIL_F1, key - PAGE_SLACK.get(corpus, DEFAULT_SLACK)), 2)


def gated(result: dict[str, Any]) -> dict[str, Any]:
    """What the quality gate pins (newscrawl's own, not speed: it varies by machine): the scores
    (higher is better; ``<corpus>_passed`` is 1 - the failed share), a floor for every page that
    passes today, and the digest of each corpus."""
    scores: dict[str, float] = {}
    floors: dict[str, dict[str, float]] = {}
    digests: dict[str, str] = {}
    for corpus, entry in result["body"].items():
        summary = entry["scores"]["newscrawl"]
        scores.update({f"{corpus}_{k}": summary[k] for k in ("p", "r", "f1")})
        scores[f"{corpus}_passed"] = round(1 - summary["failed"], 4)
        floors[corpus] = {name: page_floor(key, corpus) for name, key in entry["pages"].items()
                          if key >= FAIL_F1}
        digests[corpus] = entry["digest"]
        scores.update(entry.get("metadata", {}))
    return {"scores": {**scores, **result["captions"], **result["seed"]}, "page_floors": floors,
            "digests": digests, "pages": {corpus: entry["pages"] for corpus, entry in result["body"].items()}}


def regressions(baseline: dict[str, Any], now: dict[str, Any], tolerance: float = 0.0) -> list[str]:
    """Every pinned score, page floor or corpus digest that ``now`` falls short of."""
    found = [f"{k}: {v} -> {now['scores'].get(k)}" for k, v in baseline.get("scores", {}).items()
             if now["scores"].get(k, -1.0) < v - tolerance]
    for corpus, floors in baseline.get("page_floors", {}).items():
        pages = now["pages"].get(corpus, {})
        found += [f"{corpus}/{name}: floor {floor} -> {pages.get(name, 'gone')}"
                  for name, floor in floors.items() if pages.get(name, -1.0) < floor - tolerance]
    found += [f"{corpus}: corpus files changed (digest {d[:12]} -> {now['digests'].get(corpus, '')[:12]})"
              for corpus, d in baseline.get("digests", {}).items() if now["digests"].get(corpus) != d]
    return found


def print_table(result: dict[str, Any]) -> None:
    for corpus, entry in result["body"].items():
        print(f"{'body (' + corpus + '/, ' + str(len(entry['pages'])) + ' pages)':<34}"
              f"{'P':>8}{'R':>8}{'F1':>8}{'failed':>8}{'pages/s':>9}")
        for name, s in sorted(entry["scores"].items(), key=lambda kv: -kv[1]["f1"]):
            rate = entry["speed"].get(name)
            extra = f"  noisy {s['noisy']:.3f}" if "noisy" in s else ""
            print(f"  {name:<32}{s['p']:>8.3f}{s['r']:>8.3f}{s['f1']:>8.3f}{s['failed']:>8.3f}"
                  f"{'' if rate is None else f'{rate:>9.1f}'}{extra}")
        for key, value in entry.get("metadata", {}).items():
            print(f"  {key.split('_', 1)[1] + ' matches expected-metadata.json':<32}{value:>24.3f}")
    c = result["captions"]
    print(f"{'captions (captions/)':<34}{c['caption_p']:>8.3f}{c['caption_r']:>8.3f}{c['caption_f1']:>8.3f}")
    print(f"{'credits (captions/)':<34}{c['credit_p']:>8.3f}{c['credit_r']:>8.3f}{c['credit_f1']:>8.3f}")
    for key, value in result["seed"].items():
        print(f"{key + ' (checks passed)':<34}{value:>24.3f}")


def update_baseline(pinned: dict[str, Any], allow_lower: bool, path: Path = BASELINE) -> list[str]:
    """Write ``pinned`` (see ``gated``) as the new baseline; returns the drops refused (nothing
    written then)."""
    old = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    drops = regressions(old, pinned)
    if drops and not allow_lower:
        return drops
    kept = {key: value for key, value in pinned.items() if key != "pages"}  # floors, not today's scores
    path.write_text(json.dumps(kept, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA,
                        help="folder with extraction/, web/, readability/, captions/, seed/")
    parser.add_argument("--update-baseline", action="store_true",
                        help=f"pin today's scores in {BASELINE.name}")
    parser.add_argument("--allow-lower", action="store_true", help="let --update-baseline lower a score")
    parser.add_argument("--no-peers", action="store_true",
                        help="newscrawl only (no trafilatura, no shipped outputs)")
    parser.add_argument("--corpus", action="append", choices=CORPORA,
                        help="score only this body corpus (repeatable; not with --update-baseline)")
    args = parser.parse_args(argv)
    if args.corpus and args.update_baseline:
        parser.error("--update-baseline pins every corpus: leave out --corpus")
    result = measure(args.data, with_peers=not args.no_peers, corpora=tuple(args.corpus or CORPORA))
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
