"""What is not article text: furniture tags, boilerplate class/id names, noise lines; and
what counts as a text block (a ``<p>``, a heading, or a ``<div>`` of bare text)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import html

BLOCKS = frozenset({"p", "h2", "h3", "h4", "h5", "blockquote", "li", "pre"})
CONTAINERS = frozenset({"p", "div", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6", "section",
                        "article", "figure", "blockquote", "li", "header", "footer", "form", "pre",
                        "aside", "nav", "main", "dl"})
SKIP_TAGS = frozenset({"script", "style", "noscript", "nav", "footer", "aside", "form", "figure",
                       "figcaption", "button", "select", "iframe", "svg", "template", "menu", "dialog"})
BOILERPLATE = re.compile(
    r"(?:^|-)(?:share|sharing|social|related|newsletter|subscribe|subscription|comments?|promo|"
    r"advert\w*|ads?|ad-?slot|sponsor\w*|footer|nav|navbar|navigation|menu|breadcrumbs?|sidebar|"
    r"widget|popular|trending|recommend\w*|tags|author-bio|byline|caption|credit|signup|paywall|"
    r"cookie|outbrain|taboola|more-stories|read-more|most-read|also-read|read-also|toolbar|"
    r"complementary|contentinfo|banner|print-only|disclaimer|tweet|instagram-media|tiktok-embed)(?:-|$)|^(?:is-|visually-)?hidden$|^sr-only$")
END_LINES = re.compile(  # what follows is not this article
    r"^(more from|more on this|related (?:articles|stories|coverage)|recommended|read next|"
    r"most (?:popular|read)|"
    r"you may also like|more stories|see also|trending|latest (?:news|stories)|"
    r"das könnte sie auch interessieren|mehr zum thema|weitere artikel|lesen sie auch|auch interessant|"
    r"ähnliche artikel|à lire aussi|lire aussi|sur le même sujet|vous aimerez aussi|"
    r"(?:también )?te puede interesar|noticias relacionadas|artículos relacionados|leggi anche|"
    r"potrebbe interessarti|articoli correlati)\b",
    re.IGNORECASE)
COMMENT_LINES = re.compile(  # the heading of a comment section: the article has ended
    r"^(?:\d+\s+)?(?:comments|kommentare|commentaires|comentarios|commenti|reacties|responses|"
    r"replies|reader comments|leser-?kommentare)(?:\s*\(\d+\))?\s*:?$|^(?:\d+|one)\s+(?:comment|kommentar)$|"
    r"^(?:leave a (?:reply|comment)|add a comment|post a comment|join the (?:discussion|conversation)|"
    r"schreibe(?:n sie)? einen kommentar|kommentar schreiben|laisser un commentaire|deja un comentario|"
    r"what do you think\??)\s*:?$", re.IGNORECASE)
COMMENT_HEAD = re.compile(  # a comment's header: a name with the time it was posted, or "says:"
    r"\b(?:\d{1,2}:\d{2}\s*(?:am|pm|uhr|h)?|\d+\s+(?:minutes?|hours?|days?|weeks?|months?|years?)\s+ago|"
    r"vor\s+\d+\s+(?:minuten|stunden|tagen|wochen|monaten))\b|\b(?:says|sagt|schreibt|dit|dice):\s*$|"
    r"\b(?:reply|antworten|répondre|responder)$",
    re.IGNORECASE)
NOISE_LINES = re.compile(r"^(advertisement|anzeige|sponsored|read more|related|share this|click here|"
                         r"sign up|subscribe|follow us)\b", re.IGNORECASE)
EXPANDERS = re.compile(r"(?:^|-)(?:read-more|paywall)(?:-|$)")  # marks
# that may wrap the rest of the article (a collapsed or paid continuation) rather than a link
_PARTS = re.compile(r"[^A-Za-z0-9]+|(?<=[a-z])(?=[A-Z])")
_cache: dict[str, bool] = {}


def text_of(element: html.HtmlElement) -> str:
    """An element's text, whitespace collapsed."""
    return " ".join(element.text_content().split())


def _is_boilerplate_name(marks: str) -> bool:
    if marks not in _cache:
        if len(_cache) > 50_000:
            _cache.clear()
        _cache[marks] = any(BOILERPLATE.search("-".join(p for p in _PARTS.split(token) if p).lower())
                            for token in marks.split())
    return _cache[marks]


def marked_name(name: str) -> bool:
    """Does one class name read as furniture?"""
    return _is_boilerplate_name(name)


