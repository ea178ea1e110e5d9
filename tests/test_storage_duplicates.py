"""Duplicates recorded by the store: the URL, the stored article matched, the similarity;
skipped by the next run (``stored_dates``); the near-duplicate threshold (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from newscrawl.storage import open_store
from tests import fixtures_postgres
from tests.test_storage import article, story

postgres_server = fixtures_postgres.postgres_server
store_url = fixtures_postgres.store_url
store = fixtures_postgres.store


def near_copy(n: int) -> str:
    """Article ``n``'s body with a changed footer: a near-duplicate, not an exact one."""
    return story(n) + "\n\nFollow us on every network for more of the latest news updates today."


def test_duplicates_are_recorded_with_the_article_matched_and_skipped_next_time(store: Any) -> None:
    original, exact, near = article(1), article(2, body=story(1)), article(3, body=near_copy(1))
    assert store.save_articles(None, [original]) == ["new"]
    assert store.save_articles(None, [exact, near, article(4)]) == ["duplicate", "near_duplicate", "new"]
    records = {record.url: record for record in store.duplicates("presstv")}
    assert set(records) == {exact["url"], near["url"]}
    assert records[exact["url"]].kind == "duplicate" and records[exact["url"]].similarity == 1.0
    assert records[near["url"]].kind == "near_duplicate" and 0.5 <= records[near["url"]].similarity < 1.0
    assert {record.matched_url for record in records.values()} == {original["url"]}
    assert store.duplicates("other") == [] and len(store.duplicates()) == 2
    skipped = store.stored_dates([exact["url"], near["url"], article(9)["url"]])
    assert set(skipped) == {exact["url"], near["url"]}
    assert store.save_articles(None, [near]) == ["near_duplicate"]  # seen again: one row, refreshed
    assert len(store.duplicates()) == 2


def test_a_threshold_of_0_turns_near_duplicates_off_and_a_stored_one_leaves_the_list(store: Any) -> None:
    near = article(3, body=near_copy(1))
    store.save_articles(None, [article(1)])
    assert store.save_articles(None, [near]) == ["near_duplicate"]
    store.near_similarity = 0.0
    assert store.save_articles(None, [near]) == ["new"]  # off: stored, no longer listed
    assert store.duplicates() == [] and store.has_article(near["url"])


def test_a_threshold_above_the_similarity_stores_the_article(store: Any) -> None:
    store.save_articles(None, [article(1)])
    store.near_similarity = 0.99
    assert store.save_articles(None, [article(3, body=near_copy(1))]) == ["new"]


def test_a_plain_path_is_a_sqlite_store(tmp_path: Path) -> None:
    opened = open_store(str(tmp_path / "plain.db"))
    opened.close()
    assert (tmp_path / "plain.db").exists()
