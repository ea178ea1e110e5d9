"""How body candidates are scored, when the voted container is in doubt, and which one wins.

A candidate's score is its prose (characters in sentence-like paragraphs; other lines count
``OTHER_TEXT``), times ``(1 - link density)²`` of its element, times the share of the page's
description (``og:description``/JSON-LD ``description``) found in it when the page has one of
some length, times ``BEFORE_HEADLINE`` when it sits before the ``<h1>`` (or apart from it),
times ``OUTSIDE_ARTICLE`` when the ``<h1>`` is in an ``<article>`` and the candidate is not.
A list whose items carry their own headings (slides, stories) counts ``HEADED_LIST`` of that.
The voted container keeps the body unless a rival beats its score by a margin: ``MARGIN_SURE``
for its own ancestors and ``<br>`` runs when nothing looks wrong, ``MARGIN_DOUBT`` for every
candidate when something does (``doubts``: little prose, a description it does not hold, many
links, mostly short lines, a ``<ul>``/``<ol>`` container, one outside the headline's
``<article>``). An ancestor that adds only prose before the container's paragraphs (an opening
set apart) stands in for the container (``opening``). The library extractor is asked only when
the best candidate of the markup still has too little prose, lacks the description or is mostly
links.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from newscrawl.extract.candidates import Candidate

MIN_PROSE_LINE = 80  # a paragraph this long is prose...
MIN_SENTENCE = 40  # ...and so is a shorter one ending like a sentence
SENTENCE_ENDS = (".", "!", "?", "。", "！", "？", '"', "”", "»", ":")
OTHER_TEXT = 0.3  # weight of the characters in short lines (list items, labels) beside prose
MIN_BODY = 80  # characters: a shorter rival made only of link texts (a lone "Home") is no body
MIN_DESCRIPTION = 8  # tokens: a shorter description is not compared
BEFORE_HEADLINE = 0.7
OUTSIDE_ARTICLE = 0.5  # a candidate outside the <article> holding the <h1>
MARGIN_SURE = 1.5
MARGIN_DOUBT = 1.0
ANCESTORS = ("grandparent", "parent")  # the widest first
SURE_RIVALS = (*ANCESTORS, "br-runs")
LIBRARY_LINK_DENSITY = 0.1  # assumed for text from the library extractor (its links are not known)
DOUBT_PROSE = 500
DOUBT_DESCRIPTION = 0.5
DOUBT_LINKS = 0.3
DOUBT_SHORT = 0.5
SHORT_LINE = 40
LIST_TAGS = ("ul", "ol")  # a container that is a list may be one of links, not the article
HEADED_LIST = 0.3  # score of a list whose items open with their own headings (teasers, a gallery)
MIN_HEADED_ITEMS = 3
HEADED_ITEMS = "count(li[.//h1 or .//h2 or .//h3 or .//h4 or .//h5 or .//h6])"
LEAD_LINKS = 0.3  # an ancestor adding only prose before the container, with at most this much
# more link density, adds the article's opening
TOKEN = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]|\w+")


@dataclass(frozen=True)
class Context:
    """What candidates are compared against: the page's description tokens."""
    description: Counter[str]


def prose(paragraphs: list[str]) -> int:
    return sum(len(p) for p in paragraphs
               if len(p) >= MIN_PROSE_LINE or (len(p) >= MIN_SENTENCE and p.endswith(SENTENCE_ENDS)))


def tokens(text: str) -> Counter[str]:
    """Lower-cased word tokens (CJK: one per character)."""
    return Counter(TOKEN.findall(text.lower()))


