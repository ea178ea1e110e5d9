"""Crawl runs: one row each, begun and finished by the crawl, its settings stored masked.

A crawl killed (SIGKILL, power cut) never finishes its row. When the next run of the same
site begins, every earlier unfinished run whose process is gone is marked ``killed``:

- same host (the ``host`` column): its process (``pid``) no longer exists, or that pid now
  belongs to a process started after the run began (the pid was reused);
- another host, or a row from before schema version 5 (no pid): its process cannot be
  checked from here, so only a run begun more than ``stale_after_hours`` ago is marked.
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from newscrawl.secrets import mask_settings
from newscrawl.storage.base import StoreBase, now

STALE_AFTER_HOURS = 48.0
PID_REUSE_SLACK = timedelta(seconds=5)  # a process started this long after the run is another one


def this_host() -> str:
    return socket.gethostname()


def process_started(pid: int) -> datetime | None:
    """When process ``pid`` started (Linux /proc), None when unknown."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        boot = next(line for line in Path("/proc/stat").read_text().splitlines() if line.startswith("btime"))
        ticks = os.sysconf("SC_CLK_TCK")
        return datetime.fromtimestamp(int(boot.split()[1]) + int(fields[19]) / ticks, UTC)
    except (OSError, ValueError, IndexError, StopIteration):
        return None


def process_alive(pid: int, started_at: datetime) -> bool:
    """Is the process that began a run at ``started_at`` still running on this host?"""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        pass
    started = process_started(pid)
    return started is None or started <= started_at + PID_REUSE_SLACK


def run_is_gone(pid: Any, host: Any, started_at: str, stale_after: timedelta) -> bool:
    """Whether an unfinished run's process is gone (see the module docstring)."""
    started = datetime.fromisoformat(started_at)
    if pid is not None and host == this_host():
        return not process_alive(int(pid), started)
    return datetime.now(UTC) - started > stale_after


class RunStore(StoreBase):
    def begin_run(self, site: str, settings: Mapping[str, Any],
                  stale_after_hours: float = STALE_AFTER_HOURS) -> int:
        """Record the start of a crawl (its settings with credentials masked, its pid and
        host); its id tags everything the crawl writes. Earlier runs of the site left
        unfinished by a process that is gone are marked ``killed`` first."""
        stale_after = timedelta(hours=stale_after_hours)
        with self.transaction() as cur:
            cur.execute(self.sql("SELECT id, pid, host, started_at FROM runs WHERE site = ? "
                                 "AND finished_at IS NULL"), (site,))
            for run_id, pid, host, started_at in cur.fetchall():
                if run_is_gone(pid, host, str(started_at), stale_after):
                    cur.execute(self.sql("UPDATE runs SET finished_at = ?, outcome = 'killed' WHERE id = ?"),
                                (now(), run_id))
            row = self._one(cur, "INSERT INTO runs (site, started_at, settings, pid, host) "
                                 "VALUES (?, ?, ?, ?, ?) RETURNING id",
                            (site, now(), json.dumps(mask_settings(settings), default=str), os.getpid(),
                             this_host()))
        assert row is not None
        return int(row[0])

    def join_crawl(self, run_id: int, crawl: str) -> None:
        """Run ``run_id`` is one worker of distributed crawl ``crawl`` (its id in Redis)."""
        with self.transaction() as cur:
            cur.execute(self.sql("UPDATE runs SET crawl = ? WHERE id = ?"), (crawl, run_id))

    def finish_run(self, run_id: int, counts: Mapping[str, int], outcome: str) -> None:
        """Record the end of a crawl: its counts (stats) and outcome (the close reason, or
        ``failed`` when the store failed)."""
        with self.transaction() as cur:
            cur.execute(self.sql("UPDATE runs SET finished_at = ?, counts = ?, outcome = ? WHERE id = ?"),
                        (now(), json.dumps(dict(counts), default=str), outcome, run_id))


def mask_stored_settings(store: Any, cursor: Any) -> None:
    """Schema version 5: credentials masked in the settings of every run stored before."""
    cursor.execute("SELECT id, settings FROM runs")
    for run_id, settings in cursor.fetchall():
        try:
            masked = json.dumps(mask_settings(json.loads(settings)), default=str)
        except (ValueError, AttributeError):
            continue
        if masked != settings:
            cursor.execute(store.sql("UPDATE runs SET settings = ? WHERE id = ?"), (masked, run_id))
