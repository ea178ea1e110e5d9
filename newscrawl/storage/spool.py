"""The spool: articles a failed store could not take, kept for the next run to import.

A crawl whose store fails appends the unwritten articles to
``<NEWSCRAWL_STORE_SPOOL_DIR>/<site>-<UTC time>-<pid>.jsonl``: a header line (site, store URL
masked, run id, pid, host), one ``{"article": ...}`` line per article, and a ``{"run_end": ...}``
line when the run row could not be finished either. The next crawl of the same site into the
same store imports every spool file whose writer is gone (saved with their original run id,
that run's row finished as ``failed``), then removes it. Importing twice stores nothing twice
(saving a stored article again changes only ``last_seen``).
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newscrawl.secrets import mask_url
from newscrawl.storage.runs import process_alive, this_host

logger = logging.getLogger(__name__)
CHUNK = 200  # articles saved per transaction on import


class Spool:
    """The spool file of one crawl, created on its first write."""

    def __init__(self, directory: str, site: str, store_url: str, run_id: int | None):
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        self.path = Path(directory) / f"{site}-{stamp}-{os.getpid()}.jsonl"
        self.header = {"spool": 1, "site": site, "store": mask_url(store_url), "run_id": run_id,
                       "pid": os.getpid(), "host": this_host(),
                       "started": datetime.now(UTC).isoformat(timespec="seconds")}
        self.articles = 0

    def add(self, articles: Sequence[Mapping[str, Any]]) -> None:
        """Append articles (written and synced before this returns; raises ``OSError``)."""
        self._append([{"article": dict(article)} for article in articles])
        self.articles += len(articles)

    def end_run(self, counts: Mapping[str, Any], outcome: str = "failed") -> None:
        """Record the run's end, for the next run to write into the run row."""
        self._append([{"run_end": {"counts": dict(counts), "outcome": outcome}}])

    def _append(self, entries: list[dict[str, Any]]) -> None:
        fresh = not self.path.exists()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lines = ([self.header] if fresh else []) + entries
        with self.path.open("a", encoding="utf-8") as out:
            out.writelines(json.dumps(line, ensure_ascii=False, default=str) + "\n" for line in lines)
            out.flush()
            os.fsync(out.fileno())


def _entries(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            try:
                yield json.loads(line)
            except ValueError:  # the last line of a crawl killed while spooling
                logger.warning("%s:%d: unreadable spool line skipped", path, number)


def _header(path: Path) -> dict[str, Any] | None:
    try:
        first = next(_entries(path), None)
    except OSError:
        return None
    return first if isinstance(first, dict) and first.get("spool") == 1 else None


def _ours(header: Mapping[str, Any], site: str, store_url: str) -> bool:
    """A spool of this site and store whose writer is gone (not a crawl still spooling)."""
    if header.get("site") != site or header.get("store") != mask_url(store_url):
        return False
    pid, started = int(header.get("pid") or 0), datetime.fromisoformat(str(header.get("started")))
    return not (header.get("host") == this_host() and pid != os.getpid() and process_alive(pid, started))


def import_spools(store: Any, directory: str, site: str, store_url: str) -> list[tuple[str, int]]:
    """Import every spool of ``site`` into ``store`` and remove it; (path, articles) each."""
    imported: list[tuple[str, int]] = []
    for path in sorted(Path(directory).glob("*.jsonl")) if Path(directory).is_dir() else []:
        header = _header(path)
        if header is None or not _ours(header, site, store_url):
            continue
        run_id, count, chunk = header.get("run_id"), 0, []
        for entry in _entries(path):
            if "article" in entry:
                chunk.append(entry["article"])
            elif "run_end" in entry and run_id is not None:
                end = entry["run_end"]
                store.finish_run(int(run_id), end.get("counts", {}), str(end.get("outcome") or "failed"))
            if len(chunk) >= CHUNK:
                count += _save(store, run_id, chunk)
                chunk = []
        count += _save(store, run_id, chunk)
        path.unlink()
        logger.info("imported %d spooled articles of %s from %s", count, site, path)
        imported.append((str(path), count))
    return imported


def _save(store: Any, run_id: Any, articles: list[dict[str, Any]]) -> int:
    if articles:
        store.save_articles(int(run_id) if run_id is not None else None, articles)
        store.resolve_pending([a["url"] for a in articles if isinstance(a.get("url"), str)])
    return len(articles)
