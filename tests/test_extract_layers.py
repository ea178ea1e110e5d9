"""Unit tests of each extraction layer on small hand-made pages."""

from __future__ import annotations

import json

import pytest

from newscrawl.extract import parse_article
from newscrawl.extract.credits import clean_credit, split_credit
from newscrawl.extract.dates import parse_date
from newscrawl.extract.document import decode, parse_document
from newscrawl.extract.metadata import clean_authors, clean_headline
from newscrawl.extract.quotes import find_quotes
from newscrawl.extract.structured import json_ld, meta_tags
from newscrawl.sites.model import Site

PARAGRAPHS = "".join(
    f"<p>Paragraph {i} of the story says something long enough to count as text.</p>" for i in range(6)
)


def _tree(markup: str):  # type: ignore[no-untyped-def]
    tree = parse_document(markup, "https://example.org/a").tree
    assert tree is not None
    return tree


def test_json_ld_graph_and_fields() -> None:
    data = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "name": "Example"},
            {
                "@type": ["ReportageNewsArticle"],
                "headline": "Real headline",
                "datePublished": "2024-05-01T10:00:00Z",
                "author": [{"@type": "Person", "name": "Jane Doe"}, {"name": "John Roe"}],
                "articleSection": ["World"],
                "image": {"url": "https://img.example.org/a.jpg", "creditText": "Reuters"},
            },
        ],
    }
    tree = _tree(f'<html><head><script type="application/ld+json">{json.dumps(data)}</script></head></html>')
    fields = json_ld(tree)
    assert fields["headline"] == "Real headline"
    assert fields["authors"] == ["Jane Doe", "John Roe"]
    assert fields["section"] == "World"
    assert fields["image"]["credit"] == "Reuters"


def test_broken_json_ld_is_skipped() -> None:
    tree = _tree(
        '<html><head><script type="application/ld+json">{"@type": "NewsArticle", </script>'
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "B"}</script></head></html>'
    )
    assert json_ld(tree)["headline"] == "B"


def test_meta_tags_open_graph_and_dublin_core() -> None:
    tree = _tree(
        '<html><head><meta property="og:title" content="OG title">'
        '<meta name="DC.Date.Created" content="3/9/2026 11:50:13 AM">'
        '<meta property="article:section" content="Iran"></head></html>'
    )
    fields = meta_tags(tree)
    assert fields == {"headline": "OG title", "published_at": "3/9/2026 11:50:13 AM", "section": "Iran"}


@pytest.mark.parametrize(
    ("raw", "zone", "iso"),
    [
        ("8/11/2021 1:50:13 PM", "Asia/Tehran", "2021-08-11T13:50:13+04:30"),  # DST until 2022
        ("3/9/2026 11:50:13 AM", "Asia/Tehran", "2026-03-09T11:50:13+03:30"),
        ("8/11/2023 1:50:13 PM", "Asia/Tehran", "2023-08-11T13:50:13+03:30"),  # no DST since 2022
        ("2024-05-01T10:00:00Z", "", "2024-05-01T10:00:00+00:00"),
        ("Sun Mar 17, 2019 01:16PM", "", "2019-03-17T13:16:00"),
        ("Wed, 01 May 2024 10:00:00 +0200", "", "2024-05-01T10:00:00+02:00"),
        ("not a date", "Asia/Tehran", ""),
    ],
)
def test_parse_date(raw: str, zone: str, iso: str) -> None:
    assert parse_date(raw, zone) == iso


@pytest.mark.parametrize(
    ("caption", "text", "credit"),
    [
        ("Shops in Kunduz on August 1. (Photo by AP)", "Shops in Kunduz on August 1.", "AP"),
        ("Protesters in Paris. Photo: Reuters", "Protesters in Paris.", "Reuters"),
        ("A ship at sea © AFP", "A ship at sea", "AFP"),
        ("A minister speaks. Credit: Jane Doe/Bloomberg", "A minister speaks.", "Jane Doe/Bloomberg"),
        ("Rescuers at work (AFP)", "Rescuers at work", "AFP"),
        ("The summit in Rome. John Smith/Getty Images", "The summit in Rome.", "John Smith/Getty Images"),
        ("A quiet street in the old town", "A quiet street in the old town", ""),
    ],
)
def test_split_credit(caption: str, text: str, credit: str) -> None:
    assert split_credit(caption) == (text, credit)


