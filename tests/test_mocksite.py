"""The mock Press TV site's content: manifest vs pages, listings, feed quirks, seed article."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date

from parsel import Selector

from newscrawl.testing.mocksite import MockSite, build_mock_site
from newscrawl.testing.mocksite.seed import FOOTER_START, ROKU, seed_expected
from newscrawl.testing.mocksite.text import SECTION_NAMES
from tests import fixtures_mocksite

mock_site = fixtures_mocksite.mock_site

LISTING_LINKS = "a.hover-effect, div.section-data > div > a, .section-latest-news-link"
ARTICLE_ID = re.compile(r"/Detail/\d{4}/\d{1,2}/\d{1,2}/(\d+)")


def norm(text: str) -> str:
    return " ".join(text.split())


def page(site: MockSite, path: str) -> Selector:
    return Selector(text=site.pages[path].decode("utf-8"))


def test_every_article_page_matches_its_manifest_record(mock_site: MockSite) -> None:
    for record in mock_site.manifest:
        sel = page(mock_site, record.path)
        assert sel.css("title::text").get() == f"{record.headline} - PressTV"
        assert sel.css("meta[property='og:title']::attr(content)").get() == record.headline
        assert sel.css("h1::text").get() == record.headline
        assert sel.css("link[rel=canonical]::attr(href)").get() == "@@SELF@@" + record.path
        assert sel.css("meta[name='DC.Date.Created']::attr(content)").get() == record.dc_date
        assert re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d\d:\d\d [AP]M", record.dc_date)
        assert norm(" ".join(sel.css(".breadcrumb-news ::text").getall())) == f"News / {record.section}"
        paragraphs = [norm("".join(p.css("::text").getall()))
                      for p in sel.xpath("//div[contains(@class, 'body')]/p[not(strong)]")]
        assert paragraphs[: len(record.body)] == list(record.body)
        assert paragraphs[len(record.body)] == FOOTER_START
        headings = sel.css("div[class*=body] > h2::text, div[class*=body] > p > strong::text").getall()
        assert [norm(h) for h in headings] == list(record.subheadings)
        caption = norm(sel.css(".main-image div::text").get(""))
        assert caption == f"{record.caption} (Photo by {record.credit})"
        assert "caption" not in (sel.css(".main-image div::attr(class)").get() or "")
        assert sel.css("img[data-src]::attr(data-src)").get() == record.image
        assert sel.css("noscript").re_first(r'src="([^"]+)"') == record.image
        assert bool(sel.css("script[type='application/ld+json']")) == record.jsonld
        related = {m for href in sel.css(".related-news a::attr(href)").getall()
                   for m in ARTICLE_ID.findall(href)}
        assert related == {str(i) for i in record.related} and str(record.id) not in related


def test_only_some_pages_have_json_ld_and_quotes_are_in_the_text(mock_site: MockSite) -> None:
    with_jsonld = sum(r.jsonld for r in mock_site.manifest)
    assert 0 < with_jsonld < len(mock_site.manifest)
    quoted = [r for r in mock_site.manifest if r.quotes]
    assert len(quoted) > len(mock_site.manifest) // 2
    for record in quoted:
        body = " ".join(record.body)
        for quote in record.quotes:
            assert norm(quote.text) in body and quote.speaker in body


def test_generated_articles_are_distinct_deterministic_and_spread_over_days() -> None:
    anchor = date(2026, 8, 15)
    site = build_mock_site(40, seed=3, anchor=anchor)
    assert site.pages == build_mock_site(40, seed=3, anchor=anchor).pages
    other = build_mock_site(40, seed=4, anchor=anchor, include_seed_article=False)
    assert {r.body for r in site.manifest}.isdisjoint({r.body for r in other.manifest})
    generated = [r for r in site.manifest if r.section != "Afghanistan"]
    assert len({r.body for r in generated}) == len({r.headline for r in generated}) == len(generated)
    assert all(5 <= len(r.body) <= 15 for r in generated)
    days = {r.date for r in site.manifest}
    assert len(days) >= 7 and max(days) <= "2026-08-15" and min(days) >= "2026-08-01"
    assert [r.published for r in site.manifest] == sorted((r.published for r in site.manifest), reverse=True)
    assert len({r.id for r in site.manifest}) == 40 and len(other.manifest) == 40
    assert all(ARTICLE_ID.match(r.path) for r in site.manifest)


def test_section_pagination_chains_end_within_three_pages(mock_site: MockSite) -> None:
    chains = {}
    for sid in SECTION_NAMES:
        path: str | None = f"/Section/{sid}"
        chain: list[str] = []
        while path:
            chain.append(path)
            path = page(mock_site, path).css("li.next > a::attr(href)").get()
        chains[sid] = chain
        assert chain[1:] == [f"/Section/{sid}/{n}" for n in range(2, len(chain) + 1)]
        assert len(chain) <= 3
    assert max(len(chain) for chain in chains.values()) >= 2
    assert mock_site.lookup("/Section/101/1") == "/Section/101"
    assert mock_site.lookup(f"/Section/101/{len(chains[101]) + 1}") is None


def test_every_article_is_listed_and_links_are_noisy(mock_site: MockSite) -> None:
    listed: dict[str, set[int]] = {}
    hrefs = []
    for path in (p for p in mock_site.pages if p.startswith("/Section/")):
        sid = int(path.split("/")[2])
        for href in page(mock_site, path).css(LISTING_LINKS).css("::attr(href)").getall():
            hrefs.append(href)
            listed.setdefault(ARTICLE_ID.search(href).group(1), set()).add(sid)  # type: ignore[union-attr]
    assert set(listed) == {str(r.id) for r in mock_site.manifest}
    assert any(len(sections) > 1 for sections in listed.values())
    assert any("utm_source=" in h for h in hrefs) and any(h.endswith("#comments") for h in hrefs)
    assert any(h.startswith("@@BARE@@") for h in hrefs) and any(h.startswith("@@OTHER@@") for h in hrefs)
    canonical = {r.path for r in mock_site.manifest}
    variants = [h for h in hrefs
                if h.startswith("/Detail/") and h.split("?")[0].split("#")[0] not in canonical]
    assert variants and all(mock_site.lookup(v) in canonical for v in variants)


def test_slug_variants_serve_the_same_page(mock_site: MockSite) -> None:
    record = mock_site.manifest[5]
    assert len(record.slug_variants) == 4 and record.path not in record.slug_variants
    for variant in record.slug_variants:
        assert mock_site.lookup(variant + "?utm_source=x") == record.path
    assert any("--" in v or v.endswith("-") for v in record.slug_variants)
    assert mock_site.lookup("/Detail/2026/01/01/1/Nothing") is None
    escaped = [r for r in mock_site.manifest if "%E2%80%99" in r.path]
    assert escaped and all(r.slug_variants[3] == r.path.replace("%E2%80%99", "%e2%80%99")
                           .replace("%E2%80%98", "%e2%80%98") for r in escaped)


def test_rss_has_the_real_feeds_quirks(mock_site: MockSite) -> None:
    xml = mock_site.pages["/rss.xml"].decode("utf-8")
    items = ET.fromstring(xml).findall("./channel/item")
    links = [item.findtext("link") or "" for item in items]
    assert len(set(links)) == 20 and len(links) > len(set(links))
    assert all(link.startswith("@@BARE@@/Detail/") for link in links)
    assert all(item.find("pubDate") is None for item in items)
    encoded = "{http://purl.org/rss/1.0/modules/content/}encoded"
    assert all(item.find(encoded) is not None and not item.findtext(encoded) for item in items)
    descriptions = [item.findtext("description") or "" for item in items]
    assert all(d.startswith("   ") and d.endswith("\n") for d in descriptions)
    assert {link.split("@@", 2)[2] for link in links} == {r.path for r in mock_site.manifest[:20]}


def test_sitemap_robots_and_home(mock_site: MockSite) -> None:
    sitemap = mock_site.pages["/sitemap.xml"].decode()
    assert sitemap.count("<loc>") == len(mock_site.manifest)
    robots = mock_site.pages["/robots.txt"].decode()
    assert "Disallow: /Admin/" in robots and "Disallow: /\n" not in robots
    home = page(mock_site, "/")
    assert {f"/Section/{sid}" for sid in SECTION_NAMES} <= set(home.css("nav a::attr(href)").getall())
    assert home.css("div.panel.items li > div.dsc > h3 > a")


def test_seed_article_is_rendered_with_its_real_text(mock_site: MockSite) -> None:
    expected = seed_expected()
    record = next(r for r in mock_site.manifest if r.headline == expected["headline"])
    assert record.section == "Afghanistan" and record.credit == "AP"
    assert record.caption == expected["images"][0]["caption"]
    assert list(record.subheadings) == expected["subheadings"]
    assert len(record.body) == expected["body_paragraphs"]
    assert record.body[0].startswith(expected["body_starts_with"])
    assert record.body[-1] == expected["body_ends_with"]
    sel = page(mock_site, record.path)
    assert [norm(h) for h in sel.css("div[class*=body] h2::text").getall()] == expected["subheadings"]
    tail = [norm("".join(p.css("::text").getall())) for p in sel.css("div[class*=body] > p")][-3:]
    assert tail[0] == FOOTER_START and tail[2] == ROKU
    assert "(Photo by AP)" in sel.css(".main-image").get("")
    body = norm(" ".join(record.body))
    for quote in expected["quotes"]:
        assert norm(quote["text"]) in body
    assert "“to determine the seriousness of the parties.”" in body
