"""Run a command and measure its peak resident memory (``wait4``'s ``ru_maxrss``: the largest
of the process and of every descendant it waited for).

Linux counts a child's memory from before its ``exec`` in ``ru_maxrss``, so a command forked
straight from a big test process (pytest late in the suite holds hundreds of MB) would be
charged for it. The command is therefore started by a small fresh interpreter that measures
it and prints the figure on its last stderr line."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

# Started fresh (small), it runs the command, waits for it and reports its peak RSS (KiB).
LAUNCHER = ("import os, subprocess, sys\n"
            "p = subprocess.Popen(sys.argv[1:])\n"
            "_, status, usage = os.wait4(p.pid, 0)\n"
            "print(f'peak-rss-kib {usage.ru_maxrss}', file=sys.stderr)\n"
            "sys.exit(os.waitstatus_to_exitcode(status))\n")


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
        process = subprocess.Popen([sys.executable, "-c", LAUNCHER, *command], stdout=stdout,
                                   stderr=stderr, stdin=subprocess.DEVNULL,
                                   env={**os.environ, "PYTHONWARNINGS": "ignore"},
                                   start_new_session=True)
        watchdog = threading.Timer(timeout, os.killpg, (process.pid, signal.SIGKILL))
        watchdog.start()
        try:
            process.wait()
        finally:
            watchdog.cancel()
    errors, _, last = err.read_text().rstrip("\n").rpartition("\n")
    if not last.startswith("peak-rss-kib "):  # the launcher was killed before it could report
        return Measured(process.returncode, out.read_text(), err.read_text(), float("inf"))
    return Measured(process.returncode, out.read_text(), errors + "\n" if errors else "",
                    int(last.split()[1]) / 1024)