def test_clean_credit_drops_labels() -> None:
    assert clean_credit("Photo by Jean Levac") == "Jean Levac"
    assert clean_credit("Foto: dpa") == "dpa"
    assert clean_credit("© Reuters") == "Reuters"


def test_headline_and_authors() -> None:
    assert clean_headline("Big news today - PressTV") == "Big news today"
    assert clean_authors(["By Jane Doe and John Roe", "Jane Doe, Staff Writer", "jane doe"]) == [
        "Jane Doe",
        "John Roe",
    ]


def test_body_drops_furniture_and_keeps_subheadings() -> None:
    page = (
        f"<html><body><nav><p>{'Menu entry text that is long enough to vote. ' * 2}</p></nav>"
        f'<div class="article-body">{PARAGRAPHS}<h2>What comes next</h2>{PARAGRAPHS}'
        '<div class="share-bar"><p>Share this story with your friends on every network.</p></div>'
        '<div class="related-links"><p>Another story you may like to read today, truly.</p></div></div>'
        "<footer><p>Copyright Example Media, all rights reserved, since 1999 and forever.</p></footer>"
        "</body></html>"
    )
    article = parse_article(page, "https://example.org/a")
    assert article.subheadings == ["What comes next"]
    assert article.body.count("Paragraph 0") == 2
    for junk in ("Menu entry", "Share this", "Another story", "Copyright"):
        assert junk not in article.body
    assert article.parser == "generic" and article.sources["body"] == "generic"


def test_body_from_bare_text_divs() -> None:
    divs = "".join(
        f"<div>Sentence {i} of a story written in plain divs, as some sites do.</div>" for i in range(5)
    )
    article = parse_article(f"<html><body><main><div class='story'>{divs}</div></main></body></html>", "u")
    assert article.body.count("Sentence") == 5


def test_a_div_whose_text_follows_a_line_break_is_a_paragraph_beside_real_ones() -> None:
    page = ("<html><body><main><div class='story'><div class='subline'><br>\nShe is the queen of tidying "
            "up, and since early 2019 a television star as well.</div>"
            f"{PARAGRAPHS * 3}</div></main></body></html>")
    body = parse_article(page, "u").body
    assert "She is the queen of tidying up" in body and "Paragraph 5" in body


def test_a_closing_heading_that_is_a_sentence_stays_and_a_label_goes() -> None:
    story = PARAGRAPHS * 3
    page = (f"<html><body><main><div class='story'>{story}<h4>He posts a fake profile on Facebook. It backs "
            "his version.</h4></div></main></body></html>")
    assert parse_article(page, "u").body.endswith("It backs his version.")
    page = f"<html><body><main><div class='story'>{story}<h4>Related</h4></div></main></body></html>"
    assert parse_article(page, "u").body.endswith("count as text.")


def test_site_selector_layer_wins_and_broken_selector_falls_back() -> None:
    page = (
        f"<html><head><meta property='og:title' content='OG'></head><body><h1 class='t'>Site title</h1>"
        f"<div class='x'>{PARAGRAPHS}</div></body></html>"
    )
    site = Site(
        name="ex",
        domains=("https://example.org",),
        sections=("/",),
        article_pattern=__import__("re").compile("a"),
        selectors={"headline": "h1.t", "body": "div.x"},
    )
    article = parse_article(page, "https://example.org/a", site)
    assert (article.headline, article.sources["headline"], article.parser) == ("Site title", "site", "site")
    broken = Site(
        name="ex",
        domains=("https://example.org",),
        sections=("/",),
        article_pattern=site.article_pattern,
        selectors={"headline": "h1[", "body": "xpath://div[@class="},
    )
    article = parse_article(page, "https://example.org/a", broken)
    assert (article.headline, article.parser) == ("OG", "generic")
    assert "Paragraph 3" in article.body


