"""Probe one domain of a site: the home page and one section page, classified with the
crawler's classifier, all within one timeout; many domains are probed concurrently."""

from __future__ import annotations

import asyncio
import ssl
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import cast

from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    retry_if_result,
    stop_after_attempt,
    wait_exponential,
)

from newscrawl.classify import OFFSITE_REDIRECT, HeaderMap, Observation, classify_response
from newscrawl.monitor import http
from newscrawl.monitor.config import MonitorConfig
from newscrawl.monitor.failures import PROBE_ERRORS, class_of_error, describe, is_transient
from newscrawl.monitor.redirects import redirect_target, stays_on_site
from newscrawl.monitor.result import OK, ProbeResult
from newscrawl.sites import Site

MAX_REDIRECTS = 5
REDIRECT_CODES = frozenset((301, 302, 303, 307, 308))


@dataclass(frozen=True)
class Page:
    """The last response of a page fetch; redirects followed (up to 5) while they stay on one
    of the site's origins (``redirects``); one that leaves them is not followed (``left``)."""

    observation: Observation
    truncated: bool = False
    """The body went on past ``max_body`` (decoded): the page was judged on its start."""
    left: bool = False
    """The last response redirects to an origin that is not the site's: ``offsite_redirect``."""

    @property
    def final_url(self) -> str:
        """Where the fetch ended, or was sent to (an unfollowed redirect's target)."""
        obs = self.observation
        location = obs.headers.first("location")
        return redirect_target(obs.url, location) if obs.status in REDIRECT_CODES and location else obs.url

    @property
    def redirects(self) -> int:
        return len(self.observation.redirect_urls) + (self.final_url != self.observation.url)


def page_paths(site: Site) -> tuple[str, ...]:
    """The home page, then one section (or feed, or sitemap) of the site."""
    known = (*site.sections, *site.feeds, *site.sitemaps)
    return ("/", known[0]) if known else ("/",)


async def fetch_page(site: Site, url: str, tracker: http.Tracker, config: MonitorConfig,
                     tls: ssl.SSLContext) -> Page:
    """GET ``url`` following redirects while they stay on the site's origins (at most 5)."""
    hops: list[str] = []
    left = False
    response = await http.get(url, tracker, config.pins, tls, config.max_body)
    while (response.status in REDIRECT_CODES and "location" in response.headers
           and len(hops) < MAX_REDIRECTS):
        target = redirect_target(response.url, response.headers["location"])
        left = not stays_on_site(site, target)
        if left:
            break
        hops.append(response.url)
        response = await http.get(target, tracker, config.pins, tls, config.max_body)
    observation = Observation(url=response.url, status=response.status, body=response.body,
                              headers=HeaderMap.from_dict(response.headers),
                              redirect_urls=tuple(hops))
    return Page(observation, truncated=response.truncated, left=left)


def _server_error(page: Page) -> bool:
    return page.observation.status >= 500


def _last_outcome(state: RetryCallState) -> Page:
    assert state.outcome is not None
    return cast(Page, state.outcome.result())


async def fetch_with_retries(site: Site, url: str, tracker: http.Tracker, config: MonitorConfig,
                             tls: ssl.SSLContext) -> Page:
    """``fetch_page`` retried on transient errors and 5xx (tenacity: bounded, exponential);
    when attempts run out, the last page is returned or the last error raised."""
    retrying = AsyncRetrying(
        stop=stop_after_attempt(config.attempts),
        wait=wait_exponential(multiplier=config.retry_wait, max=config.timeout / 4),
        retry=retry_if_exception(is_transient) | retry_if_result(_server_error),
        retry_error_callback=_last_outcome)
    return cast(Page, await retrying(fetch_page, site, url, tracker, config, tls))


async def _probe_pages(site: Site, origin: str, tracker: http.Tracker, config: MonitorConfig,
                       tls: ssl.SSLContext) -> tuple[str, Page, str]:
    """The first failing page's class, page and URL; the home page when every page is ok."""
    pages: list[tuple[str, Page, str]] = []
    for path in page_paths(site):
        page = await fetch_with_retries(site, origin + path, tracker, config, tls)
        cls = OFFSITE_REDIRECT if page.left else classify_response(site, page.observation)
        pages.append((cls, page, origin + path))
        if pages[-1][0] != OK:
            return pages[-1]
    return pages[0]


async def probe_domain(site: Site, origin: str, config: MonitorConfig,
                       tls: ssl.SSLContext | None = None) -> ProbeResult:
    """Probe ``origin`` of ``site`` within ``config.timeout`` seconds; never raises for
    network failures: they become the result's class."""
    tracker, checked_at, started = http.Tracker(), datetime.now(UTC), time.monotonic()
    page: Page | None = None
    try:
        async with asyncio.timeout(config.timeout):
            cls, page, url = await _probe_pages(site, origin, tracker, config, tls or config.tls_context())
        detail = "" if cls == OK else f"{url}: HTTP {page.observation.status}"
        if page.truncated:  # a note, not a class: the page is judged on its first bytes
            detail = "; ".join(filter(None, (detail, f"body cut at {config.max_body} bytes")))
    except PROBE_ERRORS as exc:
        cls, detail = class_of_error(exc, tracker.stage), f"{tracker.stage}: {describe(exc)}"
    tracker.timings["total"] = time.monotonic() - started
    return _result(site, origin, cls, checked_at, tracker, page, detail)


def _result(site: Site, origin: str, cls: str, checked_at: datetime, tracker: http.Tracker,
            page: Page | None, detail: str) -> ProbeResult:
    obs = page.observation if page is not None else None
    return ProbeResult(
        site=site.name, domain=origin, cls=cls, checked_at=checked_at,
        http_status=obs.status if obs else None, title=obs.page_title if obs else "",
        final_url=page.final_url if page else "", redirects=page.redirects if page else 0,
        body_size=len(obs.body) if obs else 0, truncated=bool(page and page.truncated),
        addresses=tracker.addresses,
        tls_version=tracker.tls_version, cert_expires=tracker.cert_expires,
        timings=dict(tracker.timings), detail=detail)


async def probe_all(targets: Sequence[tuple[Site, str]], config: MonitorConfig) -> list[ProbeResult]:
    """Probe every (site, origin) concurrently (at most ``config.concurrency`` at once)."""
    gate, tls = asyncio.Semaphore(config.concurrency), config.tls_context()

    async def one(site: Site, origin: str) -> ProbeResult:
        async with gate:
            return await probe_domain(site, origin, config, tls)

    return list(await asyncio.gather(*(one(site, origin) for site, origin in targets)))
