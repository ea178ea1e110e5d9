"""Body candidates: the ways a page may hold its article, each read into a ``Body``.

- ``container``: the element the paragraphs vote for (``body.find_container``), widened.
- ``parent``/``grandparent``: its ancestors (a body split around the chosen block).
- ``rival-N``: the next best-voted containers outside it (the article when the winner is a
  teaser list or a comment thread).
- ``headline``: the best-voted container that holds the page's ``<h1>`` or comes right after it.
- ``br-runs``: the element with the most text in ``<br>``-separated runs (Blogger, older CMSs).
- ``outside-list``: for a container that is a list, the nearest ancestor holding more paragraph
  text, read without the list (a gallery or teaser list set inside the article's text).
- ``json-ld``: the ``articleBody`` of the page's structured data.

``bodyscore`` scores them; ``fallback`` adds a library extractor when all of them look weak.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import html

from newscrawl.extract.body import Body, collect, container_scores, widen
from newscrawl.extract.boilerplate import CONTAINERS, SKIP_TAGS, text_of

MAX_RIVALS = 3  # best-voted containers outside the winner that are considered
MIN_RUNS = 3  # <br>-separated runs for an element to be a br-runs candidate
MIN_RUN_TEXT = 200  # characters in them
BR_PARENTS = f"//br/parent::*[count(br) >= {MIN_RUNS - 1}][self::div or self::td or self::span or " \
    "self::article or self::section or self::font or self::p]"
HEADLINE_REACH = 60  # elements after the <h1> (document order) within which a container "follows" it


@dataclass
class Candidate:
    name: str
    body: Body
    element: html.HtmlElement | None = None
    score: float = 0.0
    why: dict[str, float] = field(default_factory=dict)


class Order:
    """Document positions around the page's ``<h1>``, computed only for the elements asked about."""

    def __init__(self, h1: html.HtmlElement | None):
        self.h1 = h1
        self.holds_h1 = set(h1.iterancestors()) if h1 is not None else set()
        self._at: dict[html.HtmlElement, int] = {}
        self.article = next((a for a in h1.iterancestors("article")), None) if h1 is not None else None

    def outside_article(self, element: html.HtmlElement | None) -> bool:
        """Does ``element`` lie outside the ``<article>`` that holds the ``<h1>`` (another story
        of the page, the rest of a listing)? False when the ``<h1>`` is in no ``<article>``."""
        if element is None or self.article is None or element is self.article:
            return False
        return element not in self.holds_h1 and self.article not in element.iterancestors()

    def at(self, element: html.HtmlElement) -> int:
        if element not in self._at:
            self._at[element] = int(element.xpath("count(preceding::*)"))
        return self._at[element]

    def after_headline(self, element: html.HtmlElement | None) -> int | None:
        """Elements between the ``<h1>`` and ``element`` (0 when it holds the ``<h1>``); None
        when it comes before the headline or either is missing."""
        if element is None or self.h1 is None:
            return None
        if element in self.holds_h1:
            return 0
        gap = self.at(element) - self.at(self.h1)
        return gap if gap > 0 else None


def headline_element(tree: html.HtmlElement) -> html.HtmlElement | None:
    return next((h for h in tree.iter("h1") if text_of(h)), None)


def _related(a: html.HtmlElement, b: html.HtmlElement) -> bool:
    return a is b or a in b.iterancestors() or b in a.iterancestors()


def dom_candidates(tree: html.HtmlElement) -> list[Candidate]:
    """The voted container first (empty, without element, when no paragraph votes), then its
    ancestors and the ``<br>`` runs of the page."""
    scores, within = container_scores(tree)
    runs = br_runs(tree)
    if not scores:
        return [Candidate("container", Body()), *([runs] if runs is not None else [])]
    first = widen(max(scores, key=lambda e: scores[e]), within)
    out = [Candidate("container", collect(first), first)]
    node = first.getparent()
    for label in ("parent", "grandparent"):
        if node is None or node.tag in ("body", "html"):
            break
        if within[node] > within[first]:  # it holds more paragraphs than the container
            out.append(Candidate(label, collect(node), node))
        node = node.getparent()
    if runs is not None and runs.element is not first:
        out.append(runs)
    return out


