"""Editorial images: the lead image and in-body images with caption, credit and alt.

Lazy loading is resolved (``data-src`` and kin, the largest ``srcset`` candidate, a
``<noscript>`` fallback); logos, icons, avatars and thumbnails of related articles are not
editorial. A caption is a ``figcaption``, else the short text right after the image."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from lxml import html

from newscrawl.extract.boilerplate import SKIP_TAGS, marked
from newscrawl.extract.captions import caption_and_credit
from newscrawl.extract.credits import split_credit
from newscrawl.items import Image

LAZY_ATTRIBUTES = ("data-src", "data-original", "data-lazy-src", "data-lazy", "data-url", "data-full-src")
NOT_EDITORIAL = re.compile(r"logo|icon|avatar|sprite|spacer|pixel|badge|emoji|placeholder|blank\.gif",
                           re.IGNORECASE)
IMAGE_FILE = re.compile(r"\.(?:jpe?g|png|gif|webp|avif)(?:\?|$)", re.IGNORECASE)
MEDIA_NAMES = re.compile(r"image|img|photo|picture|figure|media|gallery|caption|credit|slide|carousel",
                         re.IGNORECASE)
WRAPPER_SHARE = 0.5
FURNITURE = SKIP_TAGS - {"figure", "figcaption", "noscript", "button"}  # a button: click to enlarge
IMAGE_FURNITURE = re.compile(r"author|autor|profile|avatar|\bjobs?\b|career|newsletter|promo",
                             re.IGNORECASE)  # pictures of people writing, of ads
PLAYER_NAMES = re.compile(r"video|player", re.IGNORECASE)  # a poster frame is not an editorial image
SRCSET_SEPARATOR = re.compile(r",\s+|(?<=\d[wx]),")


def _largest_srcset(srcset: str) -> str:
    best, best_size = "", -1.0
    for candidate in SRCSET_SEPARATOR.split(srcset):  # URLs may hold commas ("w_120,c_limit")
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


def _wrapper(node: html.HtmlElement, page_text: int, sizes: dict[html.HtmlElement, int]) -> bool:
    if node not in sizes:
        sizes[node] = len(node.text_content())
    return sizes[node] >= WRAPPER_SHARE * page_text


def _furniture(img: html.HtmlElement, stop: html.HtmlElement, page_text: int,
               sizes: dict[html.HtmlElement, int]) -> bool:
    """Inside navigation, a share bar, related links, a video player...? Boxes named for media are
    not furniture, nor a box holding most of the page's text (a wrapper with an unlucky name), nor
    a player whose picture has a caption of its own (a captioned video)."""
    figure = next(img.iterancestors("figure"), None)
    captioned = figure is not None and figure.find(".//figcaption") is not None
    for node in img.iterancestors():
        if node is stop:
            break
        names = f"{node.get('class', '')} {node.get('id', '')}"
        if node.tag in FURNITURE or IMAGE_FURNITURE.search(names) \
                or (PLAYER_NAMES.search(names) and not captioned):
            return True
        if marked(node) and not MEDIA_NAMES.search(names) and not _wrapper(node, page_text, sizes):
            return True
    return False


def _teaser(img: html.HtmlElement, page: str) -> bool:
    """A thumbnail linking to another page of the same site (a related article), not an image of
    this one; a picture linking elsewhere (a product, a source) or to its own file is editorial."""
    link = next(img.iterancestors("a"), None)
    if link is None or not link.get("href"):
        return False
    target = urljoin(page, link.get("href", "")).split("#")[0]
    same_site = urlsplit(target).hostname == urlsplit(page).hostname
    return same_site and target != page.split("#")[0] and not IMAGE_FILE.search(target)


def extract_images(region: html.HtmlElement, base: str, lead: dict[str, str] | None = None) -> list[Image]:
    """Editorial images in ``region`` (the article's part of the page), in order; the
    structured-data ``lead`` image only when the page itself shows none."""
    images: list[Image] = []
    seen: set[str] = set()
    page_text = len(region.text_content())
    sizes: dict[html.HtmlElement, int] = {}
    for img in region.iter("img", "amp-img"):
        url = image_url(img, base)
        if not url or url in seen or NOT_EDITORIAL.search(url) or _furniture(img, region, page_text, sizes)\
                or _teaser(img, base):
            continue
        width = img.get("width", "")
        if width.isdigit() and int(width) < 100:
            continue
        found = caption_and_credit(img)
        if found is None:
            continue  # a teaser of another article
        caption, credit = found
        seen.add(url)
        images.append(Image(url=url, caption=caption, credit=credit, alt=(img.get("alt") or "").strip()))
    if lead and lead.get("url") and not images:  # the page shows no image: the declared one
        url = urljoin(base, lead["url"])
        if not NOT_EDITORIAL.search(url):
            caption, credit = split_credit(lead.get("caption", ""))
            images.insert(0, Image(url=url, caption=caption, credit=lead.get("credit") or credit, alt=""))
    return images
