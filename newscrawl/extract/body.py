"""Generic main-content extraction: find the element holding the article's paragraphs, then
keep its paragraphs and subheadings in order, without navigation, share bars, related
links, newsletter boxes, comments, footers or captions.

A paragraph is a ``<p>`` or a ``<div>`` of bare text (no block children). Paragraphs vote
for their parent (full length) and grandparent (half); a boilerplate-marked ancestor
(class/id "share", "related", ...) silences them, unless it wraps most of the page's text
(then it is a wrapper with an unlucky name). The winner is widened to the ancestor that
gathers sibling chunks of the same article (bodies split by ads or layout blocks)."""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from lxml import html

from newscrawl.extract import boilerplate
from newscrawl.extract.boilerplate import (
    BLOCKS,
    BOILERPLATE,
    CONTAINERS,
    INLINE,
    SKIP_TAGS,
    block_text,
    marked,
    text_of,
)

__all__ = ["BOILERPLATE", "SKIP_TAGS", "Body", "collect", "container_scores", "extract_body",
           "find_container", "widen"]

HEADINGS = {"h2", "h3", "h4", "h5"}
MIN_PARAGRAPH = 30  # characters for a paragraph to vote for its container
WRAPPER_SHARE = 0.5  # a marked ancestor holding this share of all paragraph text is a wrapper
WIDEN_GAIN = 1.25  # widen to the parent when it holds this much more paragraph text
MAX_LINK_DENSITY = 0.5
WRAPPER_PROSE = 0.8  # a marked element inside the container holding most of its text, this much of it
WRAPPER_LINKS = 0.1  # prose, and at most this link density, wraps the rest of the article
LONG_PARAGRAPH = 150  # a paragraph this long in the body is text even when much of it is linked...
MAX_LONG_LINK_DENSITY = 0.85  # ...up to this share (a sentence around a linked book title)
MIN_ARTICLE = 500  # characters of paragraphs: below this, list items and short lines vote as well
MIN_BEFORE_END = 3  # paragraphs kept before an end line ("More from ...") may close the article
MAX_END_LINE = 60
END_SHARE = 0.4  # ...when what follows it is less than this share of what precedes it


@dataclass
class Body:
    paragraphs: list[str] = field(default_factory=list)
    subheadings: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


def _link_density(element: html.HtmlElement, text: str) -> float:
    linked = sum(len(text_of(a)) for a in element.iter("a"))
    return linked / max(1, len(text))


def _votes(tree: html.HtmlElement, short: bool = False) -> tuple[list[tuple[html.HtmlElement, int]],
                                                                  dict[html.HtmlElement, int]]:
    """Paragraphs with their length (boilerplate silenced), and the paragraph text under each ancestor.
    ``short``: list items and short lines vote too (an article that is mostly a list)."""
    found: list[tuple[html.HtmlElement, int, list[html.HtmlElement]]] = []
    under: dict[html.HtmlElement, int] = defaultdict(int)
    shortest = 2 if short else MIN_PARAGRAPH
    for element in boilerplate.paragraphs(tree, items=short, inline=short):
        text = text_of(element)
        if len(text) < shortest or _link_density(element, text) > MAX_LINK_DENSITY:
            continue
        ancestors = list(element.iterancestors())
        if any(a.tag in SKIP_TAGS for a in ancestors):
            continue
        for ancestor in ancestors:
            under[ancestor] += len(text)
        found.append((element, len(text), ancestors))
    total = sum(length for _, length, _ in found)
    article = article_classes([(e, n) for e, n, _ in found])
    kept = [(e, n) for e, n, ancestors in found
            if not (marked(e) and not own_marks_allowed(e, article))
            and not any(marked(a) and under[a] < WRAPPER_SHARE * total for a in ancestors)]
    return kept, under


