"""CSV formula injection: text cells that start like a spreadsheet formula are exported with a
leading ``'`` (OWASP), by ``newscrawl export --format csv`` and by Scrapy CSV feeds."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from scrapy.settings import Settings

from newscrawl.cli import main
from newscrawl.csvsafe import SafeCsvItemExporter, safe_cell
from newscrawl.storage import open_store
from tests.storage_data import article

HOSTILE = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+cmd|' /C calc'!A0", "-2+3",
           "@SUM(A1:A9)", "\t=1+1", "\r=1+1", "\uff1d1+1"]


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_starts_get_a_quote(text: str) -> None:
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["Iran says 3 = 3", "", "'already quoted", "1 killed", "A-B"])
def test_ordinary_text_is_unchanged(text: str) -> None:
    assert safe_cell(text) == text


def test_export_csv_neutralises_every_text_cell(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    store = open_store(url)
    stored = [{**article(n), "headline": text, "lead": text} for n, text in enumerate(HOSTILE, 1)]
    store.save_articles(None, stored)
    store.close()
    target = tmp_path / "out.csv"
    assert main(["export", "presstv", "--format", "csv", "-o", str(target), "--store", url]) == 0
    with target.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["headline"] for row in rows] == ["'" + text for text in HOSTILE]
    assert [row["lead"] for row in rows] == ["'" + text for text in HOSTILE]
    assert rows[0]["revision"] == "1" and rows[0]["is_revision"] == "false"


def test_csv_feeds_use_the_safe_exporter() -> None:
    settings = Settings()
    settings.setmodule("newscrawl.settings", priority="project")
    assert settings.getdict("FEED_EXPORTERS")["csv"] == "newscrawl.csvsafe.SafeCsvItemExporter"
    out = io.BytesIO()
    exporter = SafeCsvItemExporter(out, fields_to_export=["headline", "section"])
    exporter.start_exporting()
    for text in HOSTILE:
        exporter.export_item({"headline": text, "section": "World"})
    exporter.finish_exporting()
    rows = list(csv.DictReader(io.StringIO(out.getvalue().decode("utf-8"), newline="")))
    assert [row["headline"] for row in rows] == ["'" + text for text in HOSTILE]
    assert {row["section"] for row in rows} == {"World"}
