"""Generic readers for headline, authors, breadcrumb, date and language in the page itself."""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml import etree, html

TITLE_SUFFIX = re.compile(r"\s+[-|–—:»]\s+[^-|–—:»]{2,40}$")
BYLINE_PREFIX = re.compile(r"^\s*(?:by|written by|words by|reporting by|von|par|por)\s+", re.IGNORECASE)
ROLE = re.compile(r"\s*(?:[,|–—-]\s*|\bis\b\s+)(?:staff|senior|chief|political|foreign|correspondent|"
                  r"editor|reporter|writer|contributor|columnist|analyst|producer|bureau|news|press)\b.*$",
                  re.IGNORECASE)
ROLE_ONLY = re.compile(r"^(?:staff|senior|chief|political|foreign|correspondent|editor|reporter|writer|"
                       r"contributor|columnist|analyst|producer|bureau|news|press)\b", re.IGNORECASE)
SPLIT_NAMES = re.compile(r"\s*(?:,|;|\band\b|&|\|)\s*", re.IGNORECASE)
BREADCRUMB = ('//*[contains(@class, "breadcrumb")]', '//*[@itemtype="https://schema.org/BreadcrumbList"]',
              '//*[@itemtype="http://schema.org/BreadcrumbList"]', '//nav[@aria-label="breadcrumb"]')
TRAIL_SEPARATOR = re.compile(r"\s*[/>»›|]\s*")
BYLINE = ('//*[@rel="author"]', '//*[contains(@class, "byline")]', '//*[contains(@class, "author-name")]',
          '//*[@itemprop="author"]')
Test = Callable[[html.HtmlElement], bool]
BREADCRUMB_TYPES = ("https://schema.org/BreadcrumbList", "http://schema.org/BreadcrumbList")
_BYLINE_TESTS: tuple[Test, ...] = (
    lambda e: e.get("rel") == "author", lambda e: "byline" in e.get("class", ""),
    lambda e: "author-name" in e.get("class", ""), lambda e: e.get("itemprop") == "author")
_BREADCRUMB_TESTS: tuple[Test, ...] = (
    lambda e: "breadcrumb" in e.get("class", ""),
    lambda e: e.get("itemtype") == "https://schema.org/BreadcrumbList",
    lambda e: e.get("itemtype") == "http://schema.org/BreadcrumbList",
    lambda e: e.tag == "nav" and e.get("aria-label") == "breadcrumb")


STANDFIRST_NAMES = re.compile(r"standfirst|\bdek\b|[-_]dek\b|subtitle|sub-?head|summary|intro\b|lede|teaser|"
                              r"excerpt|strapline|abstract|synopsis", re.IGNORECASE)
NOT_STANDFIRST = re.compile(r"byline|author|date|time|caption|credit|share|related", re.IGNORECASE)
STANDFIRST_LENGTH = (30, 800)
NAME_ATTRIBUTES = ("class", "id", "data-gu-name", "data-testid", "data-component")
MAX_STANDFIRST_DEPTH = 4  # levels above the <h1> searched


