"""``newscrawl runs``: scheduled and manual runs, newest first, as a table or JSON lines.

Scheduled runs (and ``--run-now`` ones) come from ``schedule_runs``; a crawl started by
hand has only its row in the core ``runs`` table and is shown with trigger ``manual``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from newscrawl.schedule.history import OK_REASONS, plain_counts
from newscrawl.schedule.schema import ensure_schema

SCHEDULED = ("SELECT id, job, site, trigger, scheduled_for, started_at, finished_at, outcome, exit_code, "
             "counts, reason, log FROM schedule_runs")
MANUAL = "SELECT id, site, started_at, finished_at, counts, outcome, settings, crawl FROM runs"


@dataclass(frozen=True)
class RunRow:
    job: str
    site: str
    trigger: str
    scheduled_for: str | None
    started_at: str | None
    finished_at: str | None
    outcome: str
    exit_code: int | None
    counts: dict[str, Any] = field(default_factory=dict)
    reason: str = ""
    log: str = ""
    id: str = ""
    """``s<n>``: row n of schedule_runs; ``c<n>``: a crawl's own row in runs (its first
    worker's, for a distributed crawl)."""
    workers: int = 1
    """The processes of a distributed crawl (``--redis``): their rows shown as one run."""

    @property
    def order(self) -> tuple[str, bool]:
        """Start (or planned start) to the second, as crawls record theirs; within a second a
        crawl's own row first."""
        return (self.started_at or self.scheduled_for or "")[:19], self.id.startswith("c")


def _where(filters: dict[str, str | None]) -> tuple[str, list[str]]:
    used = {name: value for name, value in filters.items() if value}
    clause = " WHERE " + " AND ".join(f"{name} = ?" for name in used) if used else ""
    return clause, list(used.values())


def _manual_outcome(reason: str | None) -> str:
    if reason is None:
        return "running"
    return "finished" if reason in OK_REASONS else ("stopped" if reason == "shutdown" else "failed")


def recent_runs(store: Any, site: str | None = None, job: str | None = None, limit: int = 20) -> list[RunRow]:
    """The ``limit`` latest runs of ``site`` / ``job`` (all when None), newest first."""
    ensure_schema(store)
    rows: list[RunRow] = []
    clause, params = _where({"site": site, "job": job})
    with store.read() as cur:
        cur.execute(store.sql(f"{SCHEDULED}{clause} ORDER BY id DESC LIMIT ?"), (*params, limit))
        for r in cur.fetchall():
            rows.append(RunRow(r[1], r[2], "manual" if r[3] == "manual" else "schedule", r[4], r[5], r[6],
                               r[7], r[8], json.loads(r[9] or "{}"), r[10], r[11], f"s{r[0]}"))
        if job is None:
            clause, params = _where({"site": site})
            cur.execute(store.sql(f"{MANUAL}{clause} ORDER BY id DESC LIMIT ?"), (*params, limit * 4))
            workers: dict[str, list[Any]] = {}
            for r in cur.fetchall():
                if json.loads(r[6] or "{}").get("NEWSCRAWL_SCHEDULE_RUN"):
                    continue  # a scheduled crawl: shown through its schedule row
                if r[7]:
                    workers.setdefault(str(r[7]), []).append(r)
                    continue
                rows.append(RunRow("", r[1], "manual", None, r[2], r[3], _manual_outcome(r[5]), None,
                                   plain_counts(json.loads(r[4] or "{}")), str(r[5] or ""), "", f"c{r[0]}"))
            rows += [_distributed(group) for group in workers.values()]
    return sorted(rows, key=lambda row: row.order, reverse=True)[:limit]


def _distributed(group: list[Any]) -> RunRow:
    """The rows of one distributed crawl's workers as one run: from the first start to the
    last end (running while any worker is), counts added up, the worst outcome."""
    group = sorted(group, key=lambda r: int(r[0]))
    counts: dict[str, Any] = {}
    for r in group:
        for name, value in plain_counts(json.loads(r[4] or "{}")).items():
            counts[name] = counts.get(name, 0) + value if isinstance(value, int) else value
    outcomes = [_manual_outcome(r[5]) for r in group]
    outcome = next((o for o in ("running", "failed", "stopped") if o in outcomes), "finished")
    reasons = sorted({str(r[5]) for r in group if r[5] and r[5] not in OK_REASONS})
    reasons = reasons or [str(group[0][5] or "")]
    finished = None if outcome == "running" else max(str(r[3] or "") for r in group)
    return RunRow("", group[0][1], "manual", None, min(str(r[2]) for r in group), finished, outcome, None,
                  counts, ", ".join(reasons), "", f"c{group[0][0]}", len(group))


def as_json(rows: list[RunRow]) -> str:
    return "".join(json.dumps(asdict(row), ensure_ascii=False, default=str) + "\n" for row in rows)


def as_table(rows: list[RunRow]) -> str:
    head = f"{'id':<7} {'job':<18} {'site':<12} {'trigger':<8} {'started (UTC)':<19} " \
           f"{'outcome':<9} {'exit':>4} {'new':>5} {'rev':>4}  reason"
    lines = [head]
    for row in rows:
        when = (row.started_at or row.scheduled_for or "")[:19].replace("T", " ")
        exit_code = "" if row.exit_code is None else str(row.exit_code)
        lines.append(f"{row.id:<7} {row.job or '-':<18} {row.site:<12} {row.trigger:<8} {when:<19} "
                     f"{row.outcome:<9} {exit_code:>4} {row.counts.get('new', ''):>5} "
                     f"{row.counts.get('revision', ''):>4}  {_reason(row)[:80]}")
    return "\n".join(lines) + "\n" if rows else "no runs\n"


def _reason(row: RunRow) -> str:
    return f"{row.workers} workers; {row.reason}" if row.workers > 1 else row.reason
