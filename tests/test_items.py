"""The Article item is a public JSON contract: names, types and defaults."""

from __future__ import annotations

import dataclasses
import json

import pytest
from itemadapter import ItemAdapter

from newscrawl.items import Article

CONTRACT = ["url", "fetched_url", "mirror", "site", "section", "breadcrumb", "headline", "lead",
            "authors", "published_at", "published_at_raw", "updated_at", "body", "subheadings",
            "images", "quotes", "language", "fetched_at", "parser", "article_key", "rendered"]


def test_field_names_are_the_public_contract() -> None:
    names = [f.name for f in dataclasses.fields(Article)]
    assert names[: len(CONTRACT)] == CONTRACT
    assert names[len(CONTRACT):] == ["sources"]  # the per-field provenance record


def test_only_url_is_required_and_fields_are_keyword_only() -> None:
    with pytest.raises(TypeError):
        Article()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Article("https://s.example/a")  # type: ignore[misc]
    article = Article(url="https://s.example/a")
    assert article.authors == [] and article.images == [] and article.headline == ""
    assert Article(url="u").authors is not article.authors  # no shared mutable defaults


def test_serialises_to_plain_json_through_itemadapter() -> None:
    image = {"url": "i", "caption": "c", "credit": "AP", "alt": ""}
    article = Article(url="https://s.example/a", images=[image],  # type: ignore[list-item]
                      quotes=[{"text": "t", "speaker": "s", "cue": "said", "partial": False}])
    data = json.loads(json.dumps(ItemAdapter(article).asdict()))
    assert data["images"][0]["credit"] == "AP" and data["quotes"][0]["partial"] is False
    assert list(data) == [*CONTRACT, "sources"]
