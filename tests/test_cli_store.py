"""``newscrawl export`` and ``newscrawl stats`` on a store, through the real CLI entry point."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from newscrawl.cli import main
from newscrawl.storage import open_store
from tests.storage_data import article, body


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    store = open_store(url)
    store.save_articles(None, [article(1), article(2, day="2024-05-03", mirror="https://www.presstv.tv"),
                               article(3, site="other")])
    store.save_articles(None, [{**article(1), "body": body(1) + "\n\nThis story was updated."}])
    store.close()
    return url


def test_export_jsonl_to_stdout_flags_revisions(store_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "presstv", "--store", store_url]) == 0
    out, err = capsys.readouterr()
    rows = [json.loads(line) for line in out.splitlines()]
    assert [(r["headline"], r["revision"], r["is_revision"]) for r in rows] == [
        ("Story 1", 2, True), ("Story 2", 1, False)]
    assert rows[0]["body"].endswith("This story was updated.")
    assert "exported 2 articles of presstv" in err


def test_export_csv_since_to_file(store_url: str, tmp_path: Path) -> None:
    target = tmp_path / "out" / "presstv.csv"
    assert main(["export", "presstv", "--since", "2024-05-02", "--format", "csv",
                 "-o", str(target), "--store", store_url]) == 0
    with target.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["headline"], r["revision"], r["mirror"]) for r in rows] == [
        ("Story 2", "1", "https://www.presstv.tv")]
    assert "\n\n" in rows[0]["body"]  # paragraphs survive the CSV quoting


def test_stats_per_site_day_and_mirror(store_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--store", store_url]) == 0
    out = capsys.readouterr().out
    for expected in ("presstv", "other", "2024-05-01", "2024-05-03", "https://www.presstv.tv"):
        assert expected in out
    site_rows = [line.split() for line in out.splitlines() if line.strip().startswith("presstv")]
    assert site_rows[0][1:3] == ["2", "1"]  # two articles, one revised


def test_missing_store_is_one_clear_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--store", f"sqlite:///{tmp_path / 'none.db'}"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no store there" in err[0]
    assert not (tmp_path / "none.db").exists()
