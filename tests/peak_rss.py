"""Run a command and measure its peak resident memory (``wait4``'s ``ru_maxrss``: the largest
of the process and of every descendant it waited for)."""

from __future__ import annotations

import os
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Measured:
    returncode: int
    stdout: str
    stderr: str
    peak_rss_mib: float


def run_measured(command: list[str], folder: Path, timeout: float = 120.0) -> Measured:
    """Run ``command`` (output to files in ``folder``), killed after ``timeout`` seconds."""
    out, err = folder / "stdout.txt", folder / "stderr.txt"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        process = subprocess.Popen(command, stdout=stdout, stderr=stderr, stdin=subprocess.DEVNULL,
                                   env={**os.environ, "PYTHONWARNINGS": "ignore"})
        watchdog = threading.Timer(timeout, process.kill)
        watchdog.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            watchdog.cancel()
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    return Measured(process.returncode, out.read_text(), err.read_text(), usage.ru_maxrss / 1024)
