"""Redirects of site requests, judged by origin (scheme, host and port): one to a domain of
the site is followed, one anywhere else (another port or scheme of the same host included)
is an off-site redirect, and one that comes back to a URL already visited, or goes on longer
than ``REDIRECT_MAX_TIMES``, is a redirect loop."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from scrapy import Request

from newscrawl.classify import OFFSITE_REDIRECT
from newscrawl.discovery.urls import checked_url
from newscrawl.sites import Site

logger = logging.getLogger("newscrawl.failover.middleware")

REDIRECT_LOOP = "redirect_loop"
"""Failure class of a redirect chain that loops (or never ends), per origin."""
DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin_key(url: str) -> tuple[str, str, int] | None:
    """(scheme, host without ``www.``, port with the scheme's default filled in)."""
    try:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        port = parts.port or DEFAULT_PORTS.get(scheme, 0)
    except ValueError:
        return None
    return scheme, (parts.hostname or "").lower().removeprefix("www."), port


def site_origin(site: Site, url: str) -> str | None:
    """The domain of ``site`` that ``url`` is on (same scheme, host with or without ``www.``,
    and port), or None: the same host on another port or scheme is another origin."""
    key = _origin_key(url)
    if key is None:
        return None
    return next((origin for origin in site.domains if _origin_key(origin) == key), None)


def is_robots(request: Request) -> bool:
    """Is ``request`` for robots.txt (itself, or where its redirects led)?"""
    first = request.meta.get("redirect_urls") or [request.url]
    return urlsplit(first[0]).path == "/robots.txt"


def redirect_failure(site: Site, request: Request, location: str, base_url: str,
                     max_redirects: int) -> tuple[str | None, str]:
    """(failure class or None, absolute target) of the redirect of ``request`` to ``location``."""
    target = checked_url(base_url, location)
    if target is None or site_origin(site, target) is None:
        return OFFSITE_REDIRECT, target or location
    hops = [*request.meta.get("redirect_urls", ()), request.url]
    if target in hops or len(hops) > max_redirects:
        shown = " -> ".join(urlsplit(hop).path or "/" for hop in [*hops, target])
        logger.info("redirect loop on %s: %s (%s)", urlsplit(hops[0]).netloc, shown, REDIRECT_LOOP)
        return REDIRECT_LOOP, target
    return None, target
