"""Redirects in a probe: followed while they stay on one of the site's origins (scheme, host
and port), reported as ``offsite_redirect`` and not followed otherwise; the target goes
percent-encoded into the request line."""

from __future__ import annotations

import asyncio
import dataclasses
from contextlib import ExitStack

from newscrawl.monitor.config import MonitorConfig
from newscrawl.monitor.probe import probe_domain
from newscrawl.sites import Site, get_site
from tests.local_http import Route, scripted_server

PAGE = Route(body=b"<html><head><title>Home - PressTV</title></head><body>PressTV</body></html>")
PINS = {"www.presstv.test": "127.0.0.1", "presstv.test": "127.0.0.1"}


def site_on(*origins: str) -> Site:
    return dataclasses.replace(get_site("presstv"), domains=origins)


def moved(location: str) -> Route:
    return Route(302, b"", {"Location": location})


def probe(site: Site, origin: str) -> tuple[str, str, str]:
    result = asyncio.run(probe_domain(site, origin, MonitorConfig(timeout=5, pins=PINS)))
    return result.cls, result.final_url, result.detail


def test_a_redirect_to_another_port_of_the_same_host_is_not_followed() -> None:
    with ExitStack() as stack:
        admin = stack.enter_context(scripted_server({"/internal-admin": PAGE}))
        site_server = stack.enter_context(scripted_server({}))
        site_server.routes["/"] = moved(f"http://www.presstv.test:{admin.port}/internal-admin")
        origin = f"http://www.presstv.test:{site_server.port}"
        cls, final_url, _ = probe(site_on(origin), origin)
        assert admin.request_lines == [], "the probe went to the other port"
    assert cls == "offsite_redirect"
    assert final_url == f"http://www.presstv.test:{admin.port}/internal-admin"


def test_a_redirect_to_another_scheme_of_the_same_host_is_not_followed() -> None:
    with scripted_server({}) as server:
        origin = f"http://www.presstv.test:{server.port}"
        server.routes["/"] = moved(f"https://www.presstv.test:{server.port}/")
        cls, final_url, detail = probe(site_on(origin), origin)
        assert len(server.request_lines) == 1, "no second (TLS) connection"
    assert (cls, final_url) == ("offsite_redirect", f"https://www.presstv.test:{server.port}/")
    assert detail.endswith("HTTP 302")


def test_redirects_on_the_site_origins_are_followed() -> None:
    with scripted_server({"/Section/101": PAGE, "/home": PAGE}) as server:
        bare, www = f"http://presstv.test:{server.port}", f"http://www.presstv.test:{server.port}"
        server.routes["/"] = moved(f"{www}/home")  # the www twin of the probed origin
        cls, final_url, _ = probe(site_on(bare), bare)
    assert (cls, final_url) == ("ok", f"{www}/home")


def test_the_redirect_target_is_percent_encoded_in_the_request_line() -> None:
    raw_location = "/café page?q=a b".encode().decode("latin-1")  # UTF-8 bytes, as sent
    with scripted_server({"/": moved(raw_location), "/caf%C3%A9%20page": PAGE,
                          "/Section/101": PAGE}) as server:
        origin = f"http://www.presstv.test:{server.port}"
        cls, final_url, _ = probe(site_on(origin), origin)
        lines = list(server.request_lines)
    assert "GET /caf%C3%A9%20page?q=a%20b HTTP/1.1" in lines
    assert cls == "ok" and final_url == f"{origin}/caf%C3%A9%20page?q=a%20b"


def test_origins() -> None:
    from newscrawl.monitor.redirects import origin_of, site_origins

    assert origin_of("HTTPS://WWW.Example.com:443/x") == "https://www.example.com"
    assert origin_of("http://example.com:8080/") == "http://example.com:8080"
    assert origin_of("http://example.com:99999/") is None
    assert origin_of("ftp://example.com/") is None
    assert site_origins(site_on("https://www.a.test", "http://b.test:8080")) == {
        "https://www.a.test", "https://a.test", "http://b.test:8080", "http://www.b.test:8080"}
