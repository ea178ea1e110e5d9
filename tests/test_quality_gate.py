"""Quality gate: today's extraction scores (bench/quality.py) must not fall below the pinned
baseline (tests/quality_baseline.json). Raise it with ``bench/quality.py --update-baseline``;
lowering it takes ``--allow-lower`` as well."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import quality

TOLERANCE = 0.002  # rounding noise only


@pytest.fixture(scope="module")
def scores() -> dict[str, float]:
    return quality.gated(quality.measure(quality.DEFAULT_DATA, with_peers=False))


def test_no_score_below_baseline(scores: dict[str, float]) -> None:
    baseline = json.loads(quality.BASELINE.read_text(encoding="utf-8"))
    assert set(baseline) <= set(scores), "a pinned score is no longer measured"
    drops = {k: (v, scores[k]) for k, v in baseline.items() if scores[k] < v - TOLERANCE}
    assert not drops, f"quality dropped below baseline (baseline, now): {drops}"


def test_seed_passes_every_check(scores: dict[str, float]) -> None:
    assert scores["seed_site"] == 1.0
    assert scores["seed_generic"] == 1.0


def test_update_refuses_to_lower_without_flag(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    path.write_text(json.dumps({"body_f1": 0.9}), encoding="utf-8")
    assert quality.update_baseline({"body_f1": 0.8}, allow_lower=False, path=path)
    assert json.loads(path.read_text(encoding="utf-8")) == {"body_f1": 0.9}
    assert not quality.update_baseline({"body_f1": 0.8}, allow_lower=True, path=path)
    assert json.loads(path.read_text(encoding="utf-8")) == {"body_f1": 0.8}
    assert not quality.update_baseline({"body_f1": 0.95}, allow_lower=False, path=path)
