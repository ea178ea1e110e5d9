"""Probes against the mock server: every failure mode gets its class from the one classifier."""

from __future__ import annotations

import asyncio
import dataclasses
import socket
import ssl
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from newscrawl.monitor.config import MonitorConfig
from newscrawl.monitor.probe import probe_all, probe_domain
from newscrawl.resolver import parse_pins
from newscrawl.sites import Site, get_site
from newscrawl.testing.mocksite import MODE_PARAMS, MockServer, MockSite
from tests import fixtures_mocksite

mock_site = fixtures_mocksite.mock_site

EXPECTED = {
    "ok": "ok", "refuse": "tcp_refused", "blackhole": "http_timeout", "reset": "tcp_reset",
    "slow": "http_timeout", "http_5xx": "http_5xx", "http_4xx": "http_4xx", "seized": "soft_seized",
    "parked": "soft_parked", "challenge": "soft_challenge", "blockpage": "soft_blockpage",
    "offsite_redirect": "offsite_redirect", "wrong_site": "content_mismatch",
}
TIMEOUT = 1.5
SLOW = 30.0  # a slow origin's delay: far above the timeout, so a loaded machine cannot blur the two


def site_on(origins: list[str]) -> Site:
    """The Press TV site definition, its domains replaced by mock origins."""
    return dataclasses.replace(get_site("presstv"), domains=tuple(origins))


def host_of(mode: str) -> str:
    return f"{mode.replace('_', '-')}.presstv.test"


@pytest.fixture
def every_mode(mock_site: MockSite) -> Iterator[MockServer]:
    """One origin per failure mode, each in its mode."""
    with MockServer(mock_site, [f"http://{host_of(mode)}" for mode in EXPECTED]) as server:
        for mode in EXPECTED:
            server.set_mode(host_of(mode), mode, **({"delay": SLOW} if mode == "slow" else {}))
        yield server


def test_the_table_covers_every_mock_mode() -> None:
    assert set(EXPECTED) == set(MODE_PARAMS)


def test_each_mode_gets_its_class(every_mode: MockServer) -> None:
    origins = [*every_mode.origins, "http://www.nxdomain.invalid"]
    site = site_on(origins)
    config = MonitorConfig(timeout=TIMEOUT, pins=parse_pins(every_mode.pins()), retry_wait=0.05)
    started = time.monotonic()
    results = asyncio.run(probe_all([(site, o) for o in origins], config))
    elapsed = time.monotonic() - started
    got = {r.domain: r.cls for r in results}
    want = {every_mode.origin(host_of(mode)): cls for mode, cls in EXPECTED.items()}
    assert got == {**want, "http://www.nxdomain.invalid": "dns_nxdomain"}
    assert elapsed < SLOW, "blackholed and slow probes are bounded by the probe timeout"
    by_mode = {mode: next(r for r in results if r.domain == every_mode.origin(host_of(mode)))
               for mode in EXPECTED}
    assert by_mode["ok"].http_status == 200 and by_mode["ok"].title.endswith("PressTV")
    assert set(by_mode["ok"].timings) >= {"dns", "connect", "ttfb", "total"}
    assert by_mode["seized"].http_status == 200, "a seizure banner served with HTTP 200"
    assert by_mode["offsite_redirect"].final_url == "http://parking.example.invalid/"
    assert "ttfb" not in by_mode["blackhole"].timings
    assert by_mode["blackhole"].timings["total"] == pytest.approx(TIMEOUT, abs=0.5)


def test_a_transient_reset_is_retried_within_the_probe(mock_site: MockSite) -> None:
    with MockServer(mock_site, ["http://www.presstv.ir"]) as server:
        server.set_mode("www.presstv.ir", "reset", for_requests=1)
        config = MonitorConfig(timeout=5, pins=parse_pins(server.pins()), retry_wait=0.05)
        result = asyncio.run(probe_domain(site_on(server.origins), server.origins[0], config))
        assert result.cls == "ok"
        assert server.hits("/", mode="reset") == 1 and server.hits("/", mode="ok") == 1
        server.set_mode("www.presstv.ir", "reset")
        result = asyncio.run(probe_domain(site_on(server.origins), server.origins[0], config))
        assert result.cls == "tcp_reset" and server.hits("/", mode="reset") == 1 + config.attempts


def _trust_served_cert(server: MockServer, origin: str, folder: Path) -> str:
    """Write the (self-signed) certificate an origin serves to a PEM file to trust."""
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    with socket.create_connection(server.address(origin), timeout=5) as raw, \
            context.wrap_socket(raw) as tls:
        der = tls.getpeercert(binary_form=True)
    assert der is not None
    path = folder / "trusted.pem"
    path.write_text(ssl.DER_cert_to_PEM_cert(der))
    return str(path)


@pytest.mark.parametrize(("tls_name", "expected"), [("www.presstv.ir", "ok"),
                                                    ("mismatch.example.invalid", "tls_error")])
def test_tls_facts_and_name_match(mock_site: MockSite, tmp_path: Path, tls_name: str,
                                  expected: str) -> None:
    with MockServer(mock_site, ["https://www.presstv.ir"], tls_name=tls_name) as server:
        origin = server.origins[0]
        pins = parse_pins(server.pins())
        untrusted = asyncio.run(probe_domain(site_on([origin]), origin, MonitorConfig(timeout=5, pins=pins)))
        assert untrusted.cls == "tls_error" and "certificate" in untrusted.detail
        config = MonitorConfig(timeout=5, pins=pins, ca_file=_trust_served_cert(server, origin, tmp_path))
        result = asyncio.run(probe_domain(site_on([origin]), origin, config))
    assert result.cls == expected
    if expected == "ok":
        assert result.tls_version in ("TLSv1.2", "TLSv1.3") and "tls" in result.timings
        assert result.cert_expires is not None
        assert 0 < (result.cert_expires.timestamp() - time.time()) < 2 * 86400
    else:
        assert "mismatch" in result.detail.lower(), result.detail
