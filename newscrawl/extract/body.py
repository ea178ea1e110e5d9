"""Generic main-content extraction: find the element holding the article's paragraphs, then
keep its paragraphs and subheadings in order, without navigation, share bars, related
links, newsletter boxes, comments, footers or captions."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from lxml import html

BLOCKS = {"p", "h2", "h3", "h4", "h5", "blockquote", "li", "pre"}
HEADINGS = {"h2", "h3", "h4", "h5"}
SKIP_TAGS = {"script", "style", "noscript", "nav", "header", "footer", "aside", "form", "figure",
             "figcaption", "button", "select", "iframe", "svg", "template", "menu"}
BOILERPLATE = re.compile(
    r"(?:^|[-_\s])(?:share|sharing|social|related|newsletter|subscribe|subscription|comments?|promo|"
    r"advert\w*|ads?|sponsor\w*|footer|nav|navbar|menu|breadcrumbs?|sidebar|widget|popular|trending|"
    r"recommend\w*|tags?|author-?bio|byline|caption|credit|signup|paywall|cookie|outbrain|taboola|"
    r"more-?stories|read-?more|most-?read|newsletter-?signup|inline-?ad|related-?links?|toolbar)(?:$|[-_\s])",
    re.IGNORECASE)
NOISE_LINES = re.compile(r"^(advertisement|sponsored|read more|related|share this|click here|"
                         r"sign up|subscribe|follow us)\b", re.IGNORECASE)
MIN_PARAGRAPH = 30  # characters for a paragraph to vote for its container


@dataclass
class Body:
    paragraphs: list[str] = field(default_factory=list)
    subheadings: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


def _text(element: html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def _excluded(element: html.HtmlElement, stop: html.HtmlElement | None = None) -> bool:
    """Is ``element`` (or an ancestor below ``stop``) navigation, furniture or a caption?"""
    node: html.HtmlElement | None = element
    while node is not None and node is not stop:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in SKIP_TAGS:
            return True
        marks = f"{node.get('class', '')} {node.get('id', '')} {node.get('role', '')}"
        if marks.strip() and BOILERPLATE.search(marks):
            return True
        node = node.getparent()
    return False


def _link_density(element: html.HtmlElement, text: str) -> float:
    linked = sum(len(" ".join(a.text_content().split())) for a in element.iter("a"))
    return linked / max(1, len(text))


def find_container(tree: html.HtmlElement) -> html.HtmlElement | None:
    """The element whose paragraphs carry the most text (parents get it all, grandparents half)."""
    scores: dict[html.HtmlElement, float] = defaultdict(float)
    for p in tree.iter("p"):
        text = _text(p)
        if len(text) < MIN_PARAGRAPH or _excluded(p) or _link_density(p, text) > 0.5:
            continue
        parent = p.getparent()
        if parent is None:
            continue
        scores[parent] += len(text)
        grandparent = parent.getparent()
        if grandparent is not None:
            scores[grandparent] += len(text) / 2
    return max(scores, key=lambda e: scores[e]) if scores else None


def _inside_block(element: html.HtmlElement, container: html.HtmlElement) -> bool:
    node = element.getparent()
    while node is not None and node is not container:
        if node.tag in BLOCKS:
            return True
        node = node.getparent()
    return False


def _is_subheading(element: html.HtmlElement, text: str) -> bool:
    if element.tag in HEADINGS:
        return True
    if element.tag != "p" or len(text) > 150 or text.endswith((".", "”", '"')):
        return False
    strong = [_text(child) for child in element if child.tag in ("strong", "b")]
    return bool(strong) and " ".join(strong) == text  # a paragraph that is all bold


def collect(container: html.HtmlElement) -> Body:
    """Paragraphs and subheadings under ``container``, in document order."""
    body, items = Body(), []
    for element in container.iter(*BLOCKS):
        if element.tag == "li" and element.getparent() is not None and _excluded(element.getparent()):
            continue
        if _inside_block(element, container):
            continue  # nested inside a block already taken
        text = _text(element)
        if not text or _excluded(element, stop=container) or NOISE_LINES.match(text):
            continue
        links = _link_density(element, text)
        items.append((element, text, links))
    kept = [(e, t) for e, t, links in items if links <= 0.5]
    while kept and kept[-1][1].endswith(":"):  # "...at the following addresses:" + a link list
        kept.pop()
    while kept and _is_subheading(*kept[-1]):  # a heading with nothing after it ("Related")
        kept.pop()
    for element, text in kept:
        body.paragraphs.append(text)
        if _is_subheading(element, text):
            body.subheadings.append(text)
    return body


def extract_body(tree: html.HtmlElement, container: html.HtmlElement | None = None) -> Body:
    """The body of the page: under ``container`` when given (site selector), else found."""
    container = container if container is not None else find_container(tree)
    return collect(container) if container is not None else Body()