def marked(element: html.HtmlElement) -> bool:
    """Does the element's class, id or role name it as furniture ("share-bar", "relatedLinks")?
    An id that is its own heading's anchor (``<div id="sharing-with-git"><h2>Sharing with git``)
    names a section of the text, not furniture."""
    marks = f"{element.get('class', '')} {element.get('id', '')} {element.get('role', '')}"
    known = _cache.get(marks)  # asked for every paragraph's every ancestor: mostly known
    found = known if known is not None else _is_boilerplate_name(marks)  # blank marks: no token, False
    if found and element.get("id") and _is_heading_anchor(element):
        return _is_boilerplate_name(f"{element.get('class', '')} {element.get('role', '')}")
    return found


def expander(element: html.HtmlElement) -> bool:
    """Is every furniture-sounding token of the element's class/id an expander name ("read-more",
    "paywall")? Such an element may hold the rest of the article, not a link to it."""
    names = [_slug_name(t) for t in f"{element.get('class', '')} {element.get('id', '')}".split()]
    marks = [n for n in names if BOILERPLATE.search(n)]
    return bool(marks) and all(EXPANDERS.search(n) for n in marks)


def _slug_name(token: str) -> str:
    return "-".join(p for p in _PARTS.split(token) if p).lower()


HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_SLUG = re.compile(r"[^\w]+")


def _is_heading_anchor(element: html.HtmlElement) -> bool:
    """Is the element's id the slug of the heading it opens (a section anchor of the text)?"""
    heading = next((child for child in element if child.tag in HEADING_TAGS), None)
    if heading is None:
        return False
    slug = _SLUG.sub("-", heading.text_content().lower()).strip("-_")
    anchor = _SLUG.sub("-", element.get("id", "").lower()).strip("-_")
    return len(anchor) >= 8 and slug.startswith(anchor)


INLINE = frozenset({"span", "a", "em", "strong", "b", "i", "u", "br", "sup", "sub", "small", "mark", "time",
                    "abbr", "q", "cite", "font"})


def is_text_div(element: html.HtmlElement, inline: bool = False) -> bool:
    """A ``<div>`` that holds text directly and no block-level children: a paragraph in all but
    name (``<div>Text <a>link</a></div>``); with ``inline``, also one whose text is all in inline
    elements (``<div><span>Text</span></div>``, pages that mark up nothing else)."""
    if element.tag != "div" or any(child.tag in CONTAINERS for child in element):
        return False
    if (element.text or "").strip() \
            or any(child.tag == "br" and (child.tail or "").strip() for child in element):
        return True  # text of its own, also after a line break (``<div><br>Text</div>``)
    tags = [child.tag for child in element if isinstance(child.tag, str)]
    return inline and bool(tags) and all(tag in INLINE for tag in tags) \
        and any((child.text or child.tail or "").strip() or len(child) for child in element)


def paragraphs(tree: html.HtmlElement, items: bool = False,
               inline: bool = False) -> Iterator[html.HtmlElement]:
    """Every ``<p>`` and bare-text ``<div>`` (and ``<li>`` with ``items``; see ``is_text_div`` for
    ``inline``), in document order."""
    for element in tree.iter("p", "div", "li") if items else tree.iter("p", "div"):
        if element.tag != "div" or is_text_div(element, inline):
            yield element


def is_data_row(element: html.HtmlElement) -> bool:
    """A table row of two or more cells holding only inline text (a data table's row, not a layout
    cell wrapping paragraphs, which are blocks of their own)."""
    cells = [cell for cell in element if cell.tag in ("td", "th")]
    return len(cells) >= 2 and not any(child.tag in CONTAINERS for cell in cells for child in cell.iter())


def block_text(element: html.HtmlElement) -> str:
    """A block's text, whitespace collapsed; a table row's cells apart."""
    if element.tag == "tr":
        return " ".join(t for t in (text_of(cell) for cell in element if cell.tag in ("td", "th")) if t)
    return text_of(element)


def blocks(container: html.HtmlElement, inline: bool = False) -> Iterator[html.HtmlElement]:
    """Every text block under ``container`` (paragraphs, headings, list items, quotes, rows of data
    tables), in order."""
    for element in container.iter(*BLOCKS, "div", "tr"):
        if element.tag == "tr":
            if is_data_row(element):
                yield element
        elif element.tag != "div" or is_text_div(element, inline):
            yield element