def measure(candidate: Candidate, context: Context, distance: int | None, has_h1: bool,
            link_density: float | None, outside_article: bool = False) -> None:
    """Fill ``candidate.why`` with its features and ``candidate.score``."""
    paragraphs = candidate.body.paragraphs
    why = candidate.why
    why["prose"] = prose(paragraphs)
    why["paragraphs"] = len(paragraphs)
    why["short"] = round(sum(1 for p in paragraphs if len(p) < SHORT_LINE) / max(1, len(paragraphs)), 2)
    why["links"] = round(link_density if link_density is not None else LIBRARY_LINK_DENSITY, 2)
    rest = sum(len(p) for p in paragraphs) - why["prose"]
    score = (why["prose"] + OTHER_TEXT * rest) * (1 - min(1.0, why["links"])) ** 2
    wanted = sum(context.description.values())
    if wanted >= MIN_DESCRIPTION:
        found = tokens(candidate.body.text) & context.description
        why["description"] = round(sum(found.values()) / wanted, 2)
        score *= why["description"]
    if _headed_list(candidate):
        why["headed_items"] = 1
        score *= HEADED_LIST
    if has_h1 and candidate.element is not None:
        why["after_headline"] = -1 if distance is None else distance
        if distance is None:
            score *= BEFORE_HEADLINE
    if outside_article:
        why["outside_article"] = 1
        score *= OUTSIDE_ARTICLE
    candidate.score = round(score, 1)


def _headed_list(candidate: Candidate) -> bool:
    """Is the candidate a list most of whose items carry a heading of their own (stories, slides)?"""
    element = candidate.element
    if element is None or element.tag not in LIST_TAGS:
        return False
    headed = float(element.xpath(HEADED_ITEMS))
    return headed >= MIN_HEADED_ITEMS and headed >= 0.6 * float(element.xpath("count(li)"))


def doubts(container: Candidate, shape: bool = True) -> list[str]:
    """Why the voted container may not be the article (empty: it looks right); without
    ``shape``, mostly short lines are no reason (they rarely mean that the library extractor
    does better)."""
    why, found = container.why, []
    if why["prose"] < DOUBT_PROSE:
        found.append(f"prose {why['prose']:.0f} < {DOUBT_PROSE}")
    if 0 <= why.get("description", 1.0) < DOUBT_DESCRIPTION:
        found.append(f"holds {why['description']:.0%} of the description")
    if why["links"] > DOUBT_LINKS:
        found.append(f"link density {why['links']:.2f}")
    if shape and why["short"] > DOUBT_SHORT:
        found.append(f"{why['short']:.0%} short lines")
    if why.get("outside_article"):
        found.append("outside the headline's <article>")
    if shape and container.element is not None and container.element.tag in LIST_TAGS:
        found.append(f"a <{container.element.tag}> list")  # references, related posts, comments
    return found


def opening(container: Candidate, ancestor: Candidate) -> bool:
    """Does ``ancestor`` hold the container's paragraphs as its last ones, after prose of its own,
    with hardly more links (an intro or standfirst set apart from the rest of the body)?"""
    mine, theirs = container.body.paragraphs, ancestor.body.paragraphs
    extra = theirs[: len(theirs) - len(mine)]
    if not mine or len(theirs) <= len(mine) or theirs[len(extra):] != mine:
        return False
    before_headline = ancestor.why.get("after_headline", 0) == -1
    if before_headline or ancestor.why["links"] > container.why["links"] + LEAD_LINKS:
        return False
    return prose(extra) == sum(len(p) for p in extra)  # every one a sentence: no date line or label


def choose(container: Candidate, rivals: list[Candidate], doubtful: bool) -> tuple[Candidate, str]:
    """The winner and a sentence saying why it won."""
    lead = next((r for r in rivals if r.name in ANCESTORS and opening(container, r)), None)
    if lead is not None:  # the ancestor is the container with its opening paragraphs
        winner, reason = choose(lead, [r for r in rivals if r is not lead], doubtful)
        return winner, f"{lead.name} adds prose before the container; {reason}"
    allowed = rivals if doubtful else [r for r in rivals if r.name in SURE_RIVALS]
    margin = MARGIN_DOUBT if doubtful else MARGIN_SURE
    best = max(allowed, key=lambda c: c.score, default=None)
    if best is not None and best.score > margin * container.score and best.body.paragraphs:
        return best, f"{best.name} scores {best.score:.0f} > {margin} x container's {container.score:.0f}"
    if best is None:
        return container, "no rival considered"
    return container, f"container's {container.score:.0f} x {margin} >= {best.name}'s {best.score:.0f}"
