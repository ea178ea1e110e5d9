"""Golden test: the seed Press TV article (tests/data/presstv_seed.html, built by
tests/data/make_presstv_seed.py) against its expected JSON, with the site's selectors and without."""

from __future__ import annotations

from pathlib import Path

import pytest

from newscrawl.extract import parse_article
from newscrawl.items import Article
from newscrawl.sites import load_sites
from newscrawl.testing.mocksite.seed import seed_expected

DATA = Path(__file__).parent / "data"
EXPECTED = seed_expected()
URL = "https://www.presstv.ir/Detail/2021/08/11/664174/Ninth-provincial-capital-falls-to-Taliban"


def _norm(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split())


@pytest.fixture(scope="module", params=["presstv", None], ids=["site", "generic"])
def article(request: pytest.FixtureRequest) -> Article:
    site = load_sites()[request.param] if request.param else None
    return parse_article((DATA / "presstv_seed.html").read_bytes(), URL, site)


def test_fixture_is_built_from_the_seed_text() -> None:
    from tests.data.make_presstv_seed import render

    assert render() == (DATA / "presstv_seed.html").read_text("utf-8"), "rerun make_presstv_seed.py"


def test_metadata(article: Article) -> None:
    assert article.headline == EXPECTED["headline"]
    assert article.breadcrumb == EXPECTED["breadcrumb"]
    assert article.section == EXPECTED["section"]
    assert article.published_at_raw == "8/11/2021 1:50:13 PM"
    assert article.published_at.startswith("2021-08-11T13:50:13")
    assert article.language == "en"


def test_timezone_from_site_definition(article: Article) -> None:
    if article.site == "presstv":  # Tehran kept summer time (+04:30) until 2022
        assert article.published_at == "2021-08-11T13:50:13+04:30"
        assert article.parser == "site"
    else:
        assert article.parser == "generic"


def test_lead_image_caption_and_credit(article: Article) -> None:
    assert len(article.images) == 1
    image = article.images[0]
    assert image["url"].startswith("https://cdn.presstv.ir/Photo/2021/8/11/")
    assert image["caption"] == EXPECTED["images"][0]["caption"]
    assert image["credit"] == EXPECTED["images"][0]["credit"]


def test_body(article: Article) -> None:
    body = _norm(article.body)
    assert body.startswith(_norm(EXPECTED["body_starts_with"]))
    assert body.endswith(_norm(EXPECTED["body_ends_with"]))
    for text in EXPECTED["not_in_body"]:
        assert _norm(text) not in body
    assert article.subheadings == EXPECTED["subheadings"]
    paragraphs = [p for p in article.body.split("\n\n") if p not in article.subheadings]
    assert len(paragraphs) == EXPECTED["body_paragraphs"]
    assert article.sources["body"] == article.parser


def _same(a: str, b: str) -> bool:
    return _norm(a).strip(" ,.") == _norm(b).strip(" ,.")


@pytest.mark.parametrize("wanted", EXPECTED["quotes"], ids=lambda q: q["text"][:30])
def test_required_quote(article: Article, wanted: dict) -> None:
    found = [q for q in article.quotes if _same(q["text"], wanted["text"])]
    assert found, f"quote not found: {wanted['text']}"
    quote = found[0]
    assert any(s.lower() in quote["speaker"].lower() for s in wanted["speaker_any"]), quote
    assert quote["partial"] == wanted["partial"], quote
    assert quote["cue"]


def test_no_false_quotes(article: Article) -> None:
    allowed = [q["text"] for q in (*EXPECTED["quotes"], *EXPECTED["optional_quotes"])]
    false = [q for q in article.quotes if not any(_same(q["text"], a) for a in allowed)]
    assert not false
    assert not any("Taliban militants have taken most" in q["text"] for q in article.quotes)


def test_quotes_in_document_order(article: Article) -> None:
    body = _norm(article.body)
    positions = [body.find(_norm(q["text"])[:40]) for q in article.quotes]
    assert positions == sorted(positions)
