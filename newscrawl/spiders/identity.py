"""An article's identity: the page's own ``rel=canonical`` when it names an article of the
site, else the URL it was fetched at; either mapped to the primary domain, without tracking
parameters or fragment. A malformed canonical is counted and passed over."""

from __future__ import annotations

import re

from scrapy.http import Response

from newscrawl.dedup.urls import normalize_url
from newscrawl.discovery import checked_url
from newscrawl.sites import Site
from newscrawl.spiders.discovered import DiscoveryLedger

CANONICAL_LINK = re.compile(
    rb"""<link\b[^>]*\brel\s*=\s*["']?canonical\b[^>]*>""", re.IGNORECASE)
HREF = re.compile(rb"""\bhref\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
HEAD_BYTES = 65536


def canonical_url(response: Response, site: Site, ledger: DiscoveryLedger) -> str:
    """The canonical URL of the article page ``response``."""
    for tag in CANONICAL_LINK.findall(response.body[:HEAD_BYTES]):
        href = HREF.search(tag)
        if href:
            raw = href.group(1).decode("utf-8", "replace")
            url = checked_url(response.url, raw)
            if url is None:
                ledger.bad_canonical(response.url, raw)
            elif site.is_article(url):
                return normalize_url(url, site)
    return normalize_url(response.request.url if response.request else response.url, site)
