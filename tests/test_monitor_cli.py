"""``newscrawl monitor`` end to end against the mock server: formats, exit status, history."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from newscrawl.cli import main
from newscrawl.testing.mocksite import DEFAULT_HOSTS, MockServer, MockSite
from tests import fixtures_mocksite

mock_site = fixtures_mocksite.mock_site
JSON_KEYS = {"site", "domain", "status", "class", "http_status", "title", "final_url", "timings",
             "cert_expires", "checked_at"}


def sites_file(folder: Path, origins: list[str]) -> str:
    """A sites file putting the Press TV site on ``origins``."""
    path = folder / "sites.toml"
    path.write_text("[sites.presstv]\ndomains = [" + ", ".join(f'"{o}"' for o in origins) + "]\n")
    return str(path)


def monitor_args(server: MockServer, folder: Path, *extra: str) -> list[str]:
    pins = [arg for pin in server.pins() for arg in ("--resolve", pin)]
    return ["monitor", "presstv", "--sites", sites_file(folder, server.origins), *pins,
            "--store", f"sqlite:///{folder}/monitor.db", "--timeout", "2", *extra]


@pytest.fixture
def server(mock_site: MockSite) -> Iterator[MockServer]:
    with MockServer(mock_site, [f"http://{host}" for host in DEFAULT_HOSTS]) as running:
        running.set_mode("www.presstv.com", "seized")
        yield running


def test_json_has_one_object_per_domain(server: MockServer, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(monitor_args(server, tmp_path, "--format", "json")) == 0
    objects = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [o["domain"] for o in objects] == server.origins
    assert all(set(o) >= JSON_KEYS for o in objects)
    assert set(objects[0]["timings"]) == {"dns", "connect", "tls", "ttfb", "total"}
    assert [(o["status"], o["class"]) for o in objects] == [("up", "ok")] * 3 + [("pending", "soft_seized")]
    assert objects[0]["http_status"] == 200 and objects[0]["title"].endswith("PressTV")


def test_table_and_prometheus(server: MockServer, tmp_path: Path,
                              capsys: pytest.CaptureFixture[str]) -> None:
    assert main(monitor_args(server, tmp_path, "--format", "table")) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split()[:4] == ["SITE", "DOMAIN", "STATUS", "CLASS"]
    assert re.search(r"www\.presstv\.com:\d+\s+pending\s+soft_seized\s+200", table[4])
    assert main(monitor_args(server, tmp_path, "--format", "prometheus")) == 0
    families = {f.name: f for f in text_string_to_metric_families(capsys.readouterr().out)}
    com = server.origin("www.presstv.com")

    def value(name: str, domain: str, **extra: str) -> float:
        (found,) = (s.value for s in families[name].samples
                    if s.labels == {"site": "presstv", "domain": domain, **extra})
        return found

    assert value("probe_success", server.origins[0]) == 1 and value("probe_success", com) == 0
    assert value("probe_http_status_code", com) == 200
    assert value("newscrawl_domain_status", com, status="pending") == 1
    assert families["probe_duration_seconds"].type == "gauge"


def test_exit_status_1_when_no_domain_of_a_site_is_up(server: MockServer, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    for host in DEFAULT_HOSTS:
        server.set_mode(host, "http_5xx")
    for _ in range(3):
        assert main(monitor_args(server, tmp_path, "--format", "json")) == 1
    statuses = [json.loads(line)["status"] for line in capsys.readouterr().out.splitlines()]
    assert statuses[-4:] == ["down"] * 4, "the third failing run makes every domain down"
    server.set_mode("www.presstv.tv", "ok")
    assert main(monitor_args(server, tmp_path)) == 1, "one success is not enough after down"
    assert main(monitor_args(server, tmp_path)) == 0
    capsys.readouterr()
    assert main(monitor_args(server, tmp_path, "--history")) == 0
    history = capsys.readouterr().out
    assert re.search(r"www\.presstv\.tv:\d+: up since .* uptime 40\.0% over 7 days \(5 probes\)", history)
    assert "down " in history and "http_5xx" in history


def test_unknown_site_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["monitor", "nosuchsite", "--store", f"sqlite:///{tmp_path}/m.db"]) == 2
    assert "unknown site 'nosuchsite'" in capsys.readouterr().err
