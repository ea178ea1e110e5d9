"""End-to-end: the real ``newscrawl schedule`` process against the mock Press TV site."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from newscrawl.jobs import job_state
from newscrawl.schedule.history import History
from newscrawl.schedule.schema import parse_stamp
from newscrawl.storage import open_store
from tests.e2e import MockPressTV, serve_presstv
from tests.schedule_harness import Scheduler, crawl_settings, job_table, runs, wait_for, webhook

SLOW = crawl_settings(DOWNLOAD_DELAY="0.12", RANDOMIZE_DOWNLOAD_DELAY="False",
                      CONCURRENT_REQUESTS_PER_DOMAIN="1", NEWSCRAWL_STORE_BATCH="1")


def write_config(mock: MockPressTV, text: str) -> Path:
    path = mock.tmp / "schedule.toml"
    path.write_text(text, encoding="utf-8")
    return path


def ended(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    return [r for r in rows if r["outcome"] in ("finished", "failed", "timeout", "stopped")]


def one_domain(tmp_path: Path, articles: int = 12):  # type: ignore[no-untyped-def]
    """The mock on www.presstv.ir alone (no mirrors: a slow run stays on one domain)."""
    return serve_presstv(tmp_path, origins=["http://www.presstv.ir:0"], articles=articles)


def test_a_job_every_2s_whose_runs_take_longer_never_overlaps(tmp_path: Path) -> None:
    with one_domain(tmp_path) as mock:
        config = write_config(mock, job_table("slow", mock, {"every": "2s"}, {"settings": SLOW}))
        scheduler = Scheduler(tmp_path, config, f"sqlite:///{mock.store}")
        try:
            wait_for(lambda: len(ended(runs(mock.store, "outcome = 'finished'"))) >= 2
                     and len(runs(mock.store, "outcome = 'skipped'")) >= 2, 90,
                     "two finished runs and two skipped turns", scheduler)
        finally:
            scheduler.stop()
    rows = runs(mock.store)
    done = [r for r in rows if r["outcome"] in ("finished", "stopped")]
    spans = sorted((parse_stamp(r["started_at"]), parse_stamp(r["finished_at"])) for r in done)  # type: ignore[arg-type]
    for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
        assert end is not None and start is not None and start >= end  # never two at once
    skipped = [r for r in rows if r["outcome"] == "skipped"]
    assert all("still going" in str(r["reason"]) for r in skipped)
    first = next(r for r in done if r["outcome"] == "finished")
    assert first["exit_code"] == 0 and json.loads(str(first["counts"]))["new"] > 0
    assert Path(str(tmp_path / str(first["log"]))).exists() or Path(str(first["log"])).exists()
    assert str(first["log"]).startswith("output/logs/slow/")
    turns = [r["turn"] for r in rows]
    assert len(turns) == len(set(turns))  # each turn handled once
