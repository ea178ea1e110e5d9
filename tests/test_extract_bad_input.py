"""parse_article never raises: empty, binary, truncated, huge, deeply nested or mis-encoded
pages give an Article with what could be found, and a logged reason."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import NoReturn

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newscrawl.extract import _parse, parse_article
from newscrawl.extract.layers import failures
from newscrawl.items import Article

URL = "https://example.org/news/1"
SEED = (Path(__file__).parent / "data" / "presstv_seed.html").read_bytes()


@pytest.mark.parametrize(
    "page",
    [
        b"",
        "",
        b"   \n",
        b"\x00\x01\x02\xff" * 300,
        b"\x89PNG\r\n\x1a\n" + bytes(500),
        "<html><body><p>unclosed <b>tags <i>everywhere",
        b"<?xml version='1.0'?><rss/>",
        "<<<>>>&&&;;",
        b"\xef\xbb\xbf<html><body><p>BOM only</p></body></html>",
    ],
)
def test_garbage_gives_an_article(page: str | bytes, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="newscrawl.extract"):
        article = parse_article(page, URL)
    assert isinstance(article, Article) and article.url == URL


def test_empty_page_logs_a_reason(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="newscrawl.extract"):
        assert parse_article(b"", URL).body == ""
    assert "empty document" in caplog.text


def test_page_without_article_logs_no_body(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="newscrawl.extract"):
        article = parse_article("<html><body><ul><li><a href='/a'>Home</a></li></ul></body></html>", URL)
    assert article.body == "" and "no article body" in caplog.text


def test_truncated_seed_keeps_what_it_has() -> None:
    article = parse_article(SEED[: len(SEED) // 2], URL)
    assert article.headline.startswith("Ninth provincial capital")
    assert article.body.startswith("As the Taliban militant group")


def test_ten_megabyte_page_is_fast_enough() -> None:
    filler = (
        b"<div class='row'><p>" + b"Lorem ipsum dolor sit amet, consectetur adipiscing. " * 20 + b"</p></div>"
    )
    page = b"<html><body>" + filler * (10_000_000 // len(filler)) + b"</body></html>"
    assert len(page) > 9_000_000
    started = time.perf_counter()
    article = _parse(page, URL, None)
    assert time.perf_counter() - started < 30
    assert isinstance(article, Article)


def test_absurd_nesting() -> None:
    page = (
        "<html><body>"
        + "<div>" * 50_000
        + "<p>"
        + "Deep text that is long enough. " * 5
        + "</p>"
        + "</div>" * 50_000
    )
    article = _parse(page, URL, None)
    assert isinstance(article, Article)


def test_wrong_declared_encodings() -> None:
    latin = SEED.replace(b"Afghanistan's", "Café Afghanistan's".encode("latin-1"))
    article = parse_article(latin, URL)
    assert "Café" in article.body
    arabic = (
        "<html><head><meta charset='utf-8'><title>خبر</title></head><body><div>"
        + "<p>هذا نص عربي طويل بما يكفي ليعتبر فقرة من فقرات المقال.</p>" * 4
        + "</div></body></html>"
    )
    article = parse_article(arabic.encode("cp1256"), URL)
    assert "نص عربي" in article.body


def test_mixed_encodings_do_not_raise() -> None:
    page = SEED + "é".encode("latin-1") + "ی".encode() + b"\xff\xfe"
    assert parse_article(page, URL).headline


MARKUP = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<div class='body'>",
        "</div>",
        "<h2>",
        "</h2>",
        "<figure>",
        "<img src=x>",
        "<figcaption>",
        "“",
        "”",
        '"',
        "«",
        "»",
        " said ",
        "(Photo by AP)",
        "<script>",
        "&amp;",
        "<meta charset='utf-8'>",
        '<script type="application/ld+json">{"@type":"NewsArticle",',
        "\x00",
        "\ud7ff",
        "<br>",
        "<!--",
        "-->",
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(MARKUP, st.text(max_size=40)), max_size=60))
def test_generated_html_never_raises(parts: list[str]) -> None:
    page = "".join(parts)
    for document in (page, page.encode("utf-8", "surrogatepass")):
        article = _parse(document, URL, None)  # the unguarded core: an exception fails the test
        assert isinstance(article, Article)
        assert all(q["text"] for q in article.quotes)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, len(SEED) - 1), st.integers(1, 400), st.binary(max_size=50))
def test_mutated_seed_never_raises(start: int, length: int, junk: bytes) -> None:
    article = _parse(SEED[:start] + junk + SEED[start + length :], URL, None)
    assert isinstance(article, Article)


PARAGRAPH = "<p>" + "This paragraph of the article keeps going with more plain words. " * 5 + "</p>"


def _page(detail: str, head: str = "") -> str:
    return (f"<html><head>{head}<title>Headline of the page</title></head><body><article>"
            f"<h1>Headline of the page</h1>{PARAGRAPH}{detail}{PARAGRAPH}"
            "<figure><img src='/good.jpg'><figcaption>A good picture</figcaption></figure>"
            "</article></body></html>")


@pytest.mark.parametrize(
    "detail",
    [
        '<a href="http://[::1/x"><img src="/a.jpg"></a>',  # a bad IPv6 host around an image
        '<img src="http://[oops/pic.jpg">',
        '<img srcset="/a.jpg 1.5.0x, /b.jpg 2x">',  # a descriptor that is no number
        "<span hidden>screen reader</span>\x0b\x01 after a hidden element",
        "<div style='display:none'>x</div>\x1f",
        '<time datetime="13/45/2024 10:00">then</time>',  # no such month
    ],
)
def test_one_bad_detail_keeps_the_article(detail: str) -> None:
    article = _parse(_page(detail), URL, None)  # the unguarded core must not raise either
    assert article.headline == "Headline of the page"
    assert "plain words" in article.body and len(article.body) > 500
    assert "https://example.org/good.jpg" in [image["url"] for image in article.images]


def test_a_control_character_after_a_hidden_element_stays_out_of_the_text() -> None:
    detail = "<p>Words before <span hidden>x</span>\x0b\x01tail words here, and a sentence that goes on.</p>"
    article = parse_article(_page(detail), URL)
    assert "Words before tail words here" in article.body and "\x01" not in article.body


@pytest.mark.parametrize("charset", ["utf-16", "UTF-16LE", "utf-32", "cp037"])
def test_a_charset_the_bytes_cannot_be_in_is_ignored(charset: str) -> None:
    """An ASCII page declaring UTF-16 (or any encoding ASCII does not survive) is read as it is."""
    for padding in ("", " "):  # an even and an odd number of bytes
        page = (_page("", head=f'<meta charset="{charset}">') + padding).encode("ascii")
        article = parse_article(page, URL)
        assert article.headline == "Headline of the page", charset
        assert "plain words" in article.body


def _broken(*_args: object, **_kwargs: object) -> NoReturn:
    raise ValueError("a layer that breaks")


@pytest.mark.parametrize(
    ("target", "field", "empty"),
    [
        ("newscrawl.extract.find_quotes", "quotes", []),
        ("newscrawl.extract.extract_images", "images", []),
        ("newscrawl.extract.json_ld", "json_ld", None),
        ("newscrawl.extract.metadata.byline", "authors", []),
        ("newscrawl.extract.parse_date", "published_at", ""),
        ("newscrawl.extract.images.caption_and_credit", "captions", None),
    ],
)
def test_a_failing_layer_leaves_only_its_field_empty(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
        target: str, field: str, empty: object) -> None:
    monkeypatch.setattr(target, _broken)
    with caplog.at_level(logging.WARNING, logger="newscrawl.extract"):
        article = parse_article(SEED, URL)
    assert article.headline.startswith("Ninth provincial capital")
    assert article.body.startswith("As the Taliban militant group")
    if empty is not None:
        assert getattr(article, field) == empty
    assert (field, "ValueError") in failures(article.sources)
    assert f"{field} extraction failed (ValueError: a layer that breaks)" in caplog.text


def test_a_failing_caption_keeps_its_image(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("newscrawl.extract.images.caption_and_credit", _broken)
    article = parse_article(_page(""), URL)
    assert [(i["url"], i["caption"]) for i in article.images] == [("https://example.org/good.jpg", "")]


def test_a_passed_deadline_keeps_the_article_url_and_says_so() -> None:
    article = parse_article(SEED, URL, deadline=time.monotonic() - 1)
    assert article.url == URL and not article.body
    assert ("document", "timeout") in failures(article.sources)


def test_a_clean_page_records_no_errors() -> None:
    assert "errors" not in parse_article(SEED, URL).sources


def test_a_stray_nul_byte_is_not_a_binary_page() -> None:
    article = parse_article(b"\x00" + SEED[:500] + b"\x00" + SEED[500:], URL)
    assert article.headline.startswith("Ninth provincial capital")


def test_one_stray_byte_does_not_turn_a_utf8_page_into_mojibake() -> None:
    """A damaged byte (or a Windows-1252 letter) in a UTF-8 page: the rest stays UTF-8."""
    page = _page("", head="<meta charset='utf-8'>").replace("Headline of the page", "Headline’s “page”")
    article = parse_article(b"\x80" + page.encode() + "Café".encode("cp1252"), URL)
    assert article.headline == "Headline’s “page”"
