"""Validation and normalisation pipelines, built from a crawler like Scrapy's own tests."""

from __future__ import annotations

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from newscrawl.items import Article
from newscrawl.pipelines import NormalizationPipeline, ValidationPipeline, clean_text


def validation() -> tuple[ValidationPipeline, object]:
    crawler = get_crawler(settings_dict={})
    crawler.stats.open_spider()  # type: ignore[union-attr]
    return ValidationPipeline.from_crawler(crawler), crawler.stats


@pytest.mark.parametrize("missing", ["url", "headline", "body"])
def test_validation_drops_items_missing_a_required_field(missing: str) -> None:
    pipeline, stats = validation()
    fields = {"url": "https://s.example/a", "headline": "H", "body": "B"}
    fields[missing] = "  " if missing != "url" else ""
    with pytest.raises(DropItem, match=f"missing {missing}"):
        pipeline.process_item(Article(**fields))
    assert stats.get_value(f"newscrawl/dropped/missing_{missing}") == 1  # type: ignore[attr-defined]


def test_validation_passes_complete_items_and_plain_dicts() -> None:
    pipeline, stats = validation()
    item = Article(url="https://s.example/a", headline="H", body="B")
    assert pipeline.process_item(item) is item
    assert pipeline.process_item({"url": "u", "headline": "h", "body": "b"})
    assert not stats.get_stats()  # type: ignore[attr-defined]


def test_clean_text_whitespace_nbsp_nfc_and_paragraphs() -> None:
    assert clean_text("  Cafe\u0301\u00a0 au\tlait\u200b ") == "Café au lait"
    body = "First  para\u00a0one.\n\n\n\n  Second\npara. \r\n\r\n"
    assert clean_text(body, keep_paragraphs=True) == "First para one.\n\nSecond para."


def test_normalization_cleans_every_string_field() -> None:
    item = Article(
        url="https://s.example/a", headline=" Big\u00a0news ", body="A  b.\n\n\n C\u00a0d. ",
        authors=["Jane Doe", " Jane  Doe", "", "John Roe"], published_at="2026-08-15T10:00:00+03:30",
        updated_at="yesterday", breadcrumb=["News", " Afghanistan "],
        images=[{"url": "https://s.example/i.jpg", "caption": "A\u00a0caption ", "credit": " AP",
                 "alt": ""}],
        sources={"headline": "structured"},
    )
    out = NormalizationPipeline().process_item(item)
    assert out.headline == "Big news"
    assert out.body == "A b.\n\nC d."
    assert out.authors == ["Jane Doe", "John Roe"]
    assert out.published_at == "2026-08-15T10:00:00+03:30"
    assert out.updated_at == ""  # not ISO 8601: emptied rather than stored wrong
    assert out.breadcrumb == ["News", "Afghanistan"]
    assert out.images == [{"url": "https://s.example/i.jpg", "caption": "A caption", "credit": "AP",
                           "alt": ""}]


def test_body_prints_are_found_by_the_body_and_bounded() -> None:
    """What the extraction worker computed reaches the store with the same body only; prints
    of articles dropped on the way do not pile up."""
    from newscrawl.dedup.content import body_print
    from newscrawl.storepipeline import BodyPrints

    prints = BodyPrints(size=2)
    body = "One paragraph.\n\nAnother paragraph."
    prints.add(body_print(body))
    assert prints.take(clean_text(body + " ", keep_paragraphs=True)) == body_print(body)  # an equal string
    assert prints.take(body) is None  # taken once
    prints.add(body_print(body))
    assert prints.take(body + " Changed on the way.") is None
    for n in range(3):
        prints.add(body_print(f"Body {n}."))
    assert [prints.take(body), prints.take("Body 0.")] == [None, None]  # the oldest went
    assert prints.take("Body 2.") == body_print("Body 2.")
    assert prints.take(None) is None