def test_images_lazy_srcset_noscript_and_credit_element() -> None:
    page = (
        '<html><body><article><figure><img src="data:image/gif;base64,R0" '
        'data-src="/img/lead.jpg" alt="Lead"><figcaption>Crowds in the square. '
        '<span class="credit">Photo: Jane Doe/AP</span></figcaption></figure>'
        f'{PARAGRAPHS}<figure><img srcset="/s.jpg 300w, /l.jpg 1200w" alt="">'
        "<figcaption>A second picture (AFP)</figcaption></figure>"
        '<img src="/logo.png" alt="logo"></article></body></html>'
    )
    images = parse_article(page, "https://example.org/news/a").images
    assert [i["url"] for i in images] == ["https://example.org/img/lead.jpg", "https://example.org/l.jpg"]
    assert (images[0]["caption"], images[0]["credit"], images[0]["alt"]) == (
        "Crowds in the square.",
        "Jane Doe/AP",
        "Lead",
    )
    assert (images[1]["caption"], images[1]["credit"]) == ("A second picture", "AFP")


def test_quotes_forms() -> None:
    paragraphs = [
        "Foreign Minister Anna Berg arrived on Monday.",
        "“We will not give up,” Berg said.",
        "She added: «Talks must go on.»",
        'The deal was "historic" for the region.',
        '"The first part of a long quote that keeps going.',
        '"And its second paragraph, closing here," the spokesman told AFP.',
        "He said the plan would work, without quoting anyone.",
    ]
    quotes = find_quotes(paragraphs)
    texts = [q["text"] for q in quotes]
    assert "We will not give up" in texts[0]
    assert quotes[0]["speaker"] == "Anna Berg" and quotes[0]["cue"] == "said" and not quotes[0]["partial"]
    assert "historic" not in texts  # an unattributed scare quote
    assert any(t.startswith("The first part") and "second paragraph" in t for t in texts)
    assert not any("plan would work" in t for t in texts)


def test_decode_wrong_declared_encoding() -> None:
    arabic = "<html><head><meta charset='utf-8'></head><body><p>مرحبا بالعالم</p></body></html>".encode(
        "cp1256"
    )
    text, encoding = decode(arabic)
    assert "مرحبا" in text and encoding == "cp1256"
    latin = "<html><head><meta charset='utf-8'></head><body><p>Café résumé</p></body></html>".encode(
        "latin-1"
    )
    text, _ = decode(latin)
    assert "Café résumé" in text


STORY = PARAGRAPHS * 3


def _story_then(tail: str) -> str:
    return f"<html><body><main><div class='story'>{STORY}{tail}</div></main></body></html>"


def test_the_body_stops_at_a_comment_section_heading() -> None:
    tail = "<h3>12 Comments</h3>" + "".join(
        f"<p>I think this article is wrong about point {i}, and here is a long reason why it is wrong.</p>"
        for i in range(6))
    body = parse_article(_story_then(tail), "u").body
    assert body.endswith("count as text.") and "Comments" not in body and "point 3" not in body


def test_the_body_stops_where_comments_begin_by_their_shape() -> None:
    tail = "".join(f"<p>Reader {i} 12.03.2020 um 10:1{i} Uhr</p><p>I think this article is wrong about point "
                   f"{i}, and here is a long reason why it is wrong.</p>" for i in range(4))
    body = parse_article(_story_then(tail), "u").body
    assert body.endswith("count as text.") and "Reader" not in body


def test_dated_citations_closing_a_court_report_are_no_comments() -> None:
    tail = "".join(f"<p>Bundesarbeitsgericht, Urteil vom 20.12.2022 - 9 AZR 26{i}/20</p><p>Vorinstanz: "
                   f"Landesarbeitsgericht Düsseldorf, Urteil vom 21.02.2020 - 10 Sa 18{i}/19, more words.</p>"
                   for i in range(4))
    body = parse_article(_story_then(tail), "u").body
    assert body.count("Urteil vom") == 8


def test_a_german_you_may_also_like_line_closes_the_body() -> None:
    tail = "<p>Das könnte Sie auch interessieren!</p>" + "".join(
        f"<p>Teaser {i} über etwas anderes</p>" for i in range(3))
    body = parse_article(_story_then(tail), "u").body
    assert body.endswith("count as text.")
