"""End-to-end harness of the scheduler: a schedule file for the mock Press TV site, the real
``newscrawl schedule`` in a subprocess (cwd: the test's temp dir), and waits on what the
store records."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TypeVar

from tests.e2e import FAST, MockPressTV

T = TypeVar("T")
QUICK = ("-s", "NEWSCRAWL_SCHEDULE_POLL_SECONDS=0.1", "-s", "NEWSCRAWL_SCHEDULE_STOP_GRACE=15",
         "-s", "NEWSCRAWL_SCHEDULE_LEASE_SECONDS=6", "-s", "NEWSCRAWL_SCHEDULE_WEBHOOK_TIMEOUT=2")


def crawl_settings(**extra: Any) -> dict[str, str]:
    """The mock crawl's fast settings (``-s`` of tests.e2e) as a TOML ``settings`` table."""
    pairs = dict(entry.split("=", 1) for entry in FAST[1::2])
    return {**pairs, **{name: str(value) for name, value in extra.items()}}


def toml_value(value: Any) -> str:
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + " }"
    return json.dumps(value)


def job_table(name: str, mock: MockPressTV, keys: dict[str, Any], options: dict[str, Any]) -> str:
    """A ``[jobs.NAME]`` table crawling the mock (its sites file and pins in the options)."""
    options = {"sites": str(mock.sites_file), "resolve": mock.server.pins(), **options}
    lines = [f"[jobs.{name}]", 'site = "presstv"', *(f"{k} = {toml_value(v)}" for k, v in keys.items()),
             f"[jobs.{name}.options]", *(f"{k} = {toml_value(v)}" for k, v in options.items())]
    return "\n".join(lines) + "\n"


class Scheduler:
    """``newscrawl schedule`` running in ``cwd``; its log in ``cwd/scheduler-N.log``."""

    count = 0

    def __init__(self, cwd: Path, config: Path, store: str, *args: str):
        Scheduler.count += 1
        self.log = cwd / f"scheduler-{Scheduler.count}.log"
        command = [sys.executable, "-m", "newscrawl.cli", "schedule", "--config", str(config),
                   "--store", store, *QUICK, *args]
        with open(self.log, "wb") as out:
            self.process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                                            env={**os.environ, "PYTHONWARNINGS": "ignore"})

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def ready(self) -> bool:
        """The first pass is done (turns missed while no scheduler ran are handled)."""
        return " ready: " in self.text()

    def stop(self, timeout: float = 60, signalled: Callable[[], object] | None = None) -> float:
        """SIGTERM (then ``signalled()``, e.g. the mock releasing held requests so the crawl's
        graceful stop can finish them); the seconds it took to exit."""
        began = time.monotonic()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        if signalled is not None:
            signalled()
        self.process.wait(timeout=timeout)
        return time.monotonic() - began

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def wait_for(check: Callable[[], T | None], timeout: float, what: str,
             alive: Scheduler | None = None) -> T:
    """Poll ``check`` (a look at the store, a log, a counter) until it returns a value."""
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found:
            return found
        if alive is not None and alive.process.poll() is not None:
            raise AssertionError(f"the scheduler exited ({alive.process.returncode}) before {what}:\n"
                                 + alive.text()[-3000:])
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}"
                                 + (":\n" + alive.text()[-3000:] if alive else ""))
        time.sleep(0.05)


def runs(store: Path, where: str = "1 = 1") -> list[dict[str, Any]]:
    """Rows of schedule_runs (as dicts), oldest first; none before the table exists."""
    try:
        with sqlite3.connect(store, timeout=10) as connection:
            connection.row_factory = sqlite3.Row
            return [dict(row) for row in connection.execute(
                f"SELECT * FROM schedule_runs WHERE {where} ORDER BY id")]
    except sqlite3.OperationalError:
        return []


def stored_count(store: Path) -> int:
    try:
        with sqlite3.connect(store, timeout=10) as connection:
            return int(connection.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:  # not created yet
        return 0


class Webhook:
    """A local HTTP server that records the JSON POSTed to it; the first ``fail_first``
    posts get a 500 (the sender must retry)."""

    def __init__(self, fail_first: int = 0):
        self.events: list[dict[str, Any]] = []
        self.attempts = 0
        self.fail_first = fail_first
        self.received = threading.Event()
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                hook.attempts += 1
                if hook.attempts <= hook.fail_first:
                    self.send_response(500)
                else:
                    hook.events.append(json.loads(body))
                    hook.received.set()
                    self.send_response(204)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@contextmanager
def webhook(fail_first: int = 0) -> Iterator[Webhook]:
    hook = Webhook(fail_first)
    try:
        yield hook
    finally:
        hook.close()
