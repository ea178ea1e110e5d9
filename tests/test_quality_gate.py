"""Quality gate: today's extraction scores (bench/quality.py) must not fall below the pinned
baseline (tests/quality_baseline.json): every corpus's P/R/F1 and passed share, a floor for
every page that passed when the baseline was written (one page cannot silently collapse), and
the digest of each corpus (the scores are of exactly these files). Raise it with
``bench/quality.py --update-baseline``; lowering it takes ``--allow-lower`` as well.

All three body corpora are scored whole (extraction/ 80 pages, web/ 945, readability/ 130: about
half a minute on one core), newscrawl only; trafilatura is compared in the bench."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bench import quality

TOLERANCE = 0.002  # rounding noise only


@pytest.fixture(scope="module")
def pinned() -> dict[str, Any]:
    return quality.gated(quality.measure(quality.DEFAULT_DATA, with_peers=False))


@pytest.fixture(scope="module")
def baseline() -> dict[str, Any]:
    return json.loads(quality.BASELINE.read_text(encoding="utf-8"))


def test_every_corpus_is_pinned(baseline: dict[str, Any]) -> None:
    for corpus in ("extraction", "web", "readability"):
        assert f"{corpus}_f1" in baseline["scores"] and baseline["digests"].get(corpus)
        assert baseline["page_floors"][corpus], f"no page floors for {corpus}"


def test_no_score_below_baseline(pinned: dict[str, Any], baseline: dict[str, Any]) -> None:
    assert set(baseline["scores"]) <= set(pinned["scores"]), "a pinned score is no longer measured"
    assert not quality.regressions(baseline, pinned, TOLERANCE)


def test_seed_passes_every_check(pinned: dict[str, Any]) -> None:
    assert pinned["scores"]["seed_site"] == 1.0
    assert pinned["scores"]["seed_generic"] == 1.0


def _pinned(f1: float, page: float, digest: str = "d") -> dict[str, Any]:
    return {"scores": {"web_f1": f1}, "page_floors": {"web": {"a": quality.page_floor(page, "web")}},
            "digests": {"web": digest}, "pages": {"web": {"a": page}}}


def test_update_refuses_to_lower_without_flag(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    assert not quality.update_baseline(_pinned(0.9, 1.0), allow_lower=False, path=path)
    written = json.loads(path.read_text(encoding="utf-8"))
    assert written["page_floors"] == {"web": {"a": 0.66}} and "pages" not in written
    assert quality.update_baseline(_pinned(0.8, 1.0), allow_lower=False, path=path)  # score lower
    assert quality.update_baseline(_pinned(0.9, 0.33), allow_lower=False, path=path)  # one page lower
    assert quality.update_baseline(_pinned(0.9, 1.0, "other"), allow_lower=False, path=path)  # corpus changed
    assert json.loads(path.read_text(encoding="utf-8")) == written
    assert not quality.update_baseline(_pinned(0.8, 0.33), allow_lower=True, path=path)
    assert json.loads(path.read_text(encoding="utf-8"))["scores"] == {"web_f1": 0.8}
    assert not quality.update_baseline(_pinned(0.95, 1.0), allow_lower=False, path=path)


def test_a_collapsed_page_is_a_regression() -> None:
    baseline = _pinned(0.9, 1.0)
    assert quality.regressions(baseline, _pinned(0.9, 0.67)) == []  # one snippet of three may go
    assert quality.regressions(baseline, _pinned(0.9, 0.33)) == ["web/a: floor 0.66 -> 0.33"]
