"""Quote quality gate: quote P/R/F1 and speaker accuracy on the annotated quotes corpus
(bench/quotes.py; dev and held-out publishers) must not fall below tests/quotes_baseline.json.
Raise it with ``bench/quotes.py --update-baseline``; lowering it takes ``--allow-lower`` too. The
corpus is read from shared/ beside the repository (never copied into it)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import quotes
from bench.quotes_corpus import DEFAULT_CORPUS, load

TOLERANCE = 0.002  # rounding noise only

pytestmark = pytest.mark.skipif(not DEFAULT_CORPUS.is_file(), reason=f"no quotes corpus at {DEFAULT_CORPUS}")


@pytest.fixture(scope="module")
def scores() -> dict[str, float]:
    return quotes.gated({part: quotes.score(load(DEFAULT_CORPUS, publishers)) for part, publishers in
                         quotes.PARTS.items()})


def test_no_quote_score_below_baseline(scores: dict[str, float]) -> None:
    baseline = json.loads(quotes.BASELINE.read_text(encoding="utf-8"))
    assert set(baseline) <= set(scores), "a pinned score is no longer measured"
    drops = {k: (v, scores[k]) for k, v in baseline.items() if scores[k] < v - TOLERANCE}
    assert not drops, f"quote quality dropped below baseline (baseline, now): {drops}"


def test_update_refuses_to_lower_without_flag(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    path.write_text(json.dumps({"dev_speaker_acc": 0.8}), encoding="utf-8")
    assert quotes.update_baseline({"dev_speaker_acc": 0.7}, allow_lower=False, path=path)
    assert json.loads(path.read_text(encoding="utf-8")) == {"dev_speaker_acc": 0.8}
    assert not quotes.update_baseline({"dev_speaker_acc": 0.7}, allow_lower=True, path=path)
    assert json.loads(path.read_text(encoding="utf-8")) == {"dev_speaker_acc": 0.7}


def test_speaker_right_by_name_word_or_overlap() -> None:
    assert quotes.speaker_right("Karl Rove", "Mr. Rove")
    assert quotes.speaker_right("the Trump campaign", "Trump’s campaign")
    assert quotes.speaker_right("a spokesman for the committee", "the committee spokesman")
    assert not quotes.speaker_right("Joe Biden", "Hillary Clinton")
    assert not quotes.speaker_right("", "Clinton")


def test_gold_quotes_of_spans_that_leave_a_mark_out() -> None:
    """A content span begun just inside its opening mark, or ended just before its closing one,
    still holds its quote; a closing mark typed as an opening one (“Wins“) closes."""
    from bench.quotes_corpus import quoted_parts

    text = 'He said: “We have won,” she said. “It is over.” Then: “a site called “Go Home“ now.”'
    inner = text.index("We have won")
    assert [text[a:b] for a, b in quoted_parts(text, inner, inner + len("We have won,"))] == ["We have won,"]
    over = text.index("It is over.")
    assert [text[a:b] for a, b in quoted_parts(text, over - 1, over + len("It is over"))] == ["It is over"]
    assert [text[a:b] for a, b in quoted_parts(text, text.index("a site") - 1, len(text))] == [
        "a site called “Go Home"]
    assert quoted_parts(text, text.index("she said"), text.index("she said") + 8) == []
