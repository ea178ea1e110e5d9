"""Fuzz test of the discovery parsers (listing links, next page, feeds, sitemaps) on the mock
site's real pages, mutated: random bytes changed, inserted or cut, malformed URLs and lone
surrogates put anywhere, truncation, gzip damage. A fixed, derandomized budget, so CI runs
the same examples every time.

Two properties: no exception ever escapes a parser, and when a single entry (one link, one
feed item, one ``<loc>``) is broken, every good link of the rest of the page is still found.
"""

from __future__ import annotations

import gzip
import re
from urllib.parse import urljoin

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from parsel import Selector

from newscrawl.discovery import article_links, next_page_url, parse_feed, parse_sitemap
from newscrawl.sites import load_sites
from newscrawl.testing.mocksite import build_mock_site

SITE = load_sites()["presstv"]
ORIGIN = SITE.primary
_PAGES = build_mock_site(36).for_origin(ORIGIN, list(SITE.domains[1:]))
LISTING_URL = ORIGIN + "/Section/101"
FEED_URL, SITEMAP_URL = ORIGIN + "/rss.xml", ORIGIN + "/sitemap.xml"
PAGES = {LISTING_URL: _PAGES["/Section/101"], FEED_URL: _PAGES["/rss.xml"],
         SITEMAP_URL: _PAGES["/sitemap.xml"]}

BUDGET = settings(max_examples=200, deadline=None, derandomize=True, database=None,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

BAD_URLS = [b"http://[oops/x", b"https://www.presstv.ir:99999/Detail/2026/08/15/1/x", b"http://[::1",
            b"https://www.presstv.ir:-1/x", b"http://]/", b"https://www.presstv.ir/Detail/&#xD800;/1",
            b"&#xDFFF;", b"&#xD800;&#xDC00;", b"&#x110000;", b"&#0;", b"\xed\xa0\x80", b"\xff\xfe",
            b"javascript:alert(1)", b"http://%zz/", b"//[", b"http://a\x00b/"]
NOISE = [b"<", b">", b"</", b"<![CDATA[", b"]]>", b"<!--", b"-->", b"&", b"&amp;", b'"', b"'", b"\x00",
         b"<a href=", b"<link>", b"</link>", b"<loc>", b"</loc>", b"<item>", b"</item>", b"<url>",
         b"\xef\xbb\xbf", b"\r\n", b"<?xml version='1.0' encoding='utf-16'?>"]


def parse_all(url: str, body: bytes) -> None:
    """Every parser that could meet ``body`` (the spider calls them by URL; here all of them)."""
    selector = Selector(text=body.decode("utf-8", "replace"))
    article_links(selector, url, SITE, [])
    next_page_url(selector, url, SITE)
    parse_feed(body, url, [])
    parse_sitemap(body, url, [])


@st.composite
def mutated(draw: st.DrawFn, body: bytes) -> bytes:
    """``body`` with up to six changes at random places."""
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(body)))
        kind = draw(st.sampled_from(["insert_bad", "insert_noise", "bytes", "delete", "truncate", "flip"]))
        if kind == "insert_bad":
            body = body[:at] + draw(st.sampled_from(BAD_URLS)) + body[at:]
        elif kind == "insert_noise":
            body = body[:at] + draw(st.sampled_from(NOISE)) + body[at:]
        elif kind == "bytes":
            body = body[:at] + draw(st.binary(min_size=1, max_size=16)) + body[at:]
        elif kind == "delete":
            body = body[:at] + body[at + draw(st.integers(1, 200)):]
        elif kind == "truncate":
            body = body[:at]
        elif at < len(body):
            body = body[:at] + bytes([body[at] ^ draw(st.integers(1, 255))]) + body[at + 1:]
    return body


@BUDGET
@given(data=st.data())
def test_no_exception_escapes_a_discovery_parser(data: st.DataObject) -> None:
    url = data.draw(st.sampled_from(sorted(PAGES)))
    body = data.draw(mutated(PAGES[url]))
    parse_all(url, body)
    if data.draw(st.booleans()):  # the same damage inside a gzipped sitemap, or in its gzip bytes
        packed = gzip.compress(body)
        parse_sitemap(packed, url, [])
        parse_sitemap(data.draw(mutated(packed)), url, [])


# --- one broken entry: the rest is found ---------------------------------------------------

HREF = re.compile(rb'href="([^"]*)"')
LINK = re.compile(rb"<link>([^<]*)</link>")
LOC = re.compile(rb"<loc>([^<]*)</loc>")


def found(url: str, body: bytes) -> set[str]:
    if url == LISTING_URL:
        return set(article_links(Selector(text=body.decode("utf-8", "replace")), url, SITE))
    if url == FEED_URL:
        return {entry.url for entry in parse_feed(body, url)}
    return {page for page, _ in parse_sitemap(body, url).pages}


@BUDGET
@given(data=st.data())
def test_one_broken_entry_loses_only_itself(data: st.DataObject) -> None:
    url = data.draw(st.sampled_from(sorted(PAGES)))
    body = PAGES[url]
    pattern = {LISTING_URL: HREF, FEED_URL: LINK, SITEMAP_URL: LOC}[url]
    entries = list(pattern.finditer(body))
    entry = data.draw(st.sampled_from(entries))
    value = entry.group(1)
    bad = data.draw(st.sampled_from([b for b in BAD_URLS if b"javascript" not in b]))
    where = data.draw(st.sampled_from(["replace", "prefix", "inside"]))
    broken = {"replace": bad, "prefix": bad + value,
              "inside": value[: len(value) // 2] + bad + value[len(value) // 2:]}[where]
    damaged = body[: entry.start(1)] + broken + body[entry.end(1):]
    good = found(url, body)
    lost = urljoin(url, value.decode("utf-8", "replace").replace("&amp;", "&"))
    still = found(url, damaged)
    assert good - {lost} <= still, sorted(good - {lost} - still)[:3]