def rival_candidates(tree: html.HtmlElement, container: html.HtmlElement, order: Order) -> list[Candidate]:
    """The next best-voted containers apart from ``container``, and the one at the headline."""
    scores, within = container_scores(tree)
    ranked = sorted(scores, key=lambda e: scores[e], reverse=True)
    out, taken = [], [container]
    for element in ranked[1:]:
        if len(taken) > MAX_RIVALS:
            break
        widened = widen(element, within)
        if any(_related(widened, t) for t in taken):
            continue
        taken.append(widened)
        out.append(Candidate(f"rival-{len(taken) - 1}", collect(widened), widened))
    near = _near_headline(ranked[: 4 * MAX_RIVALS], within, order)
    if near is not None and near is not container and not any(c.element is near for c in out):
        out.append(Candidate("headline", collect(near), near))
    return out


def _near_headline(ranked: list[html.HtmlElement], within: dict[html.HtmlElement, int],
                   order: Order) -> html.HtmlElement | None:
    """The best-voted container holding the ``<h1>`` or starting within reach after it."""
    for element in ranked:
        widened = widen(element, within)
        distance = order.after_headline(widened)
        if distance is not None and distance <= HEADLINE_REACH:
            return widened
    return None


def _runs(element: html.HtmlElement) -> list[str]:
    """The element's own text split at ``<br>`` (inline children kept, blocks end a run)."""
    runs, current = [], [element.text or ""]
    for child in element:
        if not isinstance(child.tag, str):
            current.append(child.tail or "")
            continue
        if child.tag == "br" or child.tag in CONTAINERS:
            runs.append(" ".join("".join(current).split()))
            current = []
        elif child.tag not in SKIP_TAGS:
            current.append(child.text_content())
        current.append(child.tail or "")
    runs.append(" ".join("".join(current).split()))
    return [r for r in runs if r]


def br_runs(tree: html.HtmlElement) -> Candidate | None:
    """The element whose ``<br>``-separated runs of text hold the most characters."""
    best, best_runs, best_length = None, [], 0
    for element in tree.xpath(BR_PARENTS):
        if float(element.xpath("string-length(.)")) <= best_length:
            continue  # cannot hold more run text than the best so far
        if any(a.tag in SKIP_TAGS for a in element.iterancestors()):
            continue
        runs = _runs(element)
        length = sum(len(r) for r in runs)
        if len(runs) >= MIN_RUNS and length > best_length:
            best, best_runs, best_length = element, runs, length
    if best is None or best_length < MIN_RUN_TEXT:
        return None
    return Candidate("br-runs", Body(paragraphs=best_runs), best)


def outside_list(tree: html.HtmlElement, container: html.HtmlElement) -> Candidate | None:
    """The nearest ancestor of ``container`` holding more paragraph text than it, read as if the
    container were not there; None when there is none or it holds nothing else."""
    _, within = container_scores(tree)
    node = container.getparent()
    while node is not None and node.tag not in ("body", "html") \
            and within.get(node, 0) <= within.get(container, 0):
        node = node.getparent()
    parent = container.getparent()
    if node is None or node.tag in ("body", "html") or parent is None:
        return None
    index = parent.index(container)
    parent.remove(container)  # its tail goes with it, and comes back with it
    try:
        body = collect(node)
    finally:
        parent.insert(index, container)
    return Candidate("outside-list", body, node) if body.paragraphs else None


def structured_candidate(article_body: str) -> Candidate | None:
    paragraphs = [" ".join(p.split()) for p in article_body.splitlines() if p.strip()]
    return Candidate("json-ld", Body(paragraphs=paragraphs)) if paragraphs else None
