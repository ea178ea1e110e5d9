"""Where an ``img`` really loads its picture from: lazy-loading attributes (``data-src`` and kin,
any other ``data-...src`` a gallery uses), the largest ``srcset`` candidate, else ``src``."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from lxml import html

__all__ = ["IMAGE_FILE", "image_url", "join_url"]

LAZY_ATTRIBUTES = ("data-src", "data-original", "data-lazy-src", "data-lazy", "data-url", "data-full-src")
IMAGE_FILE = re.compile(r"\.(?:jpe?g|png|gif|webp|avif)(?:\?|$)", re.IGNORECASE)
SRCSET_SEPARATOR = re.compile(r",\s+|(?<=\d[wx]),")
DESCRIPTOR = re.compile(r"\d*\.?\d+")  # "1.5x" -> 1.5; "1.5.0x" (broken) -> 1.5


def join_url(base: str, link: str) -> str:
    """``link`` made absolute; '' when it cannot be a URL ("http://[::1/x": a broken IPv6 host)."""
    try:
        url = urljoin(base, link)
        urlsplit(url).hostname  # noqa: B018 - raises for a malformed host
    except ValueError:
        return ""
    return url


def _largest_srcset(srcset: str) -> str:
    best, best_size = "", -1.0
    for candidate in SRCSET_SEPARATOR.split(srcset):  # URLs may hold commas ("w_120,c_limit")
        parts = candidate.strip().split()
        if not parts:
            continue
        number = DESCRIPTOR.search(parts[1]) if len(parts) > 1 else None
        size = float(number.group(0)) if number else 0.0
        if size > best_size:
            best, best_size = parts[0], size
    return best


def _lazy_source(img: html.HtmlElement) -> str:
    """A picture URL in any other ``data-...src`` attribute (``data-lazyimage-src``,
    ``data-flickity-lazyload-src``): a gallery's or a lazy loader's own name for it."""
    for name, value in img.attrib.items():
        if name.startswith("data-") and name.endswith("src") and IMAGE_FILE.search(value.strip()):
            return value.strip()
    return ""


def image_url(img: html.HtmlElement, base: str) -> str:
    """The real source of an ``img``, lazy-loading resolved; '' for none or a data: URI."""
    for attribute in LAZY_ATTRIBUTES:
        if img.get(attribute, "").strip():
            return join_url(base, img.get(attribute).strip())
    srcset = img.get("data-srcset") or img.get("data-lazy-srcset") or img.get("srcset") or ""
    source = _largest_srcset(srcset) if srcset else ""
    source = source or _lazy_source(img) or img.get("src", "").strip()
    return "" if not source or source.startswith("data:") else join_url(base, source)
