"""What the markup declares about a picture, whatever its layout: a figure by role or custom
element (``role="figure"``, ``<image-figure>``), microdata (``itemprop="caption"``,
``copyrightHolder``), ``aria-describedby``/``aria-labelledby`` and data attributes
(``data-caption``, ``data-credit``) on the image or the boxes holding it. These hold across
publishers: they are what the page says a caption is, not a guess from where text sits."""

from __future__ import annotations

import contextlib
import re

from lxml import html

from newscrawl.extract.boilerplate import text_of

FIGURE_TAG = re.compile(r"figure|image|img|photo|picture|media")  # of a custom element ("<x-image-block>")
CAPTION_TAG = re.compile(r"caption|legend")
CAPTION_PROPS = ("caption", "description")
CREDIT_PROPS = ("copyrightHolder", "creditText", "copyrightNotice", "author", "creator")
CAPTION_DATA = ("data-caption", "data-description", "data-legend", "data-image-caption", "data-title-caption")
CREDIT_DATA = ("data-credit", "data-copyright", "data-photographer", "data-image-credit", "data-credits",
               "data-author")
MAX_LEVELS = 4  # how far above the image a declaration still speaks for it
MAX_DECLARED = 600
MAX_CREDIT = 160


def figure_like(element: html.HtmlElement) -> bool:
    """A ``<figure>``, an element with ``role="figure"``, or a custom element named for pictures."""
    tag = element.tag if isinstance(element.tag, str) else ""
    return tag == "figure" or element.get("role") == "figure" or bool(
        "-" in tag and not tag.startswith("amp-") and FIGURE_TAG.search(tag))  # amp-img is the picture


def figure_of(img: html.HtmlElement) -> html.HtmlElement | None:
    return next((a for a in img.iterancestors() if figure_like(a)), None)


def caption_child(figure: html.HtmlElement) -> html.HtmlElement | None:
    """A ``figcaption``, or a custom element / ``slot`` named for a caption, inside ``figure``."""
    for element in figure.iter():
        if not isinstance(element.tag, str) or element is figure:
            continue
        if element.tag == "figcaption" or element.get("slot") in ("caption", "figcaption") \
                or ("-" in element.tag and CAPTION_TAG.search(element.tag)):
            return element
    return None


def _levels(img: html.HtmlElement) -> list[html.HtmlElement]:
    """The image and the boxes around it that hold nothing else: no second picture, no more text
    than a caption (an article's ``aria-labelledby`` or ``data-author`` is not the picture's)."""
    nodes = [img]
    for ancestor in img.iterancestors():
        if len(nodes) > MAX_LEVELS or len(ancestor.text_content()) > MAX_DECLARED + 200 \
                or sum(1 for _ in ancestor.iter("img")) > 1:
            break
        nodes.append(ancestor)
    return nodes


def _prop_text(element: html.HtmlElement) -> str:
    value = element.get("content") or text_of(element)
    return " ".join(value.split())


def _microdata(img: html.HtmlElement) -> tuple[str, str]:
    """Caption and credit of the ``ImageObject`` holding the image (its own properties, not those
    of an article around it)."""
    scope = next((n for n in _levels(img) if n.get("itemscope") is not None
                  and "imageobject" in (n.get("itemtype") or "").lower()), None)
    if scope is None:
        return "", ""
    caption = credit = ""
    for element in scope.iter():
        prop = element.get("itemprop") if isinstance(element.tag, str) else None
        if not prop or element is scope:
            continue
        props = prop.split()
        if not caption and any(p in CAPTION_PROPS for p in props):
            caption = _prop_text(element)
        elif not credit and any(p in CREDIT_PROPS for p in props):
            credit = _prop_text(element)
    return caption, credit


def _described(img: html.HtmlElement) -> str:
    """The text of the element an ``aria-describedby`` (or ``aria-labelledby``) names."""
    root = img.getroottree().getroot()
    for node in _levels(img):
        for attribute in ("aria-describedby", "aria-labelledby"):
            for ident in (node.get(attribute) or "").split():
                found = root.xpath("//*[@id=$i]", i=ident)
                if found and found[0] is not node and img not in found[0].iter():
                    text = text_of(found[0])
                    if text:
                        return text
    return ""


def _data(img: html.HtmlElement, names: tuple[str, ...]) -> str:
    for node in _levels(img):
        for name in names:
            value = (node.get(name) or "").strip()
            if value:
                return plain(value)
    return ""


def plain(value: str) -> str:
    """Text of an attribute that may hold markup ("<p>A fire.</p>")."""
    if "<" in value:
        with contextlib.suppress(Exception):  # lxml refuses some fragments: keep the raw text
            value = html.fragment_fromstring(value, create_parent="div").text_content()
    return " ".join(value.split())


def declared(img: html.HtmlElement) -> tuple[str, str]:
    """(caption, credit) the markup declares for ``img``; '' for each it does not."""
    caption, credit = _microdata(img)
    caption = caption or _described(img) or _data(img, CAPTION_DATA)
    credit = credit or _data(img, CREDIT_DATA)
    return caption if len(caption) <= MAX_DECLARED else "", credit if len(credit) <= MAX_CREDIT else ""