def article_classes(paragraphs: list[tuple[html.HtmlElement, int]]) -> set[str]:
    """Class names worn by the paragraphs holding most of the text: the article's own paragraph
    class, even when it reads like boilerplate (``<p class="paywall">`` on every paragraph)."""
    by_class: dict[str, int] = defaultdict(int)
    for element, length in paragraphs:
        for name in set((element.get("class") or "").split()):
            by_class[name] += length
    total = sum(length for _, length in paragraphs)
    return {name for name, length in by_class.items() if length >= WRAPPER_SHARE * total}


def own_marks_allowed(element: html.HtmlElement, article: set[str]) -> bool:
    """Is every boilerplate-sounding class of this paragraph one of the article's own?"""
    names = (element.get("class") or "").split()
    return bool(names) and not element.get("id") and all(n in article or not boilerplate.marked_name(n)
                                                          for n in names)


def container_scores(tree: html.HtmlElement) -> tuple[dict[html.HtmlElement, float],
                                                     dict[html.HtmlElement, int]]:
    """Each element's vote (paragraph text of its children, half that of its grandchildren) and
    the paragraph text each ancestor holds (remembered for the last tree asked about: the
    container and the body candidates ask in turn)."""
    cached = _last_scores
    if cached and cached[0] is tree:
        return cached[1], cached[2]
    scores, within = _container_scores(tree)
    _last_scores[:] = [tree, scores, within]
    return scores, within


_last_scores: list[Any] = []


def _container_scores(tree: html.HtmlElement) -> tuple[dict[html.HtmlElement, float],
                                                       dict[html.HtmlElement, int]]:
    kept, _ = _votes(tree)
    if sum(length for _, length in kept) < MIN_ARTICLE:
        kept, _ = _votes(tree, short=True)
    scores: dict[html.HtmlElement, float] = defaultdict(float)
    within: dict[html.HtmlElement, int] = defaultdict(int)
    for element, length in kept:
        for ancestor in element.iterancestors():
            within[ancestor] += length
        parent = element.getparent()
        if parent is None:
            continue
        scores[parent] += length
        grandparent = parent.getparent()
        if grandparent is not None:
            scores[grandparent] += length / 2
    return scores, within


def widen(best: html.HtmlElement, within: dict[html.HtmlElement, int]) -> html.HtmlElement:
    """The ancestor of ``best`` that gathers sibling chunks of the same text."""
    node, parent = best, best.getparent()
    while parent is not None and parent.tag not in ("body", "html"):
        if within[parent] >= WIDEN_GAIN * within[best]:  # sibling chunks of the same text
            best = parent
        elif within[parent] > within[node]:
            break  # the parent adds a little text: teasers, not the article
        node, parent = parent, parent.getparent()
    return best


def find_container(tree: html.HtmlElement) -> html.HtmlElement | None:
    """The element holding the article's paragraphs (None when the page has none)."""
    scores, within = container_scores(tree)
    if not scores:
        return None
    return widen(max(scores, key=lambda e: scores[e]), within)


def _inside_block(element: html.HtmlElement, container: html.HtmlElement) -> bool:
    node = element.getparent()
    while node is not None and node is not container:
        if node.tag in BLOCKS:
            return True
        node = node.getparent()
    return False


def _is_subheading(element: html.HtmlElement, text: str) -> bool:
    if element.tag in HEADINGS:
        return len(text) <= 200
    if element.tag != "p" or len(text) > 150 or text.endswith((".", "”", '"', ":")):
        return False
    strong = [text_of(child) for child in element if child.tag in ("strong", "b")]
    return bool(strong) and " ".join(strong) == text  # a paragraph that is all bold


def _sentence(text: str) -> bool:
    """A statement: a call ("Watch our channel!") or a question closing the text is a promo."""
    return len(text) >= MIN_PARAGRAPH and text.endswith((".", "。"))


def _excluded(element: html.HtmlElement, stop: html.HtmlElement, article: set[str],
              wrappers: frozenset[html.HtmlElement] = frozenset()) -> bool:
    node: html.HtmlElement | None = element
    while node is not None and node is not stop:
        allowed = (node is element and own_marks_allowed(node, article)) or node in wrappers
        if node.tag in SKIP_TAGS or (marked(node) and not allowed):
            return True
        node = node.getparent()
    return False


