"""Editorial images: the lead image and in-body images with caption, credit and alt.

Lazy loading is resolved (``data-src`` and kin, the largest ``srcset`` candidate, a
``<noscript>`` fallback); logos, icons, avatars and thumbnails of related articles are not
editorial. A caption is a ``figcaption``, else the short text right after the image."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from lxml import html

from newscrawl.extract.boilerplate import SKIP_TAGS, marked
from newscrawl.extract.credits import split_credit
from newscrawl.items import Image

LAZY_ATTRIBUTES = ("data-src", "data-original", "data-lazy-src", "data-lazy", "data-url", "data-full-src")
NOT_EDITORIAL = re.compile(r"logo|icon|avatar|sprite|spacer|pixel|badge|emoji|placeholder|blank\.gif",
                           re.IGNORECASE)
CREDIT_CLASSES = re.compile(r"credit|copyright|byline|source", re.IGNORECASE)
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


def _caption_after(img: html.HtmlElement) -> tuple[str, str]:
    """Caption and separate credit element next to an image (or to its wrapper)."""
    node = img
    while node.getparent() is not None and node.getparent().tag in ("a", "picture", "span", "noscript"):
        node = node.getparent()
    figure = next((a for a in img.iterancestors("figure")), None)
    if figure is not None:
        credit = " ".join(" ".join(e.text_content().split()) for e in figure.iter()
                          if e is not figure and CREDIT_CLASSES.search(e.get("class", "")))
        caption = " ".join(" ".join(c.text_content().split()) for c in figure.iter("figcaption"))
        return caption.replace(credit, "").strip() if credit else caption, credit
    for sibling in node.itersiblings():
        if sibling.tag in ("img", "noscript", "picture", "script"):
            continue
        text = " ".join(sibling.text_content().split())
        if sibling.tag not in ("p", "h1", "h2", "h3") and 10 <= len(text) <= 500:
            return text, ""
        break
    return "", ""


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
        if not credit:
            caption, credit = split_credit(caption)
        seen.add(url)
        images.append(Image(url=url, caption=caption, credit=credit, alt=(img.get("alt") or "").strip()))
    if lead and lead.get("url") and not images:  # the page shows no image: the declared one
        url = urljoin(base, lead["url"])
        if not NOT_EDITORIAL.search(url):
            caption, credit = split_credit(lead.get("caption", ""))
            images.insert(0, Image(url=url, caption=caption, credit=lead.get("credit") or credit, alt=""))
    return images
