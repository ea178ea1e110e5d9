"""The three body corpora of bench/quality.py, each loaded as pages and scored its own way.

- ``extraction/`` (80 news pages): token P/R/F1 against the hand-extracted body, averaged over
  pages; a page fails below 0.5 F1.
- ``readability/`` (130 reader-view test pages): the same token metric against the text of
  ``expected.html`` (the reader view: captions and lists kept); fails below 0.5 F1.
- ``web/`` (945 pages, trafilatura's evaluation corpus): headline and body together, each
  ``with`` snippet found a true positive, missing a false negative, each ``without`` snippet
  found a false positive, counted over all pages; a page fails when fewer than half its
  ``with`` snippets are found (and, counted apart, "noisy" when more than half its ``without``
  are present). Whitespace is collapsed on both sides before matching.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lxml import html as lxml_html

from bench.quality_metrics import prf

CORPORA = ("extraction", "web", "readability")
FAIL_F1 = 0.5


@dataclass(frozen=True)
class Page:
    name: str
    html: bytes
    url: str
    truth: str = ""  # token corpora: the expected text
    with_: tuple[str, ...] = ()  # web/: snippets the text must contain
    without: tuple[str, ...] = ()  # ...and must not


def _gz(path: Path) -> bytes:
    return gzip.decompress(path.read_bytes())


def extraction_pages(folder: Path) -> list[Page]:
    truth = json.loads((folder / "ground_truth.json").read_text(encoding="utf-8"))
    return [Page(name, _gz(folder / "html" / name), entry.get("url", ""), "\n".join(entry["body"]))
            for name, entry in sorted(truth.items())]


def web_pages(folder: Path, names: set[str] | None = None) -> list[Page]:
    truth = json.loads((folder / "ground_truth.json").read_text(encoding="utf-8"))
    return [Page(name, _gz(folder / "html" / f"{name}.html.gz"), entry.get("url", ""),
                 with_=tuple(entry.get("with") or ()), without=tuple(entry.get("without") or ()))
            for name, entry in sorted(truth.items()) if names is None or name in names
            if (folder / "html" / f"{name}.html.gz").exists()]


def reader_text(expected: bytes) -> str:
    """The text of a reader view, one line per block."""
    tree = lxml_html.fromstring(expected.decode("utf-8", "replace"))
    for br in tree.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for element in tree.iter("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption", "pre",
                             "blockquote", "td", "dt", "dd"):
        element.tail = "\n" + (element.tail or "")
    return "\n".join(" ".join(line.split()) for line in tree.text_content().splitlines() if line.strip())


def readability_pages(folder: Path) -> list[Page]:
    pages = []
    for page in sorted((folder / "pages").iterdir()):
        if not (page / "source.html.gz").exists():
            continue
        url = f"http://fakehost/test/{page.name}/"  # Readability's own test pages use this host
        expected = reader_text(_gz(page / "expected.html.gz"))
        pages.append(Page(page.name, _gz(page / "source.html.gz"), url, expected))
    return pages


def load(corpus: str, folder: Path, web_subset: set[str] | None = None) -> list[Page]:
    if corpus == "web":
        return web_pages(folder, web_subset)
    return (extraction_pages if corpus == "extraction" else readability_pages)(folder)


def digest(folder: Path) -> str:
    """SHA-256 over every file of a corpus folder (names and bytes), to pin exactly what was scored."""
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        h.update(str(path.relative_to(folder)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()


@dataclass
class PageScore:
    """One page's result: token P/R/F1, or on web/ the snippet counts."""
    p: float = 0.0
    r: float = 0.0
    f1: float = 0.0
    tp: int = 0
    fn: int = 0
    fp: int = 0
    failed: bool = False
    noisy: bool = False

    @property
    def key(self) -> float:
        """The per-page number the gate floors: F1, or on web/ the share of ``with`` found."""
        return self.f1 if not (self.tp or self.fn) else self.tp / (self.tp + self.fn)


def score_page(page: Page, text: str) -> PageScore:
    if page.with_ or page.without:
        flat = " ".join(text.split())
        tp = sum(1 for s in page.with_ if " ".join(s.split()) in flat)
        fp = sum(1 for s in page.without if " ".join(s.split()) in flat)
        fn = len(page.with_) - tp
        return PageScore(tp=tp, fn=fn, fp=fp, failed=tp < len(page.with_) / 2,
                         noisy=fp > len(page.without) / 2)
    p, r, f1 = prf(text, page.truth)
    return PageScore(p, r, f1, failed=f1 < FAIL_F1)


def summarise(scores: list[PageScore]) -> dict[str, float]:
    """P/R/F1 (averaged per page, or micro over snippets on web/) and failed-page share."""
    n = max(1, len(scores))
    snippets = any(s.tp or s.fn or s.fp for s in scores)
    if snippets:
        tp, fn, fp = (sum(getattr(s, k) for s in scores) for k in ("tp", "fn", "fp"))
        p, r = tp / max(1, tp + fp), tp / max(1, tp + fn)
        f1 = 2 * p * r / (p + r) if p + r else 0.0
    else:
        p, r, f1 = (sum(getattr(s, k) for s in scores) / n for k in ("p", "r", "f1"))
    out = {"p": round(p, 4), "r": round(r, 4), "f1": round(f1, 4),
           "failed": round(sum(s.failed for s in scores) / n, 4), "pages": len(scores)}
    if snippets:
        out["noisy"] = round(sum(s.noisy for s in scores) / n, 4)
    return out


Extractor = Callable[[Page], str]
