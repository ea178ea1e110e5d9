"""Named, resumable crawls (``newscrawl crawl SITE --job NAME``).

Scrapy's JOBDIR keeps the scheduler's queue on disk, the fingerprints of every request
scheduled (``requests.seen``) and the spider's state. That is enough after a clean stop
(Ctrl-C, SIGTERM): Scrapy writes the queue's bookkeeping on close and the next run carries on
from it. After ``kill -9``, a power cut or an OOM kill it is not: the disk queue's headers
were never written (reading it fails or loses requests) and ``requests.seen`` names requests
that were in flight, and so never answered.

So a job records whether its last run ended (``newscrawl-job.json``). A run that finds the
job still marked running drops the queue and ``requests.seen`` and starts from the site's
start pages again; the store is then the crawl state: articles already stored are skipped
(incremental crawl), the rest is fetched, and the store and the storage pipeline make sure
no article is stored twice. While a job runs, the spider sets ``dont_filter`` on the
requests it makes itself (it deduplicates them on its own), so a fingerprint left in
``requests.seen`` cannot hide an article lost in flight.
"""

from __future__ import annotations

import json
import logging
import shutil
from datetime import UTC, datetime
from pathlib import Path

logger = logging.getLogger(__name__)

MARKER = "newscrawl-job.json"
SCRAPY_STATE = ("requests.queue", "requests.seen")


def _read(jobdir: str | Path) -> dict[str, str]:
    try:
        marker = json.loads((Path(jobdir) / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return marker if isinstance(marker, dict) else {}


def _write(jobdir: Path, state: str) -> None:
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    temp = jobdir / (MARKER + ".tmp")
    temp.write_text(json.dumps({"state": state, "at": stamp}), encoding="utf-8")
    temp.replace(jobdir / MARKER)


def job_state(jobdir: str | Path) -> str:
    """``new`` (never run), ``running`` (the last run did not end: crashed or killed) or
    ``stopped`` (the last run ended, finished or stopped cleanly)."""
    return str(_read(jobdir).get("state") or "new")


def job_changed_at(jobdir: str | Path) -> str:
    """When the job's state last changed (ISO 8601, UTC, seconds; "" for a new job): for a
    job still marked ``running``, when its interrupted run started."""
    return str(_read(jobdir).get("at") or "")


def start_job(jobdir: str | Path) -> str:
    """Before Scrapy opens the job: after a crash, drop Scrapy's queue and seen-requests
    (the store holds the progress); mark the job running. Returns the state found."""
    path = Path(jobdir)
    path.mkdir(parents=True, exist_ok=True)
    state = job_state(path)
    if state == "running":
        logger.warning("job %s did not end last time (killed?): resuming from the store", path)
        for name in SCRAPY_STATE:
            target = path / name
            if target.is_dir():
                shutil.rmtree(target)
            elif target.exists():
                target.unlink()
    _write(path, "running")
    return state


def end_job(jobdir: str | Path) -> None:
    """After Scrapy closed the job cleanly (its queue written): the next run may use it."""
    _write(Path(jobdir), "stopped")
