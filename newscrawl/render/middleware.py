"""Which pages go through the browser: a downloader middleware, asked before a page is
downloaded and, by the spider, after its extraction.

Before (``process_request``, for requests the spider marks ``meta["newscrawl_render_page"]``:
articles and listings): a page of a site set to ``render = "always"``, or of a URL pattern
learned to need the browser (``patterns.py``), goes with ``meta["playwright"]``; deciding
at download time, not when the request is made, lets what was learned meanwhile count.
After (``follow_up``): a page
fetched plainly whose article body could not be extracted and that looks script-built
(``shell.py``) is requested again through the browser, a fresh request (no failover
bookkeeping of the plain one; failover and hedging apply to it as to any). A challenge page
(``soft_challenge``) is never rendered. Without a usable browser, or on a site set to
``never``, a shell is counted: on ``never`` it is stored with an empty body
(``sources["body"] = "app_shell"``); without a browser it is dropped, so a crawl that has
one fetches it. Stats: ``newscrawl/render/...``.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse

from newscrawl.classify import (
    SOFT_CHALLENGE,
    Fingerprints,
    Observation,
    classify_response,
    fingerprints_from_settings,
)
from newscrawl.items import Article
from newscrawl.render.config import RenderConfig
from newscrawl.render.meta import MORE, PAGE, REASON, RENDER
from newscrawl.render.patterns import PatternLearner
from newscrawl.render.shell import shell_reason, thin
from newscrawl.sites import Site

logger = logging.getLogger(__name__)

ALWAYS, LEARNED, NO_LINKS = "always", "learned", "no_links"
APP_SHELL = "app_shell"  # sources["body"] of a shell stored without its body
PREFIX = "newscrawl/render"


def rendered(response: Response) -> bool:
    """True when ``response`` came from the browser."""
    return "playwright" in response.flags


class RenderMiddleware:
    """The rendering decisions of one crawl (see the module docstring); the site is the
    spider's, known once it opens."""

    def __init__(self, config: RenderConfig, crawler: Crawler | None = None,
                 fingerprints: Fingerprints | None = None, site: Site | None = None):
        self.site, self.crawler, self.fingerprints = site, crawler, fingerprints
        self.config = config
        self.learner = PatternLearner(self.config.learn_after, self.config.recheck_every)
        self._unavailable: str | None = None  # found out at the first page that needs the browser
        self._told = False
        self._listings_with_links = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RenderMiddleware:
        middleware = cls(RenderConfig.from_settings(crawler.settings), crawler,
                         fingerprints_from_settings(crawler.settings))
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        return middleware

    def spider_opened(self, spider: Spider) -> None:
        self.site = getattr(spider, "site", None)

    def _count(self, key: str) -> None:
        if self.crawler is not None and self.crawler.stats is not None:
            self.crawler.stats.inc_value(f"{PREFIX}/{key}")

    def available(self) -> bool:
        """Can pages be rendered? The first time the answer is no, one line says why."""
        if self._unavailable is None:
            self._unavailable = "" if self.site is None or self.site.render != "never" else "never"
            if not self._unavailable:
                self._unavailable = self.config.unavailable()
        if self._unavailable and self._unavailable != "never" and not self._told:
            self._told = True
            logger.warning("pages of %s need a browser and cannot be rendered: %s (counted in "
                           "%s/unrendered/no_browser)", self.site.name if self.site else "the site",
                           self._unavailable, PREFIX)
        return not self._unavailable

    # --- before a request ---------------------------------------------------------------

    def process_request(self, request: Request) -> None:
        """A page (``meta["newscrawl_render_page"]``) goes through the browser when its site
        always renders or its URL pattern is learned; a recheck is counted. Decided once per
        request (a request failed over to a mirror keeps the decision)."""
        if not request.meta.get(PAGE) or REASON in request.meta or RENDER in request.meta:
            return
        request.meta[REASON] = ""
        if self.site is None or self.site.render == "never":
            return
        reason = ALWAYS if self.site.render == "always" else ""
        if not reason and self.learner.learned(request.url):
            reason = LEARNED if self.learner.straight(request.url) else ""
            if not reason:
                self._count("rechecked")
        if not reason:
            return
        if not self.available():
            self._count("unrendered/no_browser")
            return
        self._for_browser(request, reason)

    def _for_browser(self, request: Request, reason: str) -> Request:
        self._count(f"reason/{reason}")
        request.meta[RENDER] = True
        request.meta[REASON] = reason
        return request

    # --- after extraction ---------------------------------------------------------------

    def follow_up(self, response: Response, article: Article, callback: Any) -> Request | None:
        """After ``article`` was extracted from ``response``: the request that fetches the
        page again through the browser, or None (``article`` then goes on; an app shell that
        is not rendered loses its shell text, and on a ``never`` site is marked
        ``sources["body"] = "app_shell"``)."""
        article.rendered = rendered(response)
        if article.rendered:
            self._count("pages")
            if thin(article.body):
                self._count("no_body")
            elif response.meta.get(REASON) not in (ALWAYS, LEARNED):
                self.learner.needed_browser(response.url)
            return None
        if not thin(article.body):
            if self.learner.plain_sufficed(response.url):
                self._count("unlearned")
            return None
        reason = self.shell(response)
        if reason is None:
            return None
        if not self.available():  # the shell's text ("Loading…") is not the article's
            article.body = ""
            if self._unrendered() == "never":
                article.sources["body"] = APP_SHELL
            return None
        priority = response.request.priority + 1 if response.request else 0  # soon: learning
        return self._for_browser(Request(article.url, callback=callback, dont_filter=True,
                                         priority=priority), reason)

    def listing_follow_up(self, response: Response, found_links: bool, callback: Any,
                          cb_kwargs: dict[str, Any]) -> Request | None:
        """After a listing's links were read: the request that fetches it again through the
        browser (taking up to ``meta["newscrawl_render_more"]`` "load more" steps) when it had
        no article links and looks script-built, or is the first page of a section while
        other listings of the site had links (``no_links``); else None."""
        if rendered(response):
            self._count("listing_pages")
            return None
        if found_links:
            self._listings_with_links += 1
            return None
        reason = self.shell(response)
        if reason is None and cb_kwargs.get("page") == 1 and self._listings_with_links \
                and not self._challenge(response):
            reason = NO_LINKS
        if reason is None:
            return None
        if not self.available():
            self._unrendered()
            return None
        url = self.site.canonical(response.url) if self.site else response.url
        again = Request(url, callback=callback, cb_kwargs=cb_kwargs, dont_filter=True,
                        meta={PAGE: True, MORE: response.meta.get(MORE, 0)})
        return self._for_browser(again, reason)

    def _unrendered(self) -> str:
        """Count a page that needed the browser and did not get it; why (``never``, ``no_browser``)."""
        why = "never" if self._unavailable == "never" else "no_browser"
        self._count(f"unrendered/{why}")
        return why

    def shell(self, response: Response) -> str | None:
        """Why the plainly fetched ``response`` looks script-built, None when it does not or
        when it is a challenge page (counted: ``skipped/soft_challenge``)."""
        if not isinstance(response, TextResponse):
            return None
        reason = shell_reason(response.text)
        if reason is None or self._challenge(response):
            return None
        return reason

    def _challenge(self, response: Response) -> bool:
        if self.site is None or classify_response(self.site, Observation.from_scrapy(response),
                                                  fingerprints=self.fingerprints) != SOFT_CHALLENGE:
            return False
        self._count(f"skipped/{SOFT_CHALLENGE}")
        return True
