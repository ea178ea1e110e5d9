"""Mirror failover: a downloader middleware that moves a site's requests off failed domains.

Every response and download error of a site request is classified (``newscrawl.classify``).
A failure re-issues the request on the next healthy domain of the site (same path, callback
and meta); the circuit breaker keeps requests away from open domains before they are sent.
When every domain has failed, the request is recorded as pending in the store.
"""

from __future__ import annotations

from typing import Any

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

from newscrawl.classify import (
    HTTP_4XX,
    HTTP_TIMEOUT,
    OFFSITE_REDIRECT,
    OK,
    Fingerprints,
    Observation,
    classify_exception,
    classify_response,
    fingerprints_from_settings,
    is_failure,
)
from newscrawl.discovery.urls import checked_url
from newscrawl.failover.breaker import CircuitBreaker, State, Transition
from newscrawl.failover.config import FailoverConfig
from newscrawl.failover.hedging import (
    HEDGE_AFTER,
    HEDGE_FIRST_ERROR,
    HEDGE_LATENCY,
    HEDGE_URL,
    HEDGE_WON,
    LatencyTracker,
)
from newscrawl.failover.meta import DONT_FAILOVER, DONT_HEDGE
from newscrawl.failover.pending import PendingRecorder
from newscrawl.failover.redirects import is_robots, redirect_failure, site_origin
from newscrawl.failover.report import log_transition, write_domain_stats
from newscrawl.failover.requests import MAY_NOT_EXIST, MISSING, TRIED, followed, marked_failed, reissued
from newscrawl.monitor.history import down_domains
from newscrawl.sites import Site
from newscrawl.storeext import StoreExtension


