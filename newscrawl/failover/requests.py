"""What failover writes on a request: the meta keys it keeps across domains, and the request
moved to another domain, following a redirect, or marked as failed on one."""

from __future__ import annotations

from scrapy import Request

from newscrawl.failover.meta import (
    CLASSES,
    HEDGE_AFTER,
    HEDGE_FIRST_ERROR,
    HEDGE_LATENCY,
    HEDGE_PASSED,
    HEDGE_URL,
    HEDGE_WON,
    MAY_NOT_EXIST,
    MISSING,
    ORIGINAL,
    TRIED,
)
from newscrawl.sites import Site

__all__ = ["CLASSES", "DROP_ON_FOLLOW", "DROP_ON_REISSUE", "MAY_NOT_EXIST", "MISSING", "ORIGINAL", "TRIED",
           "followed", "marked_failed", "reissued"]
DROP_ON_REISSUE = ("redirect_urls", "redirect_times", "redirect_ttl", "redirect_reasons",
                   "download_slot", "download_latency", "_slot_proxy",
                   HEDGE_URL, HEDGE_AFTER, HEDGE_WON, HEDGE_FIRST_ERROR, HEDGE_LATENCY, HEDGE_PASSED)
DROP_ON_FOLLOW = (HEDGE_URL, HEDGE_AFTER, HEDGE_WON, HEDGE_FIRST_ERROR, HEDGE_PASSED, "download_slot")


def reissued(request: Request, site: Site, origin: str) -> Request:
    """The request sent to ``origin`` instead (the path it was first asked for, its callback
    and meta), not filtered as a duplicate; what the last download left in its meta is dropped."""
    meta = {k: v for k, v in request.meta.items() if k not in DROP_ON_REISSUE}
    # a redirect it was following is the old domain's answer: the mirror is asked for the page
    # the crawl asked for, the chain's first URL (not a loop's /loop, say)
    meta.setdefault(ORIGINAL, (request.meta.get("redirect_urls") or [request.url])[0])
    return request.replace(url=site.on_domain(meta[ORIGINAL], origin), meta=meta, dont_filter=True)


def followed(request: Request, location: str) -> Request:
    """The request following an on-site redirect to ``location`` (failover follows redirects
    itself, so an off-site one or a loop fails over before Scrapy's duplicate filter drops
    it; see ``newscrawl.failover.redirects``)."""
    hops = [*request.meta.get("redirect_urls", ()), request.url]
    meta = {k: v for k, v in request.meta.items() if k not in DROP_ON_FOLLOW}
    meta["redirect_urls"] = hops
    return request.replace(url=location, meta=meta, dont_filter=True)


def marked_failed(request: Request, origin: str, result: str, url: str) -> Request:
    """The request back on its original URL, remembering that ``origin`` failed with ``result``."""
    tried = [*request.meta.get(TRIED, ()), origin]
    classes = {**request.meta.get(CLASSES, {}), origin: result}
    original = request.meta.get(ORIGINAL, url)
    return request.replace(url=original, meta={**request.meta, TRIED: tried, CLASSES: classes,
                                               ORIGINAL: original})
