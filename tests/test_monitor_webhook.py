"""Webhooks: only http(s) is accepted (one line, exit 2), and a failing one is logged
without its credentials or tokens."""

from __future__ import annotations

import asyncio
import socket
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newscrawl.cli import main
from newscrawl.monitor.alerts import Notifier, StateChange

TOKEN = "aB3dE5fG7hJ9kL1mN3pQ5rS7"


def monitor(tmp_path: Path, webhook: str) -> list[str]:
    """A monitor run whose site and webhook are on 127.0.0.1 (a closed port), so that even
    a monitor that accepted the webhook would send nothing elsewhere."""
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    sites = tmp_path / "sites.toml"
    sites.write_text(f'[sites.presstv]\ndomains = ["http://www.presstv.test:{port}"]\n')
    return ["monitor", "presstv", "--sites", str(sites), "--resolve", "www.presstv.test:127.0.0.1",
            "--timeout", "2", "--webhook", webhook.format(port=port),
            "--store", f"sqlite:///{tmp_path}/m.db"]


@pytest.mark.parametrize("webhook", ["ftp://127.0.0.1:{port}/x", "file:///etc/passwd",
                                     "javascript:alert(1)", "127.0.0.1:{port}/x", "http://"])
def test_a_webhook_that_is_not_http_is_refused_in_one_line(
        webhook: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(monitor(tmp_path, webhook))
    err = capsys.readouterr().err
    assert status == 2
    assert err.count("\n") == 1 and "expected an http:// or https:// URL" in err
    assert not (tmp_path / "m.db").exists(), "refused before anything ran"


def test_the_refusal_does_not_echo_a_secret(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(monitor(tmp_path, "ftp://bot:hunter2@127.0.0.1:{port}/" + TOKEN)) == 2
    err = capsys.readouterr().err
    assert "hunter2" not in err and TOKEN not in err and "ftp://bot:***@127.0.0.1:" in err


def test_masked_webhook_keeps_the_host_and_a_hint() -> None:
    from newscrawl.monitor.webhooks import masked_webhook

    assert masked_webhook(f"https://hooks.slack.com/services/T0001/B0002/{TOKEN}") == \
        "https://hooks.slack.com/services/***"
    assert masked_webhook(f"https://discord.com/api/webhooks/123456/{TOKEN}") == \
        "https://discord.com/api/webhooks/***"
    assert masked_webhook(f"https://u:pw@alerts.example:8443/hook/{TOKEN}?sig={TOKEN}&room=ops") == \
        "https://u:***@alerts.example:8443/hook/***?sig=***&room=ops"
    assert masked_webhook("https://alerts.example/hook?token=short") == \
        "https://alerts.example/hook?token=***"
    assert masked_webhook("http://alerts.example/hook") == "http://alerts.example/hook"
    assert masked_webhook(f"https://{TOKEN}@api.example/v1/events") == \
        "https://***@api.example/v1/events"


def test_a_failing_webhook_is_logged_without_its_secrets(caplog: pytest.LogCaptureFixture) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    webhook = f"http://bot:hunter2@127.0.0.1:{port}/services/T0001/B0002/{TOKEN}?token=xyz{TOKEN}"
    notifier = Notifier(webhook, attempts=2, timeout=2, wait=0.01)
    change = StateChange("presstv", "https://www.presstv.ir", "up", "pending", "tcp_refused",
                         datetime.now(UTC))
    assert asyncio.run(notifier.send(change)) is False
    lines = [r.getMessage() for r in caplog.records if "webhook" in r.getMessage()]
    assert len(lines) == 1 and "failed after 2 attempts" in lines[0]
    assert f"127.0.0.1:{port}" in lines[0], "the line still says which webhook"
    assert "hunter2" not in lines[0] and TOKEN not in lines[0]