class FailoverMiddleware:
    """Keeps a site's requests on healthy domains (``NEWSCRAWL_FAILOVER_*``; opt out per
    request with ``meta["dont_failover"]``, out of hedging with ``meta["dont_hedge"]``; every
    meta key in ``newscrawl.failover.meta``)."""

    def __init__(self, crawler: Crawler, config: FailoverConfig, fingerprints: Fingerprints):
        self.crawler = crawler
        self.config = config
        self.fingerprints = fingerprints
        self.site: Site | None = None
        self.latency = LatencyTracker(config.hedge_initial, config.hedge_min, config.hedge_max)
        self.breaker: CircuitBreaker | None = None
        self.pending: PendingRecorder | None = None
        self.store: StoreExtension | None = None  # found when the spider opens

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FailoverMiddleware:
        middleware = cls(crawler, FailoverConfig.from_settings(crawler.settings),
                         fingerprints_from_settings(crawler.settings))
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    @property
    def stats(self) -> Any:
        return self.crawler.stats

    async def spider_opened(self, spider: Spider) -> None:
        self.site = getattr(spider, "site", None)
        if self.site is None:
            return
        self.breaker = CircuitBreaker(self.site.domains, self.config.threshold,
                                      self.config.cooldown, self.config.instant_classes,
                                      on_transition=self._log_transition)
        self.store = self.crawler.get_extension(StoreExtension)
        self.pending = PendingRecorder(self.site, self.breaker, self.store, self.stats)
        if self.config.use_monitor and self.store is not None:
            await self._open_domains_the_monitor_saw_down()

    async def _open_domains_the_monitor_saw_down(self) -> None:
        assert self.site is not None and self.breaker is not None and self.store is not None
        site, max_age = self.site.name, self.config.monitor_max_age
        down = await self.store.call(lambda store: down_domains(store, site, max_age))
        for origin, failure_class in down.items():
            if self.breaker.force_open(origin, failure_class):
                self.stats.inc_value("failover/monitor_opened")

    # --- the three downloader hooks -------------------------------------------------

    def handles(self, request: Request) -> bool:
        return (self.site is not None and self.breaker is not None
                and not request.meta.get(DONT_FAILOVER)
                and (self.site.owns(request.url) or bool(request.meta.get(TRIED))
                     or bool(request.meta.get("redirect_urls"))))

    async def process_request(self, request: Request) -> Request | None:
        if not self.handles(request):
            return None
        assert self.site is not None and self.breaker is not None
        if request.meta.get("redirect_urls") and site_origin(self.site, request.url) is None:
            first = request.meta["redirect_urls"][0]  # a redirect that left the site's origins
            return await self._fail(request, self.site.origin_of(first), OFFSITE_REDIRECT, first)
        request.meta.setdefault("download_timeout", self.config.timeout)
        request.meta["dont_retry"] = True  # failover replaces retries on the same domain
        request.meta["dont_redirect"] = True  # redirects are followed here, off-site ones fail
        return await self.reroute(request)

    async def reroute(self, request: Request, only_if_open: bool = False) -> Request | None:
        """The request moved to the best usable domain when its own may not be used now
        (``only_if_open``: only when its domain is open); None when it may go as it is."""
        assert self.site is not None and self.breaker is not None
        origin = self.site.origin_of(request.url)
        if is_robots(request):  # per host by nature: never moved
            return None
        health = self.breaker.domains.get(origin)
        if only_if_open and (health is None or health.state is not State.OPEN):
            return None
        target = self.breaker.choose(origin, exclude=request.meta.get(TRIED, ()))
        if target is None:
            assert self.pending is not None
            await self.pending.give_up(request)
        elif target != origin:
            self.stats.inc_value("failover/rerouted")
            return reissued(request, self.site, target)
        return None

    def dispatch(self, request: Request) -> None:
        """Right before download: count the request and arm its hedge."""
        assert self.site is not None
        origin = self.site.origin_of(request.url)
        assert self.breaker is not None
        self.breaker.record_request(origin)
        self._arm_hedge(request, origin, request.meta.get(TRIED, ()))

    def _arm_hedge(self, request: Request, origin: str, tried: Any) -> None:
        """Name the mirror to ask if ``origin`` is slower than usual to answer."""
        assert self.site is not None and self.breaker is not None
        alternative = self.breaker.healthy(exclude=[origin, *tried])
        if self.config.hedge and alternative and not request.meta.get(DONT_HEDGE):
            request.meta[HEDGE_URL] = self.site.on_domain(request.url, alternative)
            request.meta[HEDGE_AFTER] = self.latency.delay

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        """Classify the response, record what it says of the domains, decide what follows."""
        if not self.handles(request):
            return response
        result, location = self._classify(request, response)
        origin = self._record_hedge(request, response)
        return await self._decide(request, response, origin, result, location)

    def _classify(self, request: Request, response: Response) -> tuple[str, str]:
        """The failure class of ``response`` (``ok`` when it is fine) and the redirect target."""
        assert self.site is not None
        is_page = b"html" in (response.headers.get(b"Content-Type") or b"html").lower()
        location = (response.headers.get(b"Location") or b"").decode("latin-1")
        if not 300 <= response.status < 400:
            location = ""
        if location and checked_url(response.url, location) is None:
            return OFFSITE_REDIRECT, location  # a Location no request can be made of: nothing to follow
        if request.meta.get(MAY_NOT_EXIST) and response.status in (404, 410):
            return OK, location  # a guessed page that does not exist: the domain answered correctly
        result = classify_response(self.site, Observation.from_scrapy(response),
                                   expect_content=is_page and not is_robots(request),
                                   fingerprints=self.fingerprints)
        return result, location

    def _record_hedge(self, request: Request, response: Response) -> str:
        """The origin that answered; when a hedge won, the slow (or failed) first domain is
        counted against and the mirror's request counted."""
        assert self.site is not None and self.breaker is not None
        origin = self.site.origin_of(request.url)
        if HEDGE_WON not in request.meta:
            return origin
        self.stats.inc_value("failover/hedge_won")
        first_error = request.meta.get(HEDGE_FIRST_ERROR)
        lost = classify_exception(first_error) if first_error else HTTP_TIMEOUT
        self._record_failure(origin, lost)
        if is_robots(request):  # its smallest page unanswered while a mirror answered: stop waiting on it
            self.breaker.force_open(origin, lost)
        origin = self.site.origin_of(response.url)
        self.breaker.record_request(origin)
        return origin

    async def _decide(self, request: Request, response: Response, origin: str, result: str,
                      location: str) -> Request | Response:
        """Pass the response on, follow its redirect, or fail over."""
        assert self.breaker is not None
        robots = is_robots(request)
        if robots and result != OK:  # robots.txt is not a page: a 404 is normal, others count
            if result != HTTP_4XX and is_failure(result):
                self._record_failure(origin, result)
            return response
        if (result == OK or not is_failure(result)) and location:
            return await self._redirect(request, response, origin, location, robots)
        if result == OK or not is_failure(result):
            self.breaker.record_success(origin)
            if HEDGE_LATENCY in request.meta:
                self.latency.add(float(request.meta[HEDGE_LATENCY]))
            elif "download_latency" in request.meta:
                self.latency.add(float(request.meta["download_latency"]))
            assert self.pending is not None
            await self.pending.resolve(request)
            return response
        if response.status in (404, 410):
            request.meta[MISSING] = [*request.meta.get(MISSING, ()), origin]
        return await self._fail(request, origin, result, request.url)

    async def process_exception(self, request: Request, exception: Exception) -> Request | None:
        if not self.handles(request) or isinstance(exception, IgnoreRequest):
            return None
        assert self.site is not None
        result = classify_exception(exception)
        if not is_failure(result):
            return None
        origin = self.site.origin_of(request.url)
        if is_robots(request):
            self._record_failure(origin, result)
            return None
        return await self._fail(request, origin, result, request.url)

    async def _redirect(self, request: Request, response: Response, origin: str, location: str,
                        robots: bool) -> Request | Response:
        """Follow a redirect to one of the site's domains; fail over from one to anywhere else
        (``offsite_redirect``) and from a loop (``redirect_loop``), never following either
        (robots.txt, per host by nature, is not moved: its redirect is its answer)."""
        assert self.site is not None and self.breaker is not None
        failure, target = redirect_failure(self.site, request, location, response.url,
                                           self.crawler.settings.getint("REDIRECT_MAX_TIMES"))
        if failure is not None and robots:
            self._record_failure(origin, failure)
            return response
        if failure is not None:
            first = [*request.meta.get("redirect_urls", ()), request.url][0]
            return await self._fail(request, origin, failure, first)
        self.breaker.record_success(origin)
        return followed(request, target)

    # --- failing over -----------------------------------------------------------------

    def _record_failure(self, origin: str, result: str) -> None:
        assert self.breaker is not None
        self.stats.inc_value(f"failover/reason_count/{result}")
        self.breaker.record_failure(origin, result)

    async def _fail(self, request: Request, origin: str, result: str, url: str) -> Request:
        """Record ``result`` for ``origin`` and re-issue the request on the next healthy
        domain; raises IgnoreRequest (after recording it as pending) when none is left."""
        assert self.breaker is not None and self.site is not None and self.pending is not None
        self._record_failure(origin, result)
        request = marked_failed(request, origin, result, url)
        target = self.breaker.choose(origin, exclude=request.meta[TRIED])
        if target is None:
            await self.pending.give_up(request)
        self.stats.inc_value("failover/count")
        return reissued(request, self.site, target)  # type: ignore[arg-type]

    # --- reporting ----------------------------------------------------------------------

    def _log_transition(self, transition: Transition) -> None:
        assert self.breaker is not None
        log_transition(self.breaker, self.stats, transition)

    def spider_closed(self, spider: Spider) -> None:
        if self.breaker is not None:
            write_domain_stats(self.breaker, self.stats)
