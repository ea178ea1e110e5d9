"""Caption and credit quality by publisher, with publishers left out.

The 110 pages of ``captions/`` come from 79 publishers (the name in ``<cc>_<Publisher>_<date>``).
Scores are those of ``bench/quality.py`` (a caption or credit is right at token F1 >= 0.8):
overall (pooled over all labelled images), the mean over publishers (each publisher's own
F1, so one big publisher does not carry the number), and the five worst publishers.

Leave-out discipline: every publisher falls in one of ``FOLDS`` folds by a hash of its name.
Rules are developed by looking at the pages of the ``--looked`` folds only; the other folds'
pages are held out, and their score is the estimate for publishers never seen. ``--held-out``
prints only the held-out folds' numbers; ``--failures`` lists each wrong or missed image of
the looked-at folds (never of the held-out ones).

    .venv/bin/python bench/captions.py [--data ../shared/data] [--looked 0,1,2] [--failures]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
import zlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.quality_metrics import MATCH, _match, caption_scores, prf  # noqa: E402
from newscrawl.extract import parse_article  # noqa: E402
from newscrawl.extract.credits import split_credit  # noqa: E402
from newscrawl.extract.jsonld_images import picture_key  # noqa: E402
from newscrawl.items import Image  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data"
FOLDS = 5
LOOKED = (0, 1, 2)  # the folds whose pages rules were developed on
PUBLISHER = re.compile(r"^[a-z]+_([^_]+)_")
Picture = Callable[[str], str] | None


def publisher(name: str) -> str:
    match = PUBLISHER.match(name)
    return match.group(1) if match else name


def fold(name: str) -> int:
    return zlib.crc32(publisher(name).encode()) % FOLDS


def extract_all(data: Path) -> tuple[dict[str, Any], dict[str, list[Image]], float]:
    """(labels, extracted images per page, pages/s)."""
    truth = json.loads((data / "captions" / "ground_truth.json").read_text(encoding="utf-8"))
    pages = {name: gzip.decompress((data / "captions" / "html" / name).read_bytes()) for name in truth}
    found: dict[str, list[Image]] = {}
    started = time.process_time()
    for name, entry in truth.items():
        found[name] = list(parse_article(pages[name], entry.get("url", "")).images)
    rate = len(truth) / max(1e-9, time.process_time() - started)
    return truth, found, rate


def by_publisher(truth: Mapping[str, Any], found: Mapping[str, list[Image]],
                 names: list[str], picture: Picture = None) -> dict[str, dict[str, float]]:
    groups: dict[str, list[str]] = {}
    for name in names:
        groups.setdefault(publisher(name), []).append(name)
    return {pub: caption_scores({n: truth[n] for n in pages}, found, picture)
            for pub, pages in groups.items()}


def report(truth: Mapping[str, Any], found: Mapping[str, list[Image]], names: list[str],
           picture: Picture = None) -> dict[str, float]:
    """Pooled P/R/F1 of ``names`` and the per-publisher mean F1 (publishers with labels of that kind)."""
    pooled = caption_scores({n: truth[n] for n in names}, found, picture)
    per = by_publisher(truth, found, names, picture)
    for kind in ("caption", "credit"):
        labelled = [pub for pub in per if _labelled(truth, names, pub, kind)]
        pooled[f"{kind}_f1_publisher_mean"] = round(sum(per[p][f"{kind}_f1"] for p in labelled)
                                                    / max(1, len(labelled)), 4)
    return pooled


def _labelled(truth: Mapping[str, Any], names: list[str], pub: str, kind: str) -> bool:
    return any(label.get(kind) for n in names if publisher(n) == pub for label in truth[n]["images"])


def failures(truth: Mapping[str, Any], found: Mapping[str, list[Image]], names: list[str]) -> list[str]:
    lines = []
    for name in names:
        images, used = found.get(name, []), set[int]()
        for label in truth[name]["images"]:
            image = _match(label, images, used, picture_key)
            got = image or Image(url="", caption="", credit="", alt="")
            want_credit = " ".join(label.get("credit") or [])
            if label.get("caption") and prf(got["caption"], label["caption"])[2] < MATCH:
                lines.append(f"{name} CAPTION want={label['caption'][:90]!r} got={got['caption'][:90]!r}")
            if want_credit and prf(got["credit"], want_credit)[2] < MATCH:
                lines.append(f"{name} CREDIT want={want_credit[:60]!r} got={got['credit'][:60]!r}")
        for i, image in enumerate(images):
            if i not in used and (image["caption"] or image["credit"]):
                lines.append(f"{name} EXTRA {image['caption'][:80]!r} / {image['credit'][:40]!r}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder holding captions/")
    parser.add_argument("--looked", default=",".join(map(str, LOOKED)), help="folds rules were developed on")
    parser.add_argument("--failures", action="store_true",
                        help="wrong and missed images of the looked-at folds")
    args = parser.parse_args(argv)
    looked = {int(f) for f in args.looked.split(",") if f}
    truth, found, rate = extract_all(args.data)
    names = sorted(truth)
    seen = [n for n in names if fold(n) in looked]
    held = [n for n in names if fold(n) not in looked]
    for title, picture in (("labels matched by URL (as bench/quality.py)", None),
                           ("labels matched by picture (size variants of a picture are one)", picture_key)):
        print(f"{title}\n{'pages':<26}{'pubs':>5}{'cap P':>7}{'cap R':>7}{'cap F1':>7}{'mean':>7}"
              f"{'cr P':>7}{'cr R':>7}{'cr F1':>7}{'mean':>7}")
        for label, part in (("all", names), ("looked-at folds", seen), ("held-out folds", held)):
            s = report(truth, found, part, picture)
            pubs = len({publisher(n) for n in part})
            print(f"{label + ' (' + str(len(part)) + ')':<26}{pubs:>5}"
                  f"{s['caption_p']:>7.3f}{s['caption_r']:>7.3f}{s['caption_f1']:>7.3f}"
                  f"{s['caption_f1_publisher_mean']:>7.3f}{s['credit_p']:>7.3f}"
                  f"{s['credit_r']:>7.3f}{s['credit_f1']:>7.3f}{s['credit_f1_publisher_mean']:>7.3f}")
    per = by_publisher(truth, found, names, picture_key)
    labelled = [p for p in per if all(_labelled(truth, names, p, kind) for kind in ("caption", "credit"))]
    worst = sorted(labelled, key=lambda p: per[p]["caption_f1"] + per[p]["credit_f1"])[:5]
    print("worst publishers (caption F1, credit F1): "
          + ", ".join(f"{p} {per[p]['caption_f1']:.2f}/{per[p]['credit_f1']:.2f}" for p in worst))
    peer = trafilatura_rate(args.data, truth)
    print(f"speed: {rate:.1f} pages/s (parse_article, CPU time)"
          + (f"; trafilatura.extract {peer:.1f} pages/s: {rate / peer:.2f}x" if peer else ""))
    if (args.data / "readability" / "pages").exists():
        right, total = readability_recall(args.data / "readability" / "pages")
        print(f"readability/ figcaptions found (caption + credit, token F1 >= {MATCH}): {right}/{total}"
              f" = {right / max(1, total):.3f}")
    if args.failures:
        print("\n".join(failures(truth, found, seen)))
    return 0


def trafilatura_rate(data: Path, truth: Mapping[str, Any]) -> float:
    """pages/s of ``trafilatura.extract`` on the same pages (0 when it is not installed)."""
    try:
        import trafilatura
    except ImportError:
        return 0.0
    pages = [(gzip.decompress((data / "captions" / "html" / name).read_bytes()), entry.get("url", ""))
             for name, entry in truth.items()]
    started = time.process_time()
    for page, url in pages:
        trafilatura.extract(page, url=url)
    return len(pages) / max(1e-9, time.process_time() - started)


def _forms(figcaption: str) -> set[str]:
    """A reader view's figcaption as shown, and without its credit's label ("Photo by X" -> "X"):
    an image whose credit is "X" gives it."""
    caption, credit = split_credit(figcaption)
    return {figcaption, f"{caption} {credit}".strip()}


def readability_recall(pages: Path) -> tuple[int, int]:
    """Of the ``figcaption`` texts the reader views of ``readability/`` keep (other publishers than
    ``captions/``, never looked at for these rules), how many an extracted image's caption and
    credit together give (token F1 >= ``MATCH`` with the figcaption or its label-less form)."""
    from lxml import html

    right = total = 0
    for folder in sorted(pages.iterdir()):
        expected = folder / "expected.html.gz"
        if not expected.exists():
            continue
        wanted = [" ".join(f.text_content().split()) for f in
                  html.fromstring(gzip.decompress(expected.read_bytes())).iter("figcaption")]
        wanted = [w for w in wanted if w]
        if not wanted:
            continue
        images = parse_article(gzip.decompress((folder / "source.html.gz").read_bytes()),
                               "http://fakehost/test/page.html").images
        got = [f"{image['caption']} {image['credit']}".strip() for image in images]
        total += len(wanted)
        right += sum(1 for w in wanted if any(prf(g, form)[2] >= MATCH for g in got for form in _forms(w)))
    return right, total


if __name__ == "__main__":
    sys.exit(main())
