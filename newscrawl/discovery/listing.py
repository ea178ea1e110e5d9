"""Section listing pages: article links and the link to the next page."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from parsel import Selector

from newscrawl.sites.model import Site

# Where "next page" links live on real sites, most specific first.
NEXT_PAGE_SELECTORS = (
    "link[rel~=next]::attr(href)",
    "a[rel~=next]::attr(href)",
    "li.next > a::attr(href)",
    "a.next::attr(href)",
    ".pagination .next a::attr(href)",
    ".pager-next a::attr(href)",
)
NEXT_PAGE_TEXT = re.compile(r"^\s*(next( page)?|older( posts| articles)?|more)\s*[»›>→]*\s*$|^[»›]$",
                            re.IGNORECASE)


def article_links(selector: Selector, base_url: str, site: Site) -> list[str]:
    """Absolute URLs of every link on the page that points at an article of ``site``, in order."""
    found: list[str] = []
    seen: set[str] = set()
    for href in selector.xpath("//a/@href").getall():
        href = href.strip()
        if not href or href.startswith(("javascript:", "mailto:", "#")):
            continue
        url = urljoin(base_url, href)
        if url not in seen and site.is_article(url):
            seen.add(url)
            found.append(url)
    return found


def next_page_url(selector: Selector, base_url: str, site: Site) -> str | None:
    """The on-site URL of the next listing page, from markup (rel=next, .next, "Next" text)."""

    for css in NEXT_PAGE_SELECTORS:
        href = selector.css(css).get()
        if href and href.strip():
            url = urljoin(base_url, href.strip())
            if site.owns(url) and url != base_url:
                return url
    for anchor in selector.xpath("//a[@href]"):
        text = " ".join(anchor.xpath(".//text()").getall())
        if NEXT_PAGE_TEXT.match(text):
            url = urljoin(base_url, anchor.attrib["href"].strip())
            if site.owns(url) and url != base_url and not site.is_article(url):
                return url
    return None
