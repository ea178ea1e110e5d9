"""Finding articles: listing links, next pages, feeds with real-world quirks, sitemaps."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime

from parsel import Selector

from newscrawl.discovery import article_links, next_page_url, parse_feed, parse_sitemap
from newscrawl.sites import load_sites

SITE = load_sites()["presstv"]
BASE = "https://www.presstv.ir/Section/102"

LISTING = """<html><body>
<nav><a href="/Section/101">Iran</a><a href="javascript:void(0)">x</a><a href="#top">top</a></nav>
<div class="section-data"><div><a href="/Detail/2026/08/15/774416/Iran-Oman-Hormuz">A</a></div></div>
<a class="hover-effect" href="https://presstv.co.uk/Detail/2026/08/14/774313/Heds?utm_source=x">B</a>
<a class="hover-effect" href="/Detail/2026/08/15/774416/Iran-Oman-Hormuz">A again</a>
<a href="https://example.com/Detail/2026/08/15/1/offsite">offsite</a>
<a href="/Video/2026/08/15/1/clip">video</a>
<ul class="pagination"><li class="next"><a href="/Section/102/2">Next</a></li></ul>
</body></html>"""


def test_article_links_keeps_on_site_article_urls_once_in_order() -> None:
    links = article_links(Selector(text=LISTING), BASE, SITE)
    assert links == [
        "https://www.presstv.ir/Detail/2026/08/15/774416/Iran-Oman-Hormuz",
        "https://presstv.co.uk/Detail/2026/08/14/774313/Heds?utm_source=x",
    ]


def test_next_page_from_li_next_rel_next_and_link_text() -> None:
    assert next_page_url(Selector(text=LISTING), BASE, SITE) == "https://www.presstv.ir/Section/102/2"
    rel = '<html><head><link rel="next" href="?page=3"></head></html>'
    assert next_page_url(Selector(text=rel), BASE, SITE) == BASE + "?page=3"
    text = '<a href="/Section/102/4">Older posts »</a><a href="/Section/102/9">9</a>'
    assert next_page_url(Selector(text=text), BASE, SITE) == "https://www.presstv.ir/Section/102/4"


def test_next_page_ignores_offsite_and_absent_links() -> None:
    offsite = '<li class="next"><a href="https://ads.example.com/next">Next</a></li>'
    assert next_page_url(Selector(text=offsite), BASE, SITE) is None
    assert next_page_url(Selector(text="<p>last page</p>"), BASE, SITE) is None


# The real Press TV feed of 15 Aug 2026: only link/title/description, empty content:encoded,
# no pubDate, links without www., the same item repeated, descriptions with stray whitespace.
PRESSTV_RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>PressTV</title>
<item><link>https://presstv.ir/Detail/2026/08/15/774416/Iran-Oman-Hormuz-Baghaei</link>
<title>Iran, Oman</title><description>   Iran and Oman...
</description><content:encoded></content:encoded></item>
<item><link>https://presstv.ir/Detail/2026/08/15/774416/Iran-Oman-Hormuz-Baghaei</link>
<title>Iran, Oman</title><description>   Iran and Oman...
</description></item>
<item><link>https://presstv.ir/Detail/2026/08/15/774402/Hezbollah-condemns-Israeli-%E2%80%98massacre%E2%80%99</link>
<title>Hezbollah & co</title></item>
</channel></rss>"""


def test_rss_with_presstv_quirks() -> None:
    entries = parse_feed(PRESSTV_RSS, "https://www.presstv.ir/rss.xml")
    assert [e.url for e in entries] == [
        "https://presstv.ir/Detail/2026/08/15/774416/Iran-Oman-Hormuz-Baghaei",
        "https://presstv.ir/Detail/2026/08/15/774402/Hezbollah-condemns-Israeli-%E2%80%98massacre%E2%80%99",
    ]
    assert all(e.published is None for e in entries)


def test_atom_and_rss_dates() -> None:
    atom = b"""<feed xmlns="http://www.w3.org/2005/Atom"><entry>
      <link rel="alternate" href="/a/1"/><link rel="edit" href="/edit/1"/>
      <updated>2026-08-15T10:00:00Z</updated></entry></feed>"""
    (entry,) = parse_feed(atom, "https://site.example/feed")
    assert entry.url == "https://site.example/a/1"
    assert entry.published == datetime(2026, 8, 15, 10, tzinfo=UTC)
    rss = b"<rss><channel><item><link>https://s.example/b</link>" \
          b"<pubDate>Sat, 15 Aug 2026 10:00:00 +0000</pubDate></item></channel></rss>"
    assert parse_feed(rss, "https://s.example/")[0].published == datetime(2026, 8, 15, 10, tzinfo=UTC)


def test_broken_feeds_yield_what_they_can() -> None:
    assert parse_feed(b"", "https://s.example/") == []
    assert parse_feed(b"\x00\xff binary", "https://s.example/") == []
    truncated = b"<rss><channel><item><link>https://s.example/a</link></item><item><link>https://s.exa"
    assert [e.url for e in parse_feed(truncated, "https://s.example/")][:1] == ["https://s.example/a"]


def test_sitemap_urlset_index_and_gzip() -> None:
    urlset = b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <url><loc>https://www.presstv.ir/Detail/2026/08/15/774416/X</loc><lastmod>2026-08-15</lastmod></url>
      <url><loc>https://www.presstv.ir/Section/101</loc></url></urlset>"""
    entries = parse_sitemap(gzip.compress(urlset), "https://www.presstv.ir/sitemap.xml.gz")
    assert entries.pages[0] == ("https://www.presstv.ir/Detail/2026/08/15/774416/X", datetime(2026, 8, 15))
    assert entries.pages[1][1] is None and entries.sitemaps == []
    index = b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>/sitemap-1.xml</loc></sitemap></sitemapindex>"""
    assert parse_sitemap(index, "https://www.presstv.ir/sitemap.xml").sitemaps == [
        "https://www.presstv.ir/sitemap-1.xml"]
    assert parse_sitemap(b"not xml at all", "https://x.example/").pages == []
