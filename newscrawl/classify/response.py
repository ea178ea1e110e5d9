"""Classify a complete HTTP response for one site: ok, or which kind of failure."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from newscrawl.classify.classes import (
    CONTENT_MISMATCH,
    HTTP_4XX,
    HTTP_5XX,
    OFFSITE_REDIRECT,
    OK,
)
from newscrawl.classify.fingerprints import Fingerprints, load_fingerprints
from newscrawl.classify.observation import BODY_LIMIT, Observation
from newscrawl.sites.model import Site


def classify_response(
    site: Site,
    obs: Observation,
    *,
    expect_content: bool = True,
    fingerprints: Fingerprints | None = None,
) -> str:
    """The class of ``obs`` as a response of ``site``, checked in this order: offsite redirect,
    soft-failure fingerprints (any status), 5xx, 4xx, 200 without any of the site's
    ``expected_markers`` (only when the site declares some and ``expect_content``), else ok.
    ``fingerprints`` defaults to the built-in set."""
    if is_offsite_redirect(site, obs):
        return OFFSITE_REDIRECT
    matched = (fingerprints if fingerprints is not None else load_fingerprints()).match(obs)
    if matched is not None:
        return matched.cls
    if obs.status >= 500:
        return HTTP_5XX
    if obs.status >= 400:
        return HTTP_4XX
    if obs.status == 200 and expect_content and site.expected_markers and not has_marker(site, obs):
        return CONTENT_MISMATCH
    return OK


def landing_urls(obs: Observation) -> list[str]:
    """URLs the request was sent on to: every redirect hop after the requested URL, the final
    URL, and an unfollowed 3xx ``Location``."""
    urls = [*obs.redirect_urls[1:], obs.url]
    location = obs.headers.first("location")
    if 300 <= obs.status < 400 and location:
        try:
            urls.append(urljoin(obs.url, location))
        except ValueError:  # a Location no request can be made of leads nowhere on the site
            urls.append(location)
    return urls


def _host(url: str) -> str:
    """The lower-case host of ``url``; empty for a URL that does not parse."""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def is_offsite_redirect(site: Site, obs: Observation) -> bool:
    """True when a redirect led to a host that is neither the site's nor the requested one."""
    requested = _host(obs.requested_url)
    return any(
        (not _host(url) or _host(url) not in site.hosts) and _host(url) != requested
        for url in landing_urls(obs)
    )


def has_marker(site: Site, obs: Observation) -> bool:
    """True when the whole body contains one of the site's expected markers (case-insensitive)."""
    markers = [marker.casefold() for marker in site.expected_markers]
    if any(marker in obs.folded("body") for marker in markers):
        return True
    if len(obs.body) <= BODY_LIMIT:
        return False
    text = obs.full_text().casefold()
    return any(marker in text for marker in markers)
