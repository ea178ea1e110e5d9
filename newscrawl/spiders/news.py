"""One generic spider, driven by a site definition: sections, feeds, sitemaps -> articles."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider
from scrapy.http import Response, TextResponse

from newscrawl.bounds import ArticleBudget, CrawlBounds, LocalBudget, parse_since
from newscrawl.decoding import header_encoding
from newscrawl.dedup.urls import normalize_url
from newscrawl.discovery import article_links, iter_feed, iter_sitemap, next_page_url
from newscrawl.extraction_pool import ExtractionPool
from newscrawl.failover.requests import MAY_NOT_EXIST
from newscrawl.items import Article
from newscrawl.render.config import use_render_handler
from newscrawl.render.meta import MORE, MORE_DONE, PAGE
from newscrawl.render.middleware import RenderMiddleware
from newscrawl.sites import Site, get_site
from newscrawl.spiders.backlog import ArticleBacklog
from newscrawl.spiders.discovered import DiscoveryLedger
from newscrawl.spiders.identity import canonical_url
from newscrawl.spiders.incremental import unstored
from newscrawl.storeext import StoreExtension
from newscrawl.storepipeline import StoragePipeline

ARTICLE_PRIORITY = 10  # articles before more listing pages: bounded queue, early items


class NewsSpider(scrapy.Spider):
    """Crawl one site: every section page (with pagination), feed and sitemap, then each
    article found there once. The site comes from the spider's name or ``-a site=NAME``."""

    name = "news"
    site: Site

    def __init__(self, *args: Any, site: Site | str | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._site_arg = site
        self.bounds = CrawlBounds()
        self.extractor = ExtractionPool(0)
        self._seen_articles: set[str] = set()
        self.budget: ArticleBudget = LocalBudget(self.bounds)
        self.refresh = False
        self.refresh_window = timedelta(hours=48)
        self.resumable = False
        self.backlog = ArticleBacklog(self._made_requests, 200)
        self.ledger = DiscoveryLedger(self.logger, None)
        self.render: RenderMiddleware | None = None
        self.storage: StoragePipeline | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> NewsSpider:
        spider: NewsSpider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        site = spider._site_arg or spider.name
        spider.site = site if isinstance(site, Site) else get_site(
            site, settings.get("NEWSCRAWL_SITES_FILE") or None)
        use_render_handler(crawler.settings, spider.site.render)  # before the settings freeze
        crawler.signals.connect(spider.find_render, signal=scrapy.signals.spider_opened)
        spider.bounds = CrawlBounds(
            max_articles=settings.getint("NEWSCRAWL_MAX_ARTICLES"),
            since=parse_since(settings.get("NEWSCRAWL_SINCE") or ""),
        )
        spider.budget = LocalBudget(spider.bounds)
        spider.extractor = ExtractionPool.from_crawler(crawler)
        spider.refresh = settings.getbool("NEWSCRAWL_REFRESH")
        spider.refresh_window = timedelta(hours=settings.getfloat("NEWSCRAWL_REFRESH_WINDOW_HOURS"))
        # A job (JOBDIR) resumed after a crash: requests lost in flight are in requests.seen
        # already, so the spider's own bookkeeping and the store decide what to fetch again.
        spider.resumable = bool(settings.get("JOBDIR"))
        spider.backlog = ArticleBacklog(spider._made_requests, settings.getint("NEWSCRAWL_DISCOVERY_QUEUE"))
        spider.backlog.connect(crawler)
        spider.ledger = DiscoveryLedger(spider.logger, crawler,
                                        settings.getint("NEWSCRAWL_SITEMAP_MAX_DEPTH"))
        crawler.signals.connect(spider.extractor.warm, signal=scrapy.signals.spider_opened)
        crawler.signals.connect(spider.extractor.close, signal=scrapy.signals.spider_closed)
        return spider

    @property
    def store(self) -> StoreExtension | None:
        """The crawl's store (its extension), None without one."""
        return self.crawler.get_extension(StoreExtension)

    def find_render(self) -> None:
        """At spider_opened: the crawl's rendering decisions (newscrawl.render), if enabled,
        and its storage pipeline, which takes the body fingerprints extraction computed."""
        self.render = self.crawler.get_downloader_middleware(RenderMiddleware)
        self.storage = self.crawler.get_item_pipeline(StoragePipeline)
        engine = self.crawler.engine
        shared = getattr(engine.scheduler, "article_budget", None) if engine is not None else None
        if shared is not None and self.bounds.max_articles:  # many workers: the crawl's count
            self.budget = shared(self.bounds.max_articles)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        site = self.site
        for request in await self.pending_requests():
            yield request
        starts = [self.page_request(site.primary + path, self.parse_feed) for path in site.feeds]
        starts += [self.page_request(site.primary + path, self.parse_sitemap, cb_kwargs={"depth": 0})
                   for path in site.sitemaps]
        starts += [self.page_request(site.page_url(path, 1), self.parse_listing,
                                     cb_kwargs={"section": path, "page": 1}) for path in site.sections]
        for start in starts:
            if start is not None:
                yield start

    # --- what earlier runs left ------------------------------------------------------

    async def pending_requests(self) -> list[scrapy.Request]:
        """Requests that failed on every domain in earlier runs: retried first."""
        if self.store is None:
            return []
        requests = [r for r in map(self.request_for, await self.store.load_pending()) if r is not None]
        if requests:
            self.logger.info("retrying %d pending requests of earlier runs first", len(requests))
            self.crawler.stats.set_value("newscrawl/pending_retried", len(requests))
        return requests

    def request_for(self, url: str) -> scrapy.Request | None:
        """The request that fetches ``url`` with the right callback, by what the URL is."""
        path = urlsplit(url).path
        if self.site.is_article(url):
            request = self.article_request(url)
            return request.replace(priority=ARTICLE_PRIORITY + 1) if request else None
        if path in self.site.feeds:
            return self.page_request(url, self.parse_feed, priority=1)
        if path in self.site.sitemaps:
            return self.page_request(url, self.parse_sitemap, priority=1, cb_kwargs={"depth": 0})
        section = max((s for s in self.site.sections if path.startswith(s)), key=len, default=path)
        tail = path.removeprefix(section).strip("/")
        page = int(tail) if tail.isdigit() else 1
        return self.page_request(url, self.parse_listing, priority=1, meta={MAY_NOT_EXIST: page > 1},
                                 cb_kwargs={"section": section, "page": page})

    def page_request(self, url: str, callback: Any, **kwargs: Any) -> scrapy.Request | None:
        """A request for a listing page, feed or sitemap, or None when this run requested it
        already. While a job runs Scrapy's duplicate filter is off for the spider's own requests
        (see ``newscrawl.jobs``), so this is what keeps a sitemap index that lists itself, or
        pages that link to each other as "next", from being fetched forever."""
        if not self.ledger.first_visit(self.site.canonical(normalize_url(url))):
            return None
        request = scrapy.Request(url, callback=callback, dont_filter=self.resumable, **kwargs)
        if callback == self.parse_listing:  # the render middleware may send it through the browser
            request.meta[PAGE] = True
            request.meta[MORE] = self.site.max_pages - kwargs["cb_kwargs"]["page"]  # "load more" steps
        return request

    async def skip_stored(self, urls: list[str]) -> list[str]:
        """Incremental crawls: drop article URLs already stored, except those published
        within ``NEWSCRAWL_REFRESH_WINDOW_HOURS`` (updates likely) or with ``--refresh``."""
        if self.store is None or self.refresh or not urls:
            return urls
        return await unstored(urls, site=self.site, store=self.store, seen=self._seen_articles,
                              window=self.refresh_window, stats=self.crawler.stats)

    # --- discovery -----------------------------------------------------------------

    def article_request(self, url: str) -> scrapy.Request | None:
        """A request for the article at ``url``, or None when it is known, out of bounds or
        the crawl has all the articles it wants."""
        stats = self.crawler.stats
        assert stats is not None
        canonical = normalize_url(url, self.site)
        key = self.site.article_key(canonical)
        if key in self._seen_articles:
            return None
        self._seen_articles.add(key)
        stats.inc_value("newscrawl/articles/discovered")
        if self.bounds.url_too_old(canonical):
            stats.inc_value("newscrawl/articles/skipped_since")
            return None
        if self.budget.reached():
            return None
        return scrapy.Request(canonical, callback=self.parse_article, priority=ARTICLE_PRIORITY,
                              dont_filter=self.resumable, meta={PAGE: True})

    def _requests_for(self, urls: Iterable[str]) -> Iterator[scrapy.Request]:
        for url in urls:
            request = self.article_request(url)
            if request is not None:
                yield request

    async def _made_requests(self, urls: list[str]) -> list[scrapy.Request]:
        """Article requests for ``urls`` (the backlog's source); none once the crawl has all
        the articles it wants, and then nothing waits any more."""
        if self.budget.reached():
            self.backlog.clear()
            return []
        return list(self._requests_for(await self.skip_stored(urls)))

    async def article_requests(self, urls: list[str]) -> AsyncIterator[scrapy.Request]:
        """Requests for the article ``urls`` of one page, as many as the scheduler has room
        for; the rest wait in the backlog (oldest first) and follow as the scheduler drains."""
        self.backlog.add(urls)
        for request in await self.backlog.take(self.backlog.room()):
            yield request

    async def parse_listing(self, response: Response, section: str, page: int) -> AsyncIterator[Any]:
        """A section page: its article links, then the next page up to ``max_pages``."""
        if not isinstance(response, TextResponse):
            return
        self.crawler.stats.inc_value("newscrawl/listing_pages")
        rejected: list[str] = []
        links = article_links(response.selector, response.url, self.site, rejected)
        self.ledger.bad_urls(response.url, rejected)
        again = self.render.listing_follow_up(response, bool(links), self.parse_listing,
                                              {"section": section, "page": page}) if self.render else None
        if again is not None:  # its links come from its scripts: fetched again through the browser
            yield again
            return
        async for request in self.article_requests(links):
            yield request
        if page >= self.site.max_pages or not links or response.meta.get(MORE_DONE):
            return  # (a page whose "load more" the browser followed holds the next pages already)
        if all(self.bounds.url_too_old(link) for link in links):
            return  # listings run newest first: nothing newer on later pages
        next_url = next_page_url(response.selector, response.url, self.site)
        guessed = next_url is None and bool(self.site.pagination)
        if guessed:
            next_url = self.site.page_url(section, page + 1)
        following = self.page_request(self.site.canonical(next_url), self.parse_listing,
                                      cb_kwargs={"section": section, "page": page + 1},
                                      meta={MAY_NOT_EXIST: guessed}) if next_url else None
        if following is not None:
            yield following

    async def parse_feed(self, response: Response) -> AsyncIterator[Any]:
        """An RSS/Atom feed: article links, skipping entries dated before ``--since``."""
        rejected: list[str] = []
        fresh = [e.url for e in iter_feed(response.body, response.url, rejected)
                 if not self.bounds.published_too_old(e.published) and self.site.is_article(e.url)]
        self.ledger.bad_urls(response.url, rejected)
        async for request in self.article_requests(fresh):
            yield request

    async def parse_sitemap(self, response: Response, depth: int = 0) -> AsyncIterator[Any]:
        """A sitemap or sitemap index: article pages, and nested sitemaps on the site (down to
        ``NEWSCRAWL_SITEMAP_MAX_DEPTH`` levels below the site's own sitemaps)."""
        rejected: list[str] = []
        fresh: list[str] = []
        for entry in iter_sitemap(response.body, response.url, rejected):
            if not entry.is_sitemap:
                if not self.bounds.published_too_old(entry.lastmod) and self.site.is_article(entry.url):
                    fresh.append(entry.url)
            elif self.site.owns(entry.url) and self.ledger.may_descend(response.url, depth + 1):
                nested = self.page_request(self.site.canonical(entry.url), self.parse_sitemap,
                                           cb_kwargs={"depth": depth + 1})
                if nested is not None:
                    yield nested
        self.ledger.bad_urls(response.url, rejected)
        async for request in self.article_requests(fresh):
            yield request

    # --- articles ------------------------------------------------------------------

    def canonical_url(self, response: Response) -> str:
        """The article's identity (``newscrawl.spiders.identity``)."""
        return canonical_url(response, self.site, self.ledger)

    async def parse_article(self, response: Response) -> AsyncIterator[Article | scrapy.Request]:
        """An article page, extracted by ``newscrawl.extract`` in the extraction pool."""
        stats = self.crawler.stats
        assert stats is not None
        if not isinstance(response, TextResponse):
            stats.inc_value("newscrawl/articles/not_html")
            return
        if self.budget.reached():  # fetched while the crawl closes: not parsed
            stats.inc_value("newscrawl/articles/past_limit")
            return
        encoding = header_encoding(response.headers.get(b"Content-Type"))  # it wins, as in browsers
        extracted = await self.extractor.extract_printed(response.body, self.canonical_url(response),
                                                         self.site, encoding)
        if extracted is None:  # its extraction worker died on it twice: counted as dropped
            return
        article, body_print = extracted
        if self.budget.reached():  # the limit was reached during its extraction
            stats.inc_value("newscrawl/articles/past_limit")
            return
        article.fetched_url = response.url
        article.mirror = self.site.origin_of(response.url)
        article.site = self.site.name
        article.fetched_at = datetime.now(UTC).isoformat(timespec="seconds")
        article.language = article.language or self.site.language
        render = self.render
        again = render.follow_up(response, article, self.parse_article) if render else None
        if again is not None:  # an app shell: fetched again through the browser
            yield again
            return
        stats.inc_value("newscrawl/articles/parsed")
        if self.bounds.published_too_old(article.published_at):
            stats.inc_value("newscrawl/articles/skipped_since")
            return
        if not self.budget.take():  # another worker took the last one meanwhile
            stats.inc_value("newscrawl/articles/past_limit")
            raise CloseSpider("max_articles")
        if body_print is not None and self.storage is not None:  # the store need not compute them
            self.storage.prints.add(body_print)
        yield article
        if self.budget.reached():
            raise CloseSpider("max_articles")


def spider_class(site_name: str) -> type[NewsSpider]:
    """The spider class of one site (Scrapy finds spiders by class and ``name``)."""
    return type(f"{site_name.title()}Spider", (NewsSpider,), {"name": site_name})

