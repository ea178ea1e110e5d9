"""Editorial images: the lead image and in-body images with caption, credit and alt.

Lazy loading is resolved (``data-src`` and kin, the largest ``srcset`` candidate, a
``<noscript>`` fallback); logos, icons, avatars and thumbnails of related articles are not
editorial. A caption is a ``figcaption``, else the short text right after the image."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from lxml import html

from newscrawl.extract.boilerplate import SKIP_TAGS, marked, text_of
from newscrawl.extract.credits import clean_credit, split_credit
from newscrawl.items import Image

LAZY_ATTRIBUTES = ("data-src", "data-original", "data-lazy-src", "data-lazy", "data-url", "data-full-src")
NOT_EDITORIAL = re.compile(r"logo|icon|avatar|sprite|spacer|pixel|badge|emoji|placeholder|blank\.gif",
                           re.IGNORECASE)
CREDIT_CLASSES = re.compile(r"credit|copyright|byline|source|author|photographer|rights|fotograf|quelle",
                            re.IGNORECASE)
CAPTION_CLASSES = re.compile(r"caption|legend|bildunterschrift|beschreibung|description|desc\b|subtitle",
                             re.IGNORECASE)
MAX_CAPTION = 600  # characters: longer text next to an image is body, not a caption
MAX_CREDIT = 80
MAX_WRAPPER_DEPTH = 3
FURNITURE = SKIP_TAGS - {"figure", "figcaption", "noscript"}


def _largest_srcset(srcset: str) -> str:
    best, best_size = "", -1.0
    for candidate in srcset.split(","):
        parts = candidate.strip().split()
        if not parts:
            continue
        size = float(re.sub(r"[^\d.]", "", parts[1]) or 0) if len(parts) > 1 else 0.0
        if size > best_size:
            best, best_size = parts[0], size
    return best


def image_url(img: html.HtmlElement, base: str) -> str:
    """The real source of an ``img``, lazy-loading resolved; '' for none or a data: URI."""
    for attribute in LAZY_ATTRIBUTES:
        if img.get(attribute, "").strip():
            return urljoin(base, img.get(attribute).strip())
    srcset = img.get("data-srcset") or img.get("srcset") or ""
    source = _largest_srcset(srcset) if srcset else ""
    source = source or img.get("src", "").strip()
    return "" if not source or source.startswith("data:") else urljoin(base, source)


def _furniture(element: html.HtmlElement, stop: html.HtmlElement) -> bool:
    node: html.HtmlElement | None = element
    while node is not None and node is not stop:
        marks = f"{node.get('class', '')} {node.get('id', '')}"
        if node.tag in FURNITURE or (marked(node) and not re.search(r"caption|credit", marks, re.IGNORECASE)):
            return True
        node = node.getparent()
    return False


def _credit_element(box: html.HtmlElement, caption: html.HtmlElement | None) -> html.HtmlElement | None:
    """A credit of its own: an element named like one, a ``<footer>``/``<cite>``/``<small>`` of
    the figure, or the short last child of the caption ("... <span>IMAGO/Nico Herbertz</span>")."""
    for element in box.iter():
        if element is box or not isinstance(element.tag, str):
            continue
        named = CREDIT_CLASSES.search(f"{element.get('class', '')} {element.get('id', '')}")
        if (named or element.tag in ("footer", "cite", "small")) and 1 < len(text_of(element)) <= MAX_CREDIT:
            return element
    if caption is not None and len(caption):
        last = caption[-1]
        tail = (last.tail or "").strip()
        if last.tag in ("span", "em", "i", "small", "b", "strong") and not tail \
                and 1 < len(text_of(last)) <= MAX_CREDIT and text_of(last) != text_of(caption):
            return last
    return None


def _caption_box(img: html.HtmlElement) -> tuple[html.HtmlElement | None, html.HtmlElement | None]:
    """(the box holding image and caption, the caption element) for an image."""
    figure = next(img.iterancestors("figure"), None)
    if figure is not None:
        caption = next(figure.iter("figcaption"), None)  # an element without children is falsy
        return figure, caption if caption is not None else _named_caption(figure)
    node = img
    for _ in range(MAX_WRAPPER_DEPTH):
        parent = node.getparent()
        if parent is None:
            break
        for sibling in node.itersiblings():
            if sibling.tag in ("img", "noscript", "picture", "script", "button", "source"):
                continue
            text = text_of(sibling)
            if not text:
                continue
            if 3 <= len(text) <= MAX_CAPTION and (sibling.tag not in ("p", "h1", "h2", "h3")
                                                   or CAPTION_CLASSES.search(sibling.get("class", ""))
                                                   or parent.tag != "div" or len(parent) <= 3):
                return parent, sibling
            break
        if len(text_of(parent)) > MAX_CAPTION:
            break
        node = parent
    return None, None


def _named_caption(box: html.HtmlElement) -> html.HtmlElement | None:
    for element in box.iter():
        if element is not box and isinstance(element.tag, str) \
                and CAPTION_CLASSES.search(f"{element.get('class', '')} {element.get('id', '')}"):
            return element
    return None


def _caption_after(img: html.HtmlElement) -> tuple[str, str]:
    """Caption and credit of an image: figure/figcaption, a caption-named element, or the short
    text right after the image (or after its wrapper); the credit split out of it."""
    box, caption = _caption_box(img)
    if box is None:
        return "", ""
    credit_element = _credit_element(box, caption)
    credit = text_of(credit_element) if credit_element is not None else ""
    text = text_of(caption) if caption is not None else ""
    if credit and credit in text:
        text = text.replace(credit, "").strip()
    if credit:
        return split_credit(text)[0] if split_credit(text)[1] == credit else text, clean_credit(credit)
    return split_credit(text)


def extract_images(region: html.HtmlElement, base: str, lead: dict[str, str] | None = None) -> list[Image]:
    """Editorial images in ``region`` (the article's part of the page), in order; the
    structured-data ``lead`` image only when the page itself shows none."""
    images: list[Image] = []
    seen: set[str] = set()
    for img in region.iter("img"):
        url = image_url(img, base)
        if not url or url in seen or _furniture(img, region) or NOT_EDITORIAL.search(url):
            continue
        width = img.get("width", "")
        if width.isdigit() and int(width) < 100:
            continue
        caption, credit = _caption_after(img)
        seen.add(url)
        images.append(Image(url=url, caption=caption, credit=credit, alt=(img.get("alt") or "").strip()))
    if lead and lead.get("url") and not images:  # the page shows no image: the declared one
        url = urljoin(base, lead["url"])
        if not NOT_EDITORIAL.search(url):
            caption, credit = split_credit(lead.get("caption", ""))
            images.insert(0, Image(url=url, caption=caption, credit=lead.get("credit") or credit, alt=""))
    return images
