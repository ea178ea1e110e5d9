"""The generic spider with hand-made responses: discovery, identity, bounds."""

from __future__ import annotations

import asyncio
from typing import Any

from scrapy import Request
from scrapy.http import HtmlResponse, XmlResponse
from scrapy.utils.test import get_crawler

from newscrawl.failover.requests import MAY_NOT_EXIST
from newscrawl.sites import load_sites
from newscrawl.spiders.news import NewsSpider
from tests.helpers import project_settings

SITE = load_sites()["presstv"]
IR = SITE.primary


def spider(**settings: Any) -> NewsSpider:
    settings.setdefault("NEWSCRAWL_STORE_ENABLED", False)
    crawler = get_crawler(NewsSpider, project_settings(**settings))
    crawler.stats.open_spider()  # type: ignore[union-attr]
    return NewsSpider.from_crawler(crawler, site=SITE)


def collect(results: Any) -> list[Any]:
    async def drain() -> list[Any]:
        return [item async for item in results]
    return asyncio.run(drain())


def listing(body: str, url: str = IR + "/Section/102") -> HtmlResponse:
    return HtmlResponse(url, body=body.encode(), encoding="utf-8", request=Request(url))


LISTING = """<html><body>
<a class="hover-effect" href="/Detail/2026/08/15/774416/Iran-Oman?utm_source=rss#top">A</a>
<a href="https://presstv.co.uk/Detail/2026/08/15/774416/Iran-Oman-">A, a slug variant on a mirror</a>
<a href="/Detail/2026/08/14/774313/Heds">B</a>
<ul><li class="next"><a href="/Section/102/2">Next</a></li></ul></body></html>"""


def test_listing_yields_each_article_once_canonical_then_the_next_page() -> None:
    out = collect(spider().parse_listing(listing(LISTING), section="/Section/102", page=1))
    articles = [r for r in out if r.callback.__name__ == "parse_article"]
    pages = [r for r in out if r.callback.__name__ == "parse_listing"]
    assert [r.url for r in articles] == [IR + "/Detail/2026/08/15/774416/Iran-Oman",
                                         IR + "/Detail/2026/08/14/774313/Heds"]
    assert [(r.url, r.cb_kwargs["page"], r.meta[MAY_NOT_EXIST]) for r in pages] == [
        (IR + "/Section/102/2", 2, False)]


def test_pagination_template_is_a_guess_and_max_pages_stops_it() -> None:
    body = '<a href="/Detail/2026/08/14/774313/Heds">B</a>'
    crawl = spider()
    (_article, guessed) = collect(crawl.parse_listing(listing(body), section="/Section/102", page=1))
    assert guessed.url == IR + "/Section/102/2" and guessed.meta[MAY_NOT_EXIST] is True
    last = collect(crawl.parse_listing(listing(body + '<a href="/Detail/2026/08/14/774300/C">C</a>'),
                                    section="/Section/102", page=SITE.max_pages))
    assert [r.callback.__name__ for r in last] == ["parse_article"]


def test_empty_listing_ends_the_section() -> None:
    assert collect(spider().parse_listing(listing("<p>nothing</p>"), section="/Section/102", page=2)) == []


def test_since_skips_old_links_and_stops_paginating_old_pages() -> None:
    crawl = spider(NEWSCRAWL_SINCE="2026-08-15")
    out = collect(crawl.parse_listing(listing(LISTING), section="/Section/102", page=1))
    assert [r.url for r in out if r.callback.__name__ == "parse_article"] == [
        IR + "/Detail/2026/08/15/774416/Iran-Oman"]
    old = ('<a href="/Detail/2026/08/01/770000/Old">old</a>'
           '<li class="next"><a href="/Section/102/2">n</a></li>')
    assert collect(crawl.parse_listing(listing(old), section="/Section/102", page=1)) == []
    assert crawl.crawler.stats.get_value("newscrawl/articles/skipped_since") == 2  # type: ignore[union-attr]


def test_feed_links_without_www_map_to_the_primary() -> None:
    rss = b"""<rss><channel>
      <item><link>https://presstv.ir/Detail/2026/08/15/774416/Iran-Oman</link></item>
      <item><link>https://presstv.ir/Detail/2026/08/15/774416/Iran-Oman</link></item>
      <item><link>https://presstv.ir/Section/101</link></item></channel></rss>"""
    response = XmlResponse(IR + "/rss.xml", body=rss, request=Request(IR + "/rss.xml"))
    assert [r.url for r in collect(spider().parse_feed(response))] == [
        IR + "/Detail/2026/08/15/774416/Iran-Oman"]


def test_canonical_url_prefers_the_pages_own_rel_canonical_on_the_site() -> None:
    crawl = spider()
    request = Request("https://www.presstv.co.uk/Detail/2026/08/15/774416/Iran-Oman--?fbclid=x")
    page = ('<html><head><link rel="canonical" href="https://www.presstv.ir/Detail/2026/08/15/774416/'
            'Iran-Oman-Hormuz"></head></html>')
    response = HtmlResponse(request.url, body=page.encode(), request=request)
    assert crawl.canonical_url(response) == IR + "/Detail/2026/08/15/774416/Iran-Oman-Hormuz"
    offsite = page.replace("https://www.presstv.ir", "https://elsewhere.example")
    response = HtmlResponse(request.url, body=offsite.encode(), request=request)
    assert crawl.canonical_url(response) == IR + "/Detail/2026/08/15/774416/Iran-Oman--"


def test_incremental_crawl_skips_stored_articles_but_not_recent_ones(tmp_path: Any) -> None:
    from newscrawl.storage import open_store

    store_url = f"sqlite:///{tmp_path}/s.db"
    store = open_store(store_url)
    body = "\n\n".join(f"Paragraph {i} of a stored article about the region." for i in range(6))
    store.save_articles(None, [
        {"url": IR + "/Detail/2026/08/15/774416/Iran-Oman", "site": "presstv", "body": body,
         "published_at": "2026-08-15T10:00:00+03:30"},
        {"url": IR + "/Detail/2026/08/14/774313/Heds", "site": "presstv", "body": body + " new",
         "published_at": "2999-01-01T00:00:00+00:00"},  # "recent": inside the refresh window
    ])
    store.close()
    crawl = spider(NEWSCRAWL_STORE_ENABLED=True, NEWSCRAWL_STORE=store_url)
    out = collect(crawl.parse_listing(listing(LISTING), section="/Section/102", page=1))
    assert [r.url for r in out if r.callback.__name__ == "parse_article"] == [
        IR + "/Detail/2026/08/14/774313/Heds"]
    assert crawl.crawler.stats.get_value("newscrawl/articles/already_stored") == 2  # both links of 774416
    refresh = spider(NEWSCRAWL_STORE_ENABLED=True, NEWSCRAWL_STORE=store_url, NEWSCRAWL_REFRESH=True)
    out = collect(refresh.parse_listing(listing(LISTING), section="/Section/102", page=1))
    assert len([r for r in out if r.callback.__name__ == "parse_article"]) == 2
