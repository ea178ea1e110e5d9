"""Finding articles: listing links, next pages, feeds with real-world quirks, sitemaps."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime

from parsel import Selector

from newscrawl.discovery import (
    article_links,
    checked_url,
    iter_feed,
    next_page_url,
    parse_feed,
    parse_sitemap,
)
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


# --- one malformed URL loses that entry, never the page (issue 10, item 2) ---------------

BAD_LINKS = ("http://[oops/x", "http://www.presstv.ir:99999/Detail/2026/08/15/774000/Port",
             "https://www.presstv.ir:-1/Detail/2026/08/15/774001/Sign")


def test_a_malformed_link_among_good_ones_is_skipped_and_reported() -> None:
    bad = "".join(f'<a href="{href}">bad</a>' for href in BAD_LINKS)
    page = LISTING.replace("<nav>", f"<nav>{bad}")
    rejected: list[str] = []
    assert article_links(Selector(text=page), BASE, SITE, rejected) == [
        "https://www.presstv.ir/Detail/2026/08/15/774416/Iran-Oman-Hormuz",
        "https://presstv.co.uk/Detail/2026/08/14/774313/Heds?utm_source=x",
    ]
    assert rejected == list(BAD_LINKS)


def test_a_malformed_next_link_is_passed_over_for_a_good_one() -> None:
    page = '<link rel="next" href="http://[oops/2"><li class="next"><a href="/Section/102/2">Next</a></li>'
    assert next_page_url(Selector(text=page), BASE, SITE) == "https://www.presstv.ir/Section/102/2"


def test_a_malformed_feed_link_loses_only_its_item() -> None:
    rss = PRESSTV_RSS.replace(b"<title>PressTV</title>",
                              b"<title>PressTV</title><item><link>http://[oops/x</link></item>"
                              b"<item><link>https://presstv.ir/Detail/2026/08/15/1/a&#xD800;b</link></item>")
    rejected: list[str] = []
    entries = parse_feed(rss, "https://www.presstv.ir/rss.xml", rejected)
    assert [e.url for e in entries] == [e.url for e in parse_feed(PRESSTV_RSS, "https://www.presstv.ir/rss.xml")]
    assert len(entries) == 2
    assert rejected == ["http://[oops/x", "<undecodable text>"]
    atom = b'<feed><entry><link href="http://[oops/a"/></entry><entry><link href="/a/2"/></entry></feed>'
    assert [e.url for e in parse_feed(atom, "https://s.example/feed")] == ["https://s.example/a/2"]


def test_a_malformed_or_surrogate_loc_loses_only_its_entry() -> None:
    urlset = b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <url><loc>https://www.presstv.ir/Detail/2026/08/15/774416/X</loc></url>
      <url><loc>https://www.presstv.ir/Detail/2026/08/15/774417/Y&#xD800;</loc></url>
      <url><loc>http://[oops/x</loc></url>
      <url><loc>https://www.presstv.ir/Detail/2026/08/15/774418/Z</loc></url></urlset>"""
    rejected: list[str] = []
    entries = parse_sitemap(urlset, "https://www.presstv.ir/sitemap.xml", rejected)
    assert [url for url, _ in entries.pages] == ["https://www.presstv.ir/Detail/2026/08/15/774416/X",
                                                 "https://www.presstv.ir/Detail/2026/08/15/774418/Z"]
    assert rejected == ["<undecodable text>", "http://[oops/x"]
    index = b"<sitemapindex><sitemap><loc>http://[x</loc></sitemap><sitemap><loc>/s2.xml</loc></sitemap></sitemapindex>"
    assert parse_sitemap(index, "https://www.presstv.ir/sitemap.xml").sitemaps == [
        "https://www.presstv.ir/s2.xml"]


def test_checked_url_accepts_http_links_and_refuses_what_no_request_can_be_made_of() -> None:
    assert checked_url(BASE, " /Detail/1 ") == "https://www.presstv.ir/Detail/1"
    assert checked_url(BASE, "//presstv.co.uk/x") == "https://presstv.co.uk/x"
    for bad in (*BAD_LINKS, "ftp://www.presstv.ir/x", "http:///nohost", "https://a\ud800b.ir/x",
                "/Detail/\udfff"):
        assert checked_url(BASE, bad) is None, bad


def test_a_huge_feed_is_read_incrementally() -> None:
    """50,000 items: entries come one at a time (the first before the whole feed is read)."""
    items = b"".join(b"<item><link>https://s.example/a/%d</link></item>" % i for i in range(50_000))
    entries = iter_feed(b"<rss><channel>" + items + b"</channel></rss>", "https://s.example/")
    assert next(entries).url == "https://s.example/a/0"
    assert sum(1 for _ in entries) == 49_999


def test_a_damaged_or_truncated_gzip_sitemap_yields_the_entries_before_the_damage() -> None:
    """Found by the fuzz test: a corrupted deflate stream raised zlib.error out of the parser."""
    urls = [f"https://www.presstv.ir/Detail/2026/08/15/{770000 + i}/X" for i in range(3000)]
    urlset = ("<urlset>" + "".join(f"<url><loc>{u}</loc></url>" for u in urls) + "</urlset>").encode()
    packed = gzip.compress(urlset)
    half = len(packed) // 2
    damaged = packed[:half] + bytes([packed[half] ^ 0xFF]) + packed[half + 1:]
    for body in (packed[:half], damaged):
        found = [u for u, _ in parse_sitemap(body, "https://www.presstv.ir/sitemap.xml.gz").pages]
        assert 1000 < len(found) < len(urls)
        assert found[:-1] == urls[: len(found) - 1]  # the last one may be cut short by the damage
