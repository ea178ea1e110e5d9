"""State changes: one log line each, and a webhook POST of a JSON event, retried; a dead
webhook never stops monitoring."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from newscrawl.monitor.alerts import Notifier
from newscrawl.monitor.config import MonitorConfig
from newscrawl.monitor.runner import Monitor
from newscrawl.storage import open_store
from tests.test_monitor_store import SITE, A, B, probe


class Recorder(ThreadingHTTPServer):
    """Records JSON POST bodies; answers 500 to the first ``failures`` requests."""

    def __init__(self, failures: int = 0):
        super().__init__(("127.0.0.1", 0), Handler)
        self.events: list[dict[str, Any]] = []
        self.attempts = 0
        self.failures = failures

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hook"


class Handler(BaseHTTPRequestHandler):
    server: Recorder

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.attempts += 1
        if self.server.attempts <= self.server.failures:
            self.send_response(500)
        else:
            self.server.events.append(json.loads(body))
            self.send_response(204)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def recorder(request: pytest.FixtureRequest) -> Iterator[Recorder]:
    server = Recorder(getattr(request, "param", 0))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def run_rounds(tmp_path: Path, webhook: str, rounds: list[dict[str, str]]) -> tuple[Monitor, list[bool]]:
    """Record the rounds (domain -> class) with a monitor posting to ``webhook``."""
    store = open_store(f"sqlite:///{tmp_path}/alerts.db")
    notifier = Notifier(webhook, attempts=3, timeout=2, wait=0.01)
    monitor = Monitor([SITE], MonitorConfig(webhook=webhook), store, notifier)
    sent: list[bool] = []
    original = notifier.send

    async def counted(change: Any) -> bool:
        sent.append(await original(change))
        return sent[-1]

    notifier.send = counted  # type: ignore[method-assign]

    async def main() -> None:
        for minute, classes in enumerate(rounds):
            monitor.record([probe(domain, cls, minute) for domain, cls in classes.items()])
        await notifier.drain()

    asyncio.run(main())
    store.close()
    return monitor, sent


def test_state_changes_are_posted(recorder: Recorder, tmp_path: Path,
                                  caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("INFO", logger="newscrawl.monitor")
    rounds = [{A: "ok", B: "ok"}] + [{A: "http_5xx", B: "ok"}] * 3 + [{A: "ok", B: "ok"}] * 2
    run_rounds(tmp_path, recorder.url, rounds)
    events = sorted(recorder.events, key=lambda e: e["at"])
    assert [(e["domain"], e["from"], e["to"], e["class"]) for e in events] == [
        (A, "up", "pending", "http_5xx"), (A, "pending", "down", "http_5xx"), (A, "down", "up", "ok")]
    assert all(e["event"] == "domain_status_changed" and e["site"] == SITE.name for e in events)
    lines = [r.getMessage() for r in caplog.records if "state change" in r.getMessage()]
    assert lines == [f"state change: presstv {A}: up -> pending (http_5xx)",
                     f"state change: presstv {A}: pending -> down (http_5xx)",
                     f"state change: presstv {A}: down -> up (ok)"]


@pytest.mark.parametrize("recorder", [2], indirect=True)
def test_a_failing_webhook_is_retried(recorder: Recorder, tmp_path: Path) -> None:
    _, sent = run_rounds(tmp_path, recorder.url, [{A: "tcp_refused", B: "ok"}])
    assert sent == [True] and recorder.attempts == 3 and len(recorder.events) == 1


def test_a_dead_webhook_does_not_stop_monitoring(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{closed.getsockname()[1]}/hook"
    rounds = [{A: "tcp_refused", B: "ok"}] * 3 + [{A: "ok", B: "ok"}] * 2
    monitor, sent = run_rounds(tmp_path, dead, rounds)
    assert sent == [False, False, False], "pending, down, up: each tried and given up"
    assert monitor.states[(SITE.name, A)].status == "up"
    assert sum("webhook" in r.getMessage() and "failed after 3 attempts" in r.getMessage()
               for r in caplog.records) == 3
    store = open_store(f"sqlite:///{tmp_path}/alerts.db")
    with store.read() as cur:
        cur.execute("SELECT COUNT(*) FROM monitor_probes")
        assert cur.fetchone()[0] == 10
    store.close()
