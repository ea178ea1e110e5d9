"""The generic spider with hand-made responses: discovery, identity, bounds."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any

from scrapy import Request
from scrapy.http import HtmlResponse, XmlResponse
from scrapy.utils.test import get_crawler

from newscrawl.failover.requests import MAY_NOT_EXIST
from newscrawl.sites import Site, load_sites
from newscrawl.spiders.news import NewsSpider
from tests.helpers import project_settings

SITE = load_sites()["presstv"]
IR = SITE.primary


def spider(site: Site = SITE, **settings: Any) -> NewsSpider:
    settings.setdefault("NEWSCRAWL_STORE_ENABLED", False)
    crawler = get_crawler(NewsSpider, project_settings(**settings))
    crawler.stats.open_spider()  # type: ignore[union-attr]
    return NewsSpider.from_crawler(crawler, site=site)


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
    other = "\n\n".join(f"Line {i}: another story, told in other words, on another day." for i in range(6))
    store.save_articles(None, [
        {"url": IR + "/Detail/2026/08/15/774416/Iran-Oman", "site": "presstv", "body": body,
         "published_at": "2026-08-15T10:00:00+03:30"},
        {"url": IR + "/Detail/2026/08/14/774313/Heds", "site": "presstv", "body": other,
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


# --- malformed URLs (issue 10, item 2) ------------------------------------------------------

def articles_of(out: list[Any]) -> list[str]:
    return [r.url for r in out if r.callback.__name__ == "parse_article"]


def test_a_listing_with_a_malformed_link_keeps_every_other_article(caplog: Any) -> None:
    crawl = spider()
    page = LISTING.replace("<body>", '<body><a href="http://[oops/x">broken</a>')
    with caplog.at_level("INFO"):
        out = collect(crawl.parse_listing(listing(page), section="/Section/102", page=1))
    assert articles_of(out) == [IR + "/Detail/2026/08/15/774416/Iran-Oman",
                                IR + "/Detail/2026/08/14/774313/Heds"]
    assert crawl.crawler.stats.get_value("newscrawl/discovery/bad_url") == 1  # type: ignore[union-attr]
    lines = [r.getMessage() for r in caplog.records if "malformed" in r.getMessage()]
    assert lines == [f"skipped 1 malformed URL on {IR}/Section/102: 'http://[oops/x'"]


def test_a_feed_and_a_sitemap_with_malformed_entries_keep_the_others() -> None:
    crawl = spider()
    rss = (b"<rss><channel><item><link>http://[oops/x</link></item>"
           b"<item><link>https://presstv.ir/Detail/2026/08/15/774416/A</link></item></channel></rss>")
    feed = XmlResponse(IR + "/rss.xml", body=rss, request=Request(IR + "/rss.xml"))
    assert articles_of(collect(crawl.parse_feed(feed))) == [IR + "/Detail/2026/08/15/774416/A"]
    urlset = (b"<urlset><url><loc>https://www.presstv.ir/Detail/2026/08/14/774313/B&#xD800;</loc></url>"
              b"<url><loc>https://www.presstv.ir/Detail/2026/08/14/774300/C</loc></url></urlset>")
    sitemap = XmlResponse(IR + "/sitemap.xml", body=urlset, request=Request(IR + "/sitemap.xml"))
    assert articles_of(collect(crawl.parse_sitemap(sitemap))) == [IR + "/Detail/2026/08/14/774300/C"]
    assert crawl.crawler.stats.get_value("newscrawl/discovery/bad_url") == 2  # type: ignore[union-attr]


def test_a_malformed_canonical_falls_back_to_the_fetched_url_on_the_primary() -> None:
    crawl = spider()
    request = Request("https://www.presstv.co.uk/Detail/2026/08/15/774416/Iran-Oman?utm_source=x")
    page = b'<html><head><link rel="canonical" href="http://[oops/Detail/2026/08/15/774416/X"></head></html>'
    response = HtmlResponse(request.url, body=page, request=request)
    assert crawl.canonical_url(response) == IR + "/Detail/2026/08/15/774416/Iran-Oman"
    assert crawl.crawler.stats.get_value("newscrawl/articles/bad_canonical") == 1  # type: ignore[union-attr]


# --- loops and unbounded work (issue 10, item 6) ----------------------------------------------

def index_of(*locs: str) -> bytes:
    return b"<sitemapindex>" + b"".join(b"<sitemap><loc>%s</loc></sitemap>" % loc.encode() for loc in locs) \
        + b"</sitemapindex>"


def sitemap_response(url: str, body: bytes) -> XmlResponse:
    return XmlResponse(url, body=body, request=Request(url))


def test_with_a_job_a_sitemap_index_listing_itself_is_not_fetched_again(tmp_path: Any) -> None:
    """A job turns Scrapy's duplicate filter off for the spider's own requests (dont_filter):
    the spider itself must not request a page twice in a run."""
    crawl = spider(replace(SITE, sitemaps=("/sitemap.xml",)), JOBDIR=str(tmp_path / "job"))
    starts = collect(crawl.start())
    (first,) = [r for r in starts if r.callback.__name__ == "parse_sitemap"]
    assert first.dont_filter  # Scrapy would not catch the repeat
    body = index_of(first.url, "/sitemap.xml?again", IR + "/sitemap-2.xml")
    out = collect(crawl.parse_sitemap(sitemap_response(first.url, body), depth=0))
    assert [r.url for r in out] == [IR + "/sitemap.xml?again", IR + "/sitemap-2.xml"]
    again = collect(crawl.parse_sitemap(sitemap_response(IR + "/sitemap-2.xml", body), depth=1))
    assert again == []
    assert crawl.crawler.stats.get_value("newscrawl/discovery/repeated_page") == 4  # type: ignore[union-attr]


def test_nested_sitemap_indexes_stop_at_the_maximum_depth(caplog: Any) -> None:
    crawl = spider(NEWSCRAWL_SITEMAP_MAX_DEPTH=2)
    (child,) = collect(crawl.parse_sitemap(sitemap_response(IR + "/s1.xml", index_of("/s2.xml")), depth=1))
    assert child.cb_kwargs == {"depth": 2}
    with caplog.at_level("WARNING"):
        for name in ("s2", "s2b"):
            deeper = sitemap_response(f"{IR}/{name}.xml", index_of(f"/{name}-next.xml"))
            assert collect(crawl.parse_sitemap(deeper, depth=2)) == []
    assert crawl.crawler.stats.get_value("newscrawl/discovery/sitemap_too_deep") == 2  # type: ignore[union-attr]
    assert len([r for r in caplog.records if "NEWSCRAWL_SITEMAP_MAX_DEPTH=2" in r.getMessage()]) == 1


def big_feed(count: int) -> XmlResponse:
    items = b"".join(b"<item><link>https://presstv.ir/Detail/2026/08/15/%d/A</link></item>" % (800000 + i)
                     for i in range(count))
    return XmlResponse(IR + "/rss.xml", body=b"<rss><channel>" + items + b"</channel></rss>",
                       request=Request(IR + "/rss.xml"))


def test_a_big_feed_yields_what_the_scheduler_has_room_for_and_the_rest_waits_as_urls() -> None:
    crawl = spider(NEWSCRAWL_DISCOVERY_QUEUE=5)
    out = collect(crawl.parse_feed(big_feed(12)))
    assert [r.url.split("/")[-2] for r in out] == ["800000", "800001", "800002", "800003", "800004"]
    assert len(crawl.backlog) == 7
    later = asyncio.run(crawl.backlog.take(5))
    assert [r.url.split("/")[-2] for r in later] == ["800005", "800006", "800007", "800008", "800009"]
    assert len(crawl.backlog) == 2


def test_nothing_more_is_requested_once_the_crawl_has_its_articles() -> None:
    crawl = spider(NEWSCRAWL_DISCOVERY_QUEUE=5, NEWSCRAWL_MAX_ARTICLES=3)
    assert len(collect(crawl.parse_feed(big_feed(12)))) == 5
    for _ in range(3):  # three articles out: max reached
        assert crawl.budget.take()
    assert asyncio.run(crawl.backlog.take(5)) == [] and len(crawl.backlog) == 0
    assert collect(crawl.parse_feed(big_feed(30))) == []


# --- the article key: a field of the item, computed once from the site (issue 12) -----------

def test_the_article_key_is_a_field_of_the_item_set_from_the_site() -> None:
    crawl = spider()
    url = IR + "/Detail/2026/08/15/774416/Iran-Oman"
    body = ("<html><head><title>T</title></head><body><article><h1>Iran and Oman</h1>"
            + "<p>Iran and Oman talked about the strait on Friday, the ministry said.</p>" * 4
            + "</article></body></html>").encode()
    response = HtmlResponse(url + "--", body=body, request=Request(url + "--"),
                            headers={"Content-Type": "text/html; charset=utf-8"})
    article, = collect(crawl.parse_article(response))
    assert article.article_key == "774416" and article.to_dict()["article_key"] == "774416"