def collect(container: html.HtmlElement) -> Body:
    """Paragraphs and subheadings under ``container``, in document order (text in inline
    elements of bare ``<div>`` too when the container has little text otherwise; prose standing
    loose in the container between ``<br>`` and its blocks too)."""
    body, kept = Body(), []
    candidates = [(e, block_text(e)) for e in boilerplate.blocks(container)
                  if not _inside_block(e, container)]
    if sum(len(text) for _, text in candidates) < MIN_ARTICLE:
        candidates = [(e, block_text(e)) for e in boilerplate.blocks(container, inline=True)
                      if not _inside_block(e, container)]
    article = article_classes([(e, len(text)) for e, text in candidates if e.tag == "p"])
    wrappers = _marked_wrappers(container, candidates)
    candidates = _with_loose_runs(container, candidates)
    for element, text in candidates:
        if not text or _excluded(element, container, article, wrappers) \
                or boilerplate.NOISE_LINES.match(text):
            continue
        density = _link_density(element, text)
        if density <= MAX_LINK_DENSITY or (element.tag == "p" and len(text) >= LONG_PARAGRAPH
                                           and density <= MAX_LONG_LINK_DENSITY):
            kept.append((element, text))
    kept = _cut_at_end_line(kept)
    while kept and kept[-1][1].endswith(":"):  # "...at the following addresses:" + a link list
        kept.pop()
    while kept and _is_subheading(*kept[-1]) and not _sentence(kept[-1][1]):  # a heading with nothing
        kept.pop()  # after it ("Related"); one that is a statement is the article's last line
    for element, text in kept:
        body.paragraphs.append(text)
        if _is_subheading(element, text):
            body.subheadings.append(text)
    return body


def _marked_wrappers(container: html.HtmlElement,
                     candidates: list[tuple[html.HtmlElement, str]]) -> frozenset[html.HtmlElement]:
    """Marked elements inside the container that hold most of its text: a wrapper with an unlucky
    name (``<div id="read-more">`` around the rest of the article), as in the votes."""
    under: dict[html.HtmlElement, int] = defaultdict(int)
    prose: dict[html.HtmlElement, int] = defaultdict(int)
    for element, text in candidates:
        sentence = len(text) >= LOOSE_PROSE or (len(text) >= MIN_PARAGRAPH and text.endswith(LOOSE_ENDS))
        for ancestor in element.iterancestors():
            if ancestor is container:
                break
            under[ancestor] += len(text)
            prose[ancestor] += len(text) if sentence else 0
    total = sum(len(text) for _, text in candidates)
    return frozenset(e for e, n in under.items()
                     if n >= WRAPPER_SHARE * total and prose[e] >= WRAPPER_PROSE * n
                     and e.tag not in SKIP_TAGS and e.tag not in ("ul", "ol") and boilerplate.expander(e)
                     and _link_density(e, text_of(e)) <= WRAPPER_LINKS)


LOOSE_PARENTS = frozenset({"div", "section", "article", "main", "td", "span", "font"})
LOOSE_PROSE = 80  # characters for a loose run to be prose, or a shorter one ending a sentence
LOOSE_ENDS = (".", "!", "?", "。", "！", "？", '"', "”", "»")


def _loose_runs(element: html.HtmlElement) -> list[tuple[html.HtmlElement | None, str]]:
    """Text standing loose in an element beside its blocks (``Intro<br><h2>..</h2><br>Text``), split
    at the blocks (a ``<br>`` is a line break inside a run: split there, a Blogger post falls into
    lines too short to count): each run with the child it follows (None: the element's own text)."""
    runs: list[tuple[html.HtmlElement | None, str]] = []
    after, current = None, [element.text or ""]
    for child in element:
        if not isinstance(child.tag, str):
            pass
        elif child.tag == "br":
            current.append(" ")  # a line break inside the run
        elif child.tag in INLINE and not any(d.tag in CONTAINERS for d in child.iterdescendants()):
            current.append(child.text_content())
        else:  # a block, or anything else: the run ends here
            runs.append((after, " ".join("".join(current).split())))
            after, current = child, []
        current.append(child.tail or "")
    runs.append((after, " ".join("".join(current).split())))
    return [(a, r) for a, r in runs
            if len(r) >= LOOSE_PROSE or (len(r) >= MIN_PARAGRAPH and r.endswith(LOOSE_ENDS))]


