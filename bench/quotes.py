"""Quote detection and speaker accuracy on the annotated quotes corpus (see bench/quotes_corpus.py),
the development publishers and the held-out ones reported apart.

The quote finder runs on each article's paragraphs; with ``--pipeline`` each article is rendered
as a simple page (headline, paragraphs) and run through ``parse_article`` instead.
A found quote matches a gold one at token F1 >= 0.8, one to one; precision
divides by the quotes found, recall by the gold ones. Speaker accuracy is over the matched
quotes whose gold source names someone (not a pronoun): right when the found speaker and the
source share a name word, or overlap by token F1 >= 0.5 (small words left out). Per form
(honorific, description, organisation, earlier paragraph, name) the same; "pronoun" scores the
quotes whose source is a pronoun against the nearest earlier named source (a stand-in gold, not
in the headline number). Speed: pages/s (CPU time); with --pipeline also trafilatura's.

    .venv/bin/python bench/quotes.py [--corpus PATH] [--part dev|held-out|all] [--misses N]
                                     [--pipeline] [--update-baseline [--allow-lower]]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.quality_metrics import prf  # noqa: E402
from bench.quotes_corpus import DEFAULT_CORPUS, DEV, HELD_OUT, PRONOUNS, Gold, Story, load  # noqa: E402
from newscrawl.extract import parse_article  # noqa: E402
from newscrawl.extract.quotes import find_quotes  # noqa: E402
from newscrawl.items import Quote  # noqa: E402

BASELINE = ROOT / "tests" / "quotes_baseline.json"
MATCH = 0.8
SPEAKER_MATCH = 0.5
PARTS = {"dev": DEV, "held-out": HELD_OUT}
SMALL = {"the", "a", "an", "of", "and", "mr", "mrs", "ms", "dr", "sen", "rep", "gov", "former", "s"}
SMALL |= PRONOUNS
NAME_WORD = re.compile(r"\b[A-Z][\w’'-]+")


def name_words(text: str) -> set[str]:
    return {w.lower().strip("’'") for w in NAME_WORD.findall(text)} - SMALL


def speaker_right(found: str, source: str) -> bool:
    if name_words(source) & {w.lower().strip("’'") for w in re.findall(r"[\w’'-]+", found)}:
        return True
    drop = " ".join(w for w in re.findall(r"[\w’'-]+", source.lower()) if w not in SMALL)
    kept = " ".join(w for w in re.findall(r"[\w’'-]+", found.lower()) if w not in SMALL)
    return prf(kept, drop)[2] >= SPEAKER_MATCH


def match(found: list[Quote], gold: list[Gold]) -> list[tuple[Quote, Gold]]:
    """One-to-one pairs at token F1 >= MATCH, best pairs first."""
    pairs = sorted(((prf(q["text"], g.text)[2], i, j) for i, q in enumerate(found)
                    for j, g in enumerate(gold)), reverse=True)
    used_q: set[int] = set()
    used_g: set[int] = set()
    out = []
    for score, i, j in pairs:
        if score < MATCH:
            break
        if i not in used_q and j not in used_g:
            used_q.add(i)
            used_g.add(j)
            out.append((found[i], gold[j]))
    return out


def pipeline_quotes(story: Story) -> list[Quote]:
    """The quotes of the whole extraction (page -> body -> quotes)."""
    return parse_article(story.html(), story.url).quotes


def body_quotes(story: Story) -> list[Quote]:
    """The quotes of the article's own paragraphs (the quote finder alone, whatever body extraction does)."""
    return find_quotes(story.paragraphs)


