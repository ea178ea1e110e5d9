"""One run of a job: a ``newscrawl crawl`` (or ``monitor``) subprocess and its log file.

A crawl runs as ``--job <job>`` so a run stopped or killed resumes on the next one. The
child runs in its own session (a Ctrl-C in the terminal reaches the scheduler only, which
stops its children itself) and, on Linux, gets SIGKILL when the scheduler dies, so a
crawl never outlives the lease that guards it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import IO

from newscrawl.schedule.config import JobSpec
from newscrawl.secrets import mask_text

PR_SET_PDEATHSIG = 1


def crawl_command(job: JobSpec, store: str, run_id: int) -> list[str]:
    """The ``newscrawl`` command line of one run of ``job``."""
    options = job.options
    command = [sys.executable, "-m", "newscrawl.cli"]
    if job.monitor:
        command += ["monitor", "--once", *job.sites, "--store", options.get("store", store)]
        for name in ("sites", "timeout", "failures", "successes", "webhook", "loglevel"):
            if name in options:
                command += ["-L" if name == "loglevel" else f"--{name}", str(options[name])]
    else:
        command += ["crawl", job.sites[0], "--store", options.get("store", store),
                    "--job", options.get("job", job.name), "-s", f"NEWSCRAWL_SCHEDULE_RUN={run_id}"]
        for name in ("max_articles", "since", "sites", "output", "loglevel"):
            if name in options:
                flag = {"output": "-o", "loglevel": "-L"}.get(name, "--" + name.replace("_", "-"))
                command += [flag, str(options[name])]
        if options.get("refresh"):
            command.append("--refresh")
        for name, value in options.get("settings", {}).items():
            command += ["-s", f"{name}={value}"]
    for pin in options.get("resolve", []):
        command += ["--resolve", str(pin)]
    return command


def _die_with_parent() -> Callable[[], None] | None:
    """A ``preexec_fn`` asking Linux to SIGKILL the child when this process dies."""
    if not sys.platform.startswith("linux"):
        return None
    prctl = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True).prctl
    return lambda: prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def log_path(logs_dir: str, job: str, moment: datetime) -> Path:
    """``<logs_dir>/<job>/<UTC time>.log``; a second run in the same second gets ``-2``."""
    folder = Path(logs_dir) / job
    folder.mkdir(parents=True, exist_ok=True)
    base = moment.strftime("%Y%m%dT%H%M%SZ")
    path, count = folder / f"{base}.log", 1
    while path.exists():
        count += 1
        path = folder / f"{base}-{count}.log"
    return path


class Child:
    """A started run: its process, log, and the stop sequence (SIGTERM, grace, SIGKILL)."""

    def __init__(self, command: list[str], log: Path):
        self.log = log
        self._out: IO[bytes] = open(log, "ab")  # noqa: SIM115 (closed in wait/poll)
        self._out.write(f"# {mask_text(' '.join(command))}\n".encode())  # no store password
        self._out.flush()
        try:
            self.process = subprocess.Popen(
                command, stdout=self._out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True, preexec_fn=_die_with_parent(),
                env={**os.environ, "PYTHONUNBUFFERED": "1"})
        except OSError:
            self._out.close()
            raise
        self.started = time.monotonic()
        self.term_sent: float | None = None

    def poll(self) -> int | None:
        code = self.process.poll()
        if code is not None and not self._out.closed:
            self._out.close()
        return code

    def terminate(self) -> None:
        """Ask the crawl to stop (Scrapy closes its job cleanly on SIGTERM)."""
        if self.term_sent is None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.term_sent = time.monotonic()

    def kill_if_overdue(self, grace: float) -> bool:
        """SIGKILL once ``grace`` seconds passed since SIGTERM; True when it was sent."""
        if self.term_sent is not None and time.monotonic() - self.term_sent >= grace \
                and self.process.poll() is None:
            self.process.kill()
            return True
        return False