def _with_loose_runs(container: html.HtmlElement,
                     candidates: list[tuple[html.HtmlElement, str]]) -> list[tuple[html.HtmlElement, str]]:
    """The blocks with the container's loose text runs, in document order (a run stands for the
    container; runs of elements inside it are left out: they pulled in forum and menu text)."""
    loose = _loose_runs(container) if container.tag in LOOSE_PARENTS else []
    if not loose:
        return candidates
    order = {e: i for i, e in enumerate(container.iter())}
    keyed = [(float(order[e]), e, text) for e, text in candidates]
    for after, text in loose:
        start = 0 if after is None else order[after] + sum(1 for _ in after.iter()) - 1
        keyed.append((start + 0.5, container, text))
    keyed.sort(key=lambda k: k[0])
    return [(e, text) for _, e, text in keyed]


def _cut_at_end_line(kept: list[tuple[html.HtmlElement, str]]) -> list[tuple[html.HtmlElement, str]]:
    """Cut the blocks at a closing line ("More from The Nation") followed by little text (teasers),
    at the heading of a comment section ("12 Comments", "Leave a Reply"), and where comments
    begin by their shape (``_comments_from``)."""
    total = sum(len(text) for _, text in kept)
    before = 0
    for i, (_, text) in enumerate(kept):
        if i >= MIN_BEFORE_END and len(text) <= MAX_END_LINE and (boilerplate.COMMENT_LINES.match(text) or (
                boilerplate.END_LINES.match(text) and total - before < END_SHARE * before)):
            return kept[:i]
        before += len(text)
    start = _comments_from(kept)
    return kept if start is None else kept[:start]


MAX_COMMENT_HEAD = 120  # characters of a comment's header line (name, time, "says:")
MIN_COMMENTS = 3


def _comment_head(text: str) -> bool:
    return len(text) <= MAX_COMMENT_HEAD and not text.endswith((".", "!", "?")) \
        and boilerplate.COMMENT_HEAD.search(text) is not None


def _comments_from(kept: list[tuple[html.HtmlElement, str]]) -> int | None:
    """Where a run of comments closes the blocks: from a header line (a name with the time it was
    posted, "Anna, 12.03.2020 um 10:15", or "Anna says:"; a date alone is not enough: citations
    carry dates), at least ``MIN_COMMENTS`` header lines each followed by text of its own, to the
    end; None when the blocks do not end so."""
    heads = [i for i, (_, text) in enumerate(kept) if i >= MIN_BEFORE_END and _comment_head(text)]
    answered = [i for i in heads if i + 1 < len(kept) and not _comment_head(kept[i + 1][1])]
    if len(answered) < MIN_COMMENTS:
        return None
    first = answered[-MIN_COMMENTS]
    run = [i for i in answered if i >= first]
    # the run goes on to the end: no more than two blocks after the last comment's text
    if len(kept) - run[-1] > 4 or any(b - a > 6 for a, b in itertools.pairwise(run)):
        return None
    while True:  # reach back over the earlier comments of the same run
        earlier = [i for i in answered if i < first and first - i <= 6]
        if not earlier:
            return first
        first = earlier[-1]


def extract_body(tree: html.HtmlElement, container: html.HtmlElement | None = None) -> Body:
    """The body of the page: under ``container`` when given (site selector), else found."""
    container = container if container is not None else find_container(tree)
    return collect(container) if container is not None else Body()