def _text(element: html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def clean_headline(title: str, h1: str = "") -> str:
    """A title without the site-name suffix (" - PressTV", " | The Site"): the page's ``<h1>`` when
    the title holds it and it is most of what is left (not the site's name in a logo ``<h1>``)."""
    title = " ".join(title.split())
    stripped = TITLE_SUFFIX.sub("", title) if TITLE_SUFFIX.search(title) else title
    if h1 and h1 in title and ((h1 in stripped and 2 * len(h1) >= len(stripped)) or h1 == title):
        return h1
    return stripped


WORD = re.compile(r"\w+")
TITLE_MATCH = 0.6  # share of an <h1>'s words in the <title> for the two to name the same article
MAX_H1 = 8


def _words(text: str) -> set[str]:
    return set(WORD.findall(text.lower()))


def page_words(tree: html.HtmlElement, title: str) -> set[str]:
    """The words the page shows as its headline: those of its ``<title>`` and ``<h1>`` elements."""
    seen = _words(title)
    for h1, _ in zip(tree.iter("h1"), range(MAX_H1), strict=False):
        seen |= _words(_text(h1))
    return seen


def shown(headline: str, seen: set[str]) -> bool:
    """Whether the page shows ``headline``: most of its words among ``seen`` (``page_words``; a
    JSON-LD "headline" that is the page's description, as Wikipedia's, is not shown)."""
    words = _words(headline)
    return not seen or len(words & seen) >= TITLE_MATCH * len(words)


def named_h1(tree: html.HtmlElement, title: str) -> tuple[str, bool]:
    """The ``<h1>`` the ``<title>`` names (most of its words in the title; of several, the one
    that covers most of the title: the headline, not the logo) and True; else the first ``<h1>``
    and False."""
    in_title = _words(title)
    best, covered, first = "", 0, ""
    for h1, _ in zip(tree.iter("h1"), range(MAX_H1), strict=False):
        text = _text(h1)
        words = _words(text)
        if not words:
            continue
        first = first or text
        shared = len(words & in_title)
        if shared >= TITLE_MATCH * len(words) and shared > covered:
            best, covered = text, shared
    return (best, True) if best else (first, False)


def page_headline(h1: str, named: bool, title: str, site_name: str = "") -> str:
    """The headline in the page itself: the ``<h1>`` the title names; the title when no ``<h1>`` is
    named (an ``<h1>`` for the logo or the section) and the title, without its site suffix, is
    more than a site name; else the first ``<h1>``."""
    if named or not title:
        return h1 or title
    cleaned = clean_headline(title)
    if not h1 or (len(cleaned.split()) >= 3 and cleaned.casefold() != site_name.casefold()):
        return title
    return h1


LINKS = re.compile(r"\(?\s*(?:https?://|www\.|mailto:)\S*\s*\)?|\(?\S+@\S+\.\w+\)?")
LETTER = re.compile(r"[^\W\d_]")  # a letter of any script


def clean_authors(raw: list[str]) -> list[str]:
    """Names only: no "By", no roles, no URLs or e-mail (a name followed by its home page keeps
    the name), no duplicates; names in any script."""
    names: list[str] = []
    for entry in raw:
        entry = BYLINE_PREFIX.sub("", " ".join(LINKS.sub(" ", entry).split()))
        for part in SPLIT_NAMES.split(entry):
            name = ROLE.sub("", BYLINE_PREFIX.sub("", part)).strip(" .,:;")
            if not name or "/" in name or "@" in name or len(name) > 60 or not LETTER.search(name):
                continue
            if len(name.split()) > 5 or ROLE_ONLY.match(name):
                continue
            if name.lower() not in (n.lower() for n in names):
                names.append(name)
    return names


def _byline_like(element: html.HtmlElement) -> bool:
    """What any of BYLINE's XPaths selects."""
    names = element.get("class") or ""
    return element.get("rel") == "author" or "byline" in names or "author-name" in names \
        or element.get("itemprop") == "author"


def _breadcrumb_like(element: html.HtmlElement) -> bool:
    """What any of BREADCRUMB's XPaths selects."""
    return "breadcrumb" in (element.get("class") or "") or element.get("itemtype") in BREADCRUMB_TYPES \
        or (element.tag == "nav" and element.get("aria-label") == "breadcrumb")


def _matches(tree: html.HtmlElement, candidate: Test,
             tests: tuple[Test, ...]) -> list[list[html.HtmlElement]]:
    """For each test (one per XPath), the elements it selects in document order: one walk of the
    tree for what any test selects instead of one XPath pass per test (an XPath union "a | b"
    walks it once per part; with the C element lookup a Python walk is the faster one)."""
    root = tree.getroottree().getroot()  # an XPath's "//": the whole document
    found = [element for element in root.iter(etree.Element) if candidate(element)]
    return [[e for e in found if test(e)] for test in tests]


def byline(tree: html.HtmlElement) -> list[str]:
    for elements in _matches(tree, _byline_like, _BYLINE_TESTS):
        found = [_text(e) for e in elements]
        found = [t for t in found if 2 < len(t) < 120]
        if found:
            return found
    return []


def breadcrumb(tree: html.HtmlElement) -> list[str]:
    """The breadcrumb trail above the article ("News / Afghanistan" -> ["News", "Afghanistan"])."""
    for elements in _matches(tree, _breadcrumb_like, _BREADCRUMB_TESTS):
        for element in elements:
            links = [_text(a) for a in element.iter("a", "li", "span") if _text(a)]
            parts = [p for p in re.split(r"\s*[/>»›|]\s*", _text(element)) if p]
            trail = parts if len(parts) >= len(links) or not links else links
            trail = [t for t in dict.fromkeys(trail) if len(t) < 60]
            if trail:
                return trail
    return _trail_above_headline(tree)


def _trail_above_headline(tree: html.HtmlElement) -> list[str]:
    """A short run of links separated by "/", ">" or "»" just before the ``<h1>``."""
    for h1 in tree.iter("h1"):
        node = h1.getprevious()
        while node is not None and not _text(node):
            node = node.getprevious()
        if node is None or len(_text(node)) > 120 or node.find(".//a") is None:
            return []
        parts = [p for p in TRAIL_SEPARATOR.split(_text(node)) if p]
        return parts if 2 <= len(parts) <= 6 and all(len(p) < 60 for p in parts) else []
    return []


def page_language(tree: html.HtmlElement) -> str:
    lang = (tree.get("lang") or tree.get("xml:lang") or "").strip()
    return lang.split("-")[0].split("_")[0].lower() if lang else ""


def time_element(tree: html.HtmlElement) -> str:
    for element in tree.iter("time"):
        value = element.get("datetime") or ""
        if value.strip():
            return value.strip()
    return ""


def _names(element: html.HtmlElement) -> str:
    return " ".join(element.get(a, "") for a in NAME_ATTRIBUTES)


def _standfirst_in(element: html.HtmlElement, first: bool) -> str:
    """A standfirst in ``element``: an element named like one, or (``first``: the block right
    after the headline) a bare ``<h2>``/``<p>`` of sentence length."""
    for node in element.iter():
        if not isinstance(node.tag, str):
            continue
        names = _names(node)
        named = STANDFIRST_NAMES.search(names) and not NOT_STANDFIRST.search(names)
        if named or (first and node is element and node.tag in ("h2", "p")):
            text = _text(node)
            linked = sum(len(_text(a)) for a in node.iter("a"))
            if STANDFIRST_LENGTH[0] <= len(text) <= STANDFIRST_LENGTH[1] and linked < len(text) / 2:
                return text
    return ""


def standfirst(tree: html.HtmlElement, container: html.HtmlElement | None) -> str:
    """The standfirst shown between the headline and the body ("" when none is found)."""
    h1 = next((h for h in tree.iter("h1") if _text(h)), None)
    if h1 is None or container is None:
        return ""
    node: html.HtmlElement | None = h1
    around = {container, *container.iterancestors()}
    for _ in range(MAX_STANDFIRST_DEPTH):
        if node is None or node in around:
            break
        for position, sibling in enumerate(s for s in node.itersiblings() if _text(s)):
            if sibling in around or container in sibling.iterancestors():
                return ""  # reached the body
            found = _standfirst_in(sibling, first=node is h1 and position == 0)
            if found:
                return found
        node = node.getparent()
    return ""
