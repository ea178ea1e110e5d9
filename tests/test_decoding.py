"""One decoding path (newscrawl/decoding.py) for the crawl, ``newscrawl parse --warc``, the
Python API and the classifier: the HTTP header's charset first, as browsers read pages."""

from __future__ import annotations

import asyncio
from typing import Any

from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from newscrawl.classify.observation import HeaderMap, Observation
from newscrawl.decoding import decode, header_encoding
from newscrawl.extract import parse_article
from newscrawl.sites import load_sites
from newscrawl.spiders.news import NewsSpider
from tests.helpers import project_settings

SITE = load_sites()["presstv"]
URL = SITE.primary + "/Detail/2026/08/15/774416/Strasse"
GERMAN = ("Die Straße nach München war gesperrt, berichtete die Polizei am Morgen. " * 4).strip()
ARABIC = ("قالت وزارة الخارجية إن المحادثات ستستمر في العاصمة خلال الأسبوع المقبل. " * 4).strip()


def page(text: str, meta: str = "") -> str:
    return (f"<html><head>{meta}<title>Titel</title></head><body><article><h1>{text[:24]}</h1>"
            + "".join(f"<p>{text}</p>" for _ in range(4)) + "</article></body></html>")


def crawled(body: bytes, content_type: str) -> Any:
    """The article the spider makes of a response with this body and Content-Type."""
    crawler = get_crawler(NewsSpider, project_settings(NEWSCRAWL_STORE_ENABLED=False))
    crawler.stats.open_spider()  # type: ignore[union-attr]
    spider = NewsSpider.from_crawler(crawler, site=SITE)
    response = HtmlResponse(URL, body=body, headers={"Content-Type": content_type}, request=Request(URL))

    async def drain() -> list[Any]:
        return [item async for item in spider.parse_article(response)]
    articles = asyncio.run(drain())
    assert len(articles) == 1
    return articles[0]


def test_a_latin1_page_without_meta_charset_keeps_its_letters() -> None:
    body = page(GERMAN).encode("latin-1")
    article = crawled(body, "text/html; charset=ISO-8859-1")
    assert "Straße nach München" in article.body and "ك" not in article.body
    assert header_encoding("text/html; charset=ISO-8859-1") == "cp1252"  # as browsers read it
    assert "Straße" in parse_article(body, URL, encoding="cp1252").body


def test_a_windows_1256_page_by_its_header_or_its_meta() -> None:
    body = page(ARABIC).encode("cp1256")
    assert ARABIC[:40] in crawled(body, "text/html; charset=windows-1256").body
    with_meta = page(ARABIC, '<meta charset="windows-1256">').encode("cp1256")
    assert ARABIC[:40] in crawled(with_meta, "text/html").body


def test_the_header_wins_when_it_and_the_meta_disagree() -> None:
    body = page(GERMAN, '<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">') \
        .encode("latin-1")
    assert decode(body)[1] == "cp1256"  # the meta alone would read Arabic letters
    article = crawled(body, "text/html; charset=iso-8859-1")
    assert "Straße nach München" in article.body
    header = header_encoding(b"text/html; charset=iso-8859-1")
    assert decode(body, header) == (body.decode("cp1252"), "cp1252")


def test_a_header_charset_the_bytes_do_not_decode_in_gives_way() -> None:
    body = page(ARABIC, '<meta charset="windows-1256">').encode("cp1256")
    assert decode(body, "utf-8") == (body.decode("cp1256"), "cp1256")  # a lying header: the meta
    assert header_encoding("text/html") is None and header_encoding("text/html; charset=nonsense") is None


def test_the_classifier_reads_the_body_as_extraction_does() -> None:
    body = page(GERMAN).encode("latin-1")
    seen = Observation(URL, 200, HeaderMap.from_dict({"Content-Type": "text/html; charset=iso-8859-1"}), body)
    assert seen.encoding == "cp1252" and "Straße" in seen.body_text and seen.charset == "cp1252"
    arabic = Observation(URL, 200, HeaderMap.from_dict({"Content-Type": "text/html"}),
                         page(ARABIC, '<meta charset="windows-1256">').encode("cp1256"))
    assert arabic.charset is None and ARABIC[:40] in arabic.body_text
