"""Section listing pages: article links and the link to the next page."""

from __future__ import annotations

import re

from parsel import Selector

from newscrawl.discovery.urls import checked_url, is_link
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


def article_links(selector: Selector, base_url: str, site: Site,
                  rejected: list[str] | None = None) -> list[str]:
    """Absolute URLs of every link on the page that points at an article of ``site``, in
    order. A malformed link is skipped (and added to ``rejected``), the others kept."""
    found: list[str] = []
    seen: set[str] = set()
    for href in selector.xpath("//a/@href").getall():
        if not is_link(href):
            continue
        url = checked_url(base_url, href)
        if url is None:
            if rejected is not None:
                rejected.append(href)
        elif url not in seen and site.is_article(url):
            seen.add(url)
            found.append(url)
    return found


def next_page_url(selector: Selector, base_url: str, site: Site) -> str | None:
    """The on-site URL of the next listing page, from markup (rel=next, .next, "Next" text)."""

    for css in NEXT_PAGE_SELECTORS:
        for href in selector.css(css).getall():
            url = checked_url(base_url, href) if is_link(href) else None
            if url and site.owns(url) and url != base_url:
                return url
    for anchor in selector.xpath("//a[@href]"):
        text = " ".join(anchor.xpath(".//text()").getall())
        if NEXT_PAGE_TEXT.match(text):
            url = checked_url(base_url, anchor.attrib["href"])
            if url and site.owns(url) and url != base_url and not site.is_article(url):
                return url
    return None
