"""The generic body: every candidate (``candidates``) scored (``bodyscore``), the library
extractor added only when the voted container is in doubt, the winner kept with the reason."""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import html

from newscrawl.extract import bodyscore
from newscrawl.extract.body import Body
from newscrawl.extract.candidates import (
    Candidate,
    Order,
    dom_candidates,
    headline_element,
    outside_list,
    rival_candidates,
    structured_candidate,
)
from newscrawl.extract.fallback import library_candidate


@dataclass
class Choice:
    """The body chosen, the candidate it came from, and what was weighed."""
    body: Body
    name: str = ""
    reason: str = ""
    doubts: list[str] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)


def _link_density(element: html.HtmlElement) -> float:
    """Share of the element's text inside links (whitespace counted: two XPath calls, no walk)."""
    text = float(element.xpath("string-length(.)"))
    linked = sum(len(t) for t in element.xpath(".//a//text()"))
    return linked / max(1.0, text)


def _only_links(candidate: Candidate, tree: html.HtmlElement) -> bool:
    """Is a short candidate nothing but the texts of the page's links (a menu, not a body)?"""
    if len(candidate.body.text) >= bodyscore.MIN_BODY:
        return False
    links = {" ".join(a.text_content().split()) for a in tree.iter("a")}
    return all(p in links for p in candidate.body.paragraphs)


def generic_body(tree: html.HtmlElement, url: str, description: str = "", article_body: str = "") -> Choice:
    """The best body candidate of the page (an empty body when it has none)."""
    found = dom_candidates(tree)
    h1 = headline_element(tree)
    order = Order(h1)
    context = bodyscore.Context(bodyscore.tokens(description))

    def measure(candidate: Candidate) -> Candidate:
        element = candidate.element
        links = _link_density(element) if element is not None else None
        distance = order.after_headline(element)
        bodyscore.measure(candidate, context, distance, h1 is not None, links, order.outside_article(element))
        return candidate

    container, rivals = measure(found[0]), [measure(c) for c in found[1:]]
    doubts = bodyscore.doubts(container)
    if doubts:
        rivals_of = rival_candidates(tree, container.element, order) if container.element is not None else []
        extra = [*rivals_of, structured_candidate(article_body)]
        if container.element is not None and container.element.tag in bodyscore.LIST_TAGS:
            extra.append(outside_list(tree, container.element))
        seen = {c.element for c in found}
        rivals += [measure(c) for c in extra
                   if c is not None and (c.element is None or c.element not in seen)]
    winner, reason = bodyscore.choose(container, rivals, bool(doubts))
    if doubts and bodyscore.doubts(winner, shape=False):  # nothing in the markup looks right: ask the library
        library = library_candidate(tree, url)
        if library is not None and not _only_links(library, tree):
            rivals.append(measure(library))
            winner, reason = bodyscore.choose(container, rivals, True)
    return Choice(winner.body, winner.name, reason, doubts, [container, *rivals])
