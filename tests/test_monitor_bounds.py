"""A probe reads a gzip bomb incrementally and keeps at most ``max_body`` decoded bytes."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import sys
import tracemalloc
from pathlib import Path

import pytest

from newscrawl.cli import main
from newscrawl.monitor.config import MonitorConfig
from newscrawl.monitor.probe import probe_domain
from newscrawl.sites import Site, get_site
from tests.local_http import MIB, Route, gzip_bomb, scripted_server
from tests.peak_rss import run_measured

BOMB = 1024 * MIB  # 1 GiB of zeros, about 1 MB on the wire
GZIP = {"Content-Type": "text/html", "Content-Encoding": "gzip"}
RSS_CEILING_MIB = 120  # measured: 70 MiB (the monitor, its imports and a 1 MiB body)
PAGE = b"<html><head><title>PressTV home</title></head><body>PressTV</body></html>"


def site_on(origin: str) -> Site:
    return dataclasses.replace(get_site("presstv"), domains=(origin,))


def test_a_gzip_bomb_is_cut_at_max_body_without_inflating_the_rest() -> None:
    with scripted_server({"/": Route(body=gzip_bomb(BOMB), headers=GZIP)}) as server:
        config = MonitorConfig(timeout=20, max_body=256 * 1024, retry_wait=0.01)
        tracemalloc.start()
        try:
            result = asyncio.run(probe_domain(site_on(server.origin), server.origin, config))
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert result.truncated and result.body_size == 256 * 1024
    assert result.cls == "content_mismatch", "zeros are not the site's page"
    assert "body cut at 262144 bytes" in result.detail
    assert result.as_json()["body_truncated"] is True
    assert peak < 8 * MIB, f"the probe allocated {peak / MIB:.0f} MiB for a 256 KiB cap"


def test_a_small_gzipped_page_is_decoded_whole() -> None:
    import gzip

    routes = {"/": Route(body=gzip.compress(PAGE), headers=GZIP),
              "/Section/101": Route(body=PAGE)}
    with scripted_server(routes) as server:
        result = asyncio.run(probe_domain(site_on(server.origin), server.origin, MonitorConfig()))
    assert (result.cls, result.title, result.truncated) == ("ok", "PressTV home", False)
    assert result.body_size == len(PAGE)


def test_a_plain_body_over_max_body_is_cut_too() -> None:
    routes = {"/": Route(body=PAGE + b" " * (3 * MIB)), "/Section/101": Route(body=PAGE)}
    with scripted_server(routes) as server:
        config = MonitorConfig(max_body=MIB)
        result = asyncio.run(probe_domain(site_on(server.origin), server.origin, config))
    assert result.truncated and result.body_size == MIB and result.title == "PressTV home"


def test_monitor_process_stays_under_its_rss_ceiling_on_a_gzip_bomb(tmp_path: Path) -> None:
    with scripted_server({"/": Route(body=gzip_bomb(BOMB), headers=GZIP)}) as server:
        sites = tmp_path / "sites.toml"
        sites.write_text(f'[sites.presstv]\ndomains = ["http://bomb.presstv.test:{server.port}"]\n')
        run = run_measured([sys.executable, "-m", "newscrawl.cli", "monitor", "presstv",
                            "--sites", str(sites), "--resolve", "bomb.presstv.test:127.0.0.1",
                            "--store", f"sqlite:///{tmp_path}/m.db", "--format", "json",
                            "--timeout", "30"], tmp_path)
        assert server.served == ["/"], "the bomb was sent"
    assert run.returncode == 1, run.stderr  # the only domain is not up
    probe = json.loads(run.stdout)
    assert probe["body_truncated"] is True and probe["body_size"] == MIB
    print(f"monitor peak RSS {run.peak_rss_mib:.1f} MiB")
    assert run.peak_rss_mib < RSS_CEILING_MIB, f"peak RSS {run.peak_rss_mib:.0f} MiB"


def test_an_endless_chunk_size_line_is_a_protocol_error_not_a_crash() -> None:
    endless = Route(body=b"f" * (256 * 1024), sized=False,
                    headers={"Content-Type": "text/html", "Transfer-Encoding": "chunked"})
    with scripted_server({"/": endless}) as server:
        config = MonitorConfig(timeout=5, attempts=1)
        result = asyncio.run(probe_domain(site_on(server.origin), server.origin, config))
    assert result.cls == "tcp_reset" and "chunk size line too long" in result.detail


def test_max_body_must_be_positive(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["monitor", "presstv", "--max-body", "0", "--store", f"sqlite:///{tmp_path}/m.db"]) == 2
    err = capsys.readouterr().err
    assert err == "newscrawl: error: --max-body 0: must be a positive number of bytes\n"