def score(stories: list[Story], misses: list[str] | None = None,
          extract: Callable[[Story], list[Quote]] = body_quotes) -> dict[str, Any]:
    counts: Counter[str] = Counter()
    started = time.process_time()
    extracted = [extract(s) for s in stories]
    seconds = time.process_time() - started
    for story, found in zip(stories, extracted, strict=True):
        pairs = match(found, story.gold)
        counts["found"] += len(found)
        counts["gold"] += len(story.gold)
        counts["matched"] += len(pairs)
        for quote, gold in pairs:
            wanted = gold.proxy if gold.form == "pronoun" else gold.source
            if gold.form == "none" or not wanted:
                continue
            right = speaker_right(quote["speaker"], wanted)
            counts[f"{gold.form}/n"] += 1
            counts[f"{gold.form}/right"] += right
            if gold.form != "pronoun":
                counts["named/n"] += 1
                counts["named/right"] += right
                counts["named/empty"] += not right and not quote["speaker"]
            if not right and misses is not None and gold.form != "pronoun":
                misses.append(f"[{gold.form}] {story.id}: gold {gold.source!r} got {quote['speaker']!r}"
                              f" ({quote['cue']}) «{quote['text'][:70]}»")
    p = counts["matched"] / max(1, counts["found"])
    r = counts["matched"] / max(1, counts["gold"])
    result: dict[str, Any] = {
        "articles": len(stories), "quotes": counts["gold"], "quote_p": round(p, 4), "quote_r": round(r, 4),
        "quote_f1": round(2 * p * r / (p + r) if p + r else 0.0, 4),
        "speaker_acc": round(counts["named/right"] / max(1, counts["named/n"]), 4),
        "speaker_n": counts["named/n"], "speaker_empty": counts["named/empty"],
        "pages_per_s": round(len(stories) / max(1e-9, seconds), 1), "forms": {}}
    for form in ("honorific", "description", "organisation", "earlier paragraph", "name", "pronoun"):
        n = counts[f"{form}/n"]
        result["forms"][form] = {"n": n, "acc": round(counts[f"{form}/right"] / max(1, n), 4)}
    return result


def trafilatura_rate(stories: list[Story]) -> float | None:
    try:
        import trafilatura
    except ImportError:
        return None
    started = time.process_time()
    for story in stories:
        trafilatura.extract(story.html(), url=story.url)
    return round(len(stories) / max(1e-9, time.process_time() - started), 1)


def gated(results: dict[str, dict[str, Any]]) -> dict[str, float]:
    """What the gate pins: quote P/R/F1 and speaker accuracy per part (not speed: it varies by machine)."""
    return {f"{part}_{key}": entry[key] for part, entry in results.items()
            for key in ("quote_p", "quote_r", "quote_f1", "speaker_acc")}


def update_baseline(pinned: dict[str, float], allow_lower: bool, path: Path = BASELINE) -> list[str]:
    """Write ``pinned``; returns the drops refused (nothing written then)."""
    old = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    drops = [f"{k}: {v} -> {pinned.get(k)}" for k, v in old.items() if pinned.get(k, -1.0) < v]
    if drops and not allow_lower:
        return drops
    path.write_text(json.dumps(pinned, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return []


def print_result(part: str, entry: dict[str, Any]) -> None:
    print(f"{part}: {entry['articles']} articles, {entry['quotes']} quotes  P {entry['quote_p']:.3f}  "
          f"R {entry['quote_r']:.3f}  F1 {entry['quote_f1']:.3f}  speaker {entry['speaker_acc']:.3f} "
          f"of {entry['speaker_n']} named ({entry['speaker_empty']} with no speaker)  "
          f"{entry['pages_per_s']} pages/s")
    for form, f in entry["forms"].items():
        print(f"    {form:<20}{f['acc']:>7.3f}  n={f['n']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--part", choices=["dev", "held-out", "all"], default="all")
    parser.add_argument("--misses", type=int, default=0, help="print this many wrong speakers")
    parser.add_argument("--pipeline", action="store_true",
                        help="run the whole extraction on each rendered page "
                             "(default: the quote finder on the paragraphs)")
    parser.add_argument("--no-peers", action="store_true", help="skip trafilatura's speed")
    parser.add_argument("--update-baseline", action="store_true", help=f"pin the scores in {BASELINE.name}")
    parser.add_argument("--allow-lower", action="store_true")
    args = parser.parse_args(argv)
    if not args.corpus.is_file():
        print(f"quotes corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    results = {}
    misses: list[str] = []
    for part in (PARTS if args.part == "all" else [args.part]):
        stories = load(args.corpus, PARTS[part])
        extract = pipeline_quotes if args.pipeline else body_quotes
        results[part] = score(stories, misses, extract)
        print_result(part, results[part])
        if args.pipeline and not args.no_peers:
            print(f"    trafilatura {trafilatura_rate(stories)} pages/s")
    for line in misses[:args.misses]:
        print(line)
    if args.update_baseline:
        drops = update_baseline(gated(results), args.allow_lower)
        if drops:
            print("baseline NOT updated; dropped (use --allow-lower):\n  " + "\n  ".join(drops))
            return 1
        print(f"baseline written to {BASELINE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
