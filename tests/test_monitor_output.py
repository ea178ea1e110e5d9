"""What the monitor prints never carries a probed page's terminal escape sequences: table,
JSON lines (still valid JSON), Prometheus labels, history and log lines."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newscrawl.cli import main
from newscrawl.monitor import records
from newscrawl.monitor.alerts import StateChange
from newscrawl.monitor.result import ProbeResult
from newscrawl.monitor.state import DomainState
from newscrawl.storage import open_store
from tests.local_http import Route, scripted_server

HOSTILE = "\x1b]0;owned\x07\x1b[2J\x9b31m\u202eVT sserP\r\n\tPressTV"
CONTROLS = [chr(c) for c in (*range(0x20), *range(0x7f, 0xa0))] + ["\u202e", "\u2028"]


def assert_clean(text: str) -> None:
    found = sorted({repr(c) for c in text if c in CONTROLS and c != "\n"})
    assert not found, f"raw control characters printed: {found}"


def test_printable_escapes_controls_and_keeps_text() -> None:
    from newscrawl.monitor.text import printable

    assert printable("Press TV – Iran’s news, 日本語") == "Press TV – Iran’s news, 日本語"
    assert printable("a\x1b[2Jb\u202ec\nd\ud800") == "a\\x1b[2Jb\\u202ec\\x0ad\\ud800"


def monitor(tmp_path: Path, port: int, *extra: str) -> list[str]:
    sites = tmp_path / "sites.toml"
    sites.write_text(f'[sites.presstv]\ndomains = ["http://www.presstv.test:{port}"]\n')
    return ["monitor", "presstv", "--sites", str(sites), "--resolve", "www.presstv.test:127.0.0.1",
            "--store", f"sqlite:///{tmp_path}/m.db", "--timeout", "5", *extra]


def test_a_hostile_title_is_escaped_in_every_format(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    page = f"<html><head><title>{HOSTILE}</title></head><body>PressTV</body></html>"
    route = Route(body=page.encode(), headers={"Content-Type": "text/html; charset=utf-8"})
    with scripted_server({"/": route, "/Section/101": route}) as server:
        for fmt in ("table", "json", "prometheus"):
            assert main(monitor(tmp_path, server.port, "--format", fmt)) == 0
            out = capsys.readouterr().out
            assert_clean(out)
            if fmt == "json":
                title = json.loads(out)["title"]
                assert title.startswith("\\x1b]0;owned\\x07") and title.endswith("PressTV")
            if fmt == "table":
                assert "\\x1b]0;owned\\x07" in out.splitlines()[1]


def test_history_and_log_lines_are_escaped(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    origin = "http://www.presstv.test:8080"
    at = datetime.now(UTC)
    change = StateChange("presstv", origin, "up", "pending", "tcp_reset", at, HOSTILE)
    result = ProbeResult(site="presstv", domain=origin, cls="tcp_reset", checked_at=at,
                         title=HOSTILE, detail=HOSTILE)
    store = open_store(f"sqlite:///{tmp_path}/m.db")
    records.save_round(store, [(result, DomainState(status="pending", failures=1))], [change])
    store.close()
    sites = tmp_path / "sites.toml"
    sites.write_text(f'[sites.presstv]\ndomains = ["{origin}"]\n')
    main(["monitor", "presstv", "--history", "--sites", str(sites),
          "--store", f"sqlite:///{tmp_path}/m.db"])
    history = capsys.readouterr().out
    assert "\\x1b]0;owned" in history
    assert_clean(history)
    assert_clean(change.log_line())
