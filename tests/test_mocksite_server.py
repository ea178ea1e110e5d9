"""The mock server over real sockets: origins, keep-alive, every failure mode, schedules, TLS."""

from __future__ import annotations

import http.client
import json
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
from typing import Any

import pytest

from newscrawl.testing.mocksite import MockServer, MockSite
from tests import fixtures_mocksite
from tests.fixtures_mocksite import fetch, fetch_tls

mock_site = fixtures_mocksite.mock_site
mock_server = fixtures_mocksite.mock_server
IR, UK, TV, COM = "www.presstv.ir", "www.presstv.co.uk", "www.presstv.tv", "www.presstv.com"
MARKERS = ("PressTV", "Press TV", "presstv")


def test_every_origin_serves_the_site_with_its_own_links(mock_server: MockServer,
                                                         mock_site: MockSite) -> None:
    record = mock_site.manifest[0]
    ir, uk = mock_server.origin(IR), mock_server.origin(UK)
    assert ir.startswith("http://www.presstv.ir:") and not ir.endswith(":0")
    assert len({o.rsplit(":", 1)[1] for o in mock_server.origins}) == 4
    page = fetch(mock_server, UK, record.path).text
    assert f'<link rel="canonical" href="{uk}{record.path}">' in page
    assert f'href="{ir}/"' in page and f'href="{uk}/"' not in page  # footer: the other mirrors
    assert "@@" not in page
    feed = fetch(mock_server, IR, "/rss.xml")
    assert feed.headers["content-type"].startswith("application/xml")
    assert f"<link>{ir.replace('www.', '')}/Detail/" in feed.text
    assert fetch(mock_server, IR, record.slug_variants[1] + "?utm_source=x").body == fetch(
        mock_server, IR, record.path).body
    assert fetch(mock_server, IR, "/Nothing/here").status == 404
    assert "presstv.ir:127.0.0.1" in mock_server.pins() and f"{COM}:127.0.0.1" in mock_server.pins()


def test_keep_alive_head_and_connection_close(mock_server: MockServer) -> None:
    connection = http.client.HTTPConnection(*mock_server.address(IR), timeout=5)
    connection.request("GET", "/robots.txt")
    first = connection.getresponse()
    assert first.read().startswith(b"User-agent: *") and first.getheader("connection") == "keep-alive"
    local_port = connection.sock.getsockname()[1]
    connection.request("HEAD", "/")
    head = connection.getresponse()
    assert head.read() == b"" and int(head.getheader("content-length") or 0) > 1000
    assert connection.sock.getsockname()[1] == local_port  # the same TCP connection
    connection.close()
    with socket.create_connection(mock_server.address(IR), timeout=5) as raw:
        raw.sendall(b"GET /robots.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        data = b"".join(iter(lambda: raw.recv(65536), b""))  # ends: the server closed
    assert data.startswith(b"HTTP/1.1 200 OK") and data.endswith(b"/sitemap.xml\n")
    assert mock_server.hits("/robots.txt") == 2 and mock_server.hits("/", origin=IR) == 1


def test_pipelined_requests_are_answered_in_order_and_garbage_gets_400(mock_server: MockServer) -> None:
    mock_server.set_mode(IR, "slow", delay=0.2)
    with socket.create_connection(mock_server.address(IR), timeout=5) as raw:
        raw.sendall(b"GET /robots.txt HTTP/1.1\r\nHost: x\r\n\r\n"
                    b"GET /nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        data = b"".join(iter(lambda: raw.recv(65536), b""))
    assert data.index(b"HTTP/1.1 200 OK") < data.index(b"HTTP/1.1 404 Not Found")
    with socket.create_connection(mock_server.address(UK), timeout=5) as raw:
        raw.sendall(b"garbage\r\n\r\n")
        assert raw.recv(65536).startswith(b"HTTP/1.1 400 Bad Request")


def test_refuse_closes_the_port_and_comes_back_after_some_seconds(mock_server: MockServer) -> None:
    mock_server.set_mode(IR, "refuse", for_seconds=2.0)
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(mock_server.address(IR), timeout=2)
    assert fetch(mock_server, UK, "/").status == 200
    mock_server.wait_mode(IR, "ok")  # the server reports the end of the phase
    assert fetch(mock_server, IR, "/").status == 200
    assert mock_server.hits(origin=IR, mode="refuse") == 0 and mock_server.mode(IR) == "ok"
    with pytest.raises(ValueError, match="for_seconds"):
        mock_server.set_mode(IR, "refuse", for_requests=2)


def test_blackhole_accepts_and_never_answers(mock_server: MockServer) -> None:
    mock_server.set_mode(TV, "blackhole")
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        fetch(mock_server, TV, "/", timeout=0.5)
    assert time.monotonic() - started >= 0.45
    assert mock_server.hits("/", origin=TV, mode="blackhole") == 1


def test_reset_sends_headers_and_part_of_the_body_then_rst(mock_server: MockServer,
                                                          mock_site: MockSite) -> None:
    mock_server.set_mode(IR, "reset", fraction=0.3)
    connection = http.client.HTTPConnection(*mock_server.address(IR), timeout=5)
    connection.request("GET", mock_site.manifest[0].path)
    response = connection.getresponse()
    assert response.status == 200
    with pytest.raises((http.client.IncompleteRead, ConnectionResetError)):
        response.read()
    connection.close()


def test_slow_answers_after_the_delay(mock_server: MockServer) -> None:
    mock_server.set_mode(UK, "slow", delay=0.6)
    started = time.monotonic()
    assert fetch(mock_server, UK, "/robots.txt").status == 200
    assert time.monotonic() - started >= 0.55
    with pytest.raises(TimeoutError):
        fetch(mock_server, UK, "/", timeout=0.2)


@pytest.mark.parametrize(("mode", "params", "status", "needle"), [
    ("http_5xx", {}, 503, ""),
    ("http_5xx", {"status": 502}, 502, ""),
    ("http_4xx", {"status": 451}, 451, ""),
    ("seized", {}, 200, "has been seized by the United States Government"),
    ("parked", {}, 200, "presstv.com is for sale!"),
    ("parked", {"style": "bodis"}, 200, "parked free of charge with Bodis"),
    ("challenge", {}, 403, "Just a moment..."),
    ("blockpage", {}, 403, "10.10.34.34"),
    ("blockpage", {"style": "russia"}, 200, "Доступ к ресурсу ограничен"),
    ("blockpage", {"style": "turkey", "status": 403}, 403, "5651 sayılı kanun"),
    ("wrong_site", {}, 200, "Sunrise Bakery"),
    ("offsite_redirect", {}, 302, ""),
])
def test_page_modes(mock_server: MockServer, mode: str, params: dict[str, Any], status: int,
                    needle: str) -> None:
    mock_server.set_mode(COM, mode, **params)
    response = fetch(mock_server, COM, "/Detail/2026/08/15/774416/Iran-Oman")
    assert response.status == status and needle in response.text
    assert fetch(mock_server, IR, "/").status == 200
    if mode in ("wrong_site", "http_5xx"):
        assert not any(marker in response.text for marker in MARKERS)


def test_challenge_redirect_and_5xx_headers(mock_server: MockServer) -> None:
    mock_server.set_mode(IR, "challenge")
    headers = fetch(mock_server, IR, "/").headers
    assert headers["cf-mitigated"] == "challenge" and headers["server"] == "cloudflare"
    mock_server.set_mode(IR, "offsite_redirect")
    assert fetch(mock_server, IR, "/").headers["location"] == "http://parking.example.invalid/"
    mock_server.set_mode(IR, "http_5xx", retry_after=30)
    assert fetch(mock_server, IR, "/").headers["retry-after"] == "30"


def test_dies_after_n_requests_and_comes_back_after_m(mock_server: MockServer) -> None:
    mock_server.set_mode(IR, "http_5xx", after=2, for_requests=3)
    statuses = [fetch(mock_server, IR, "/robots.txt").status for _ in range(7)]
    assert statuses == [200, 200, 503, 503, 503, 200, 200]
    assert [r.mode for r in mock_server.requests] == ["ok"] * 2 + ["http_5xx"] * 3 + ["ok"] * 2


def test_refuse_after_n_requests_then_back_after_seconds(mock_server: MockServer) -> None:
    mock_server.set_mode(UK, "seized")
    mock_server.set_mode(UK, "refuse", after=1, for_seconds=2.0)
    assert "seized" in fetch(mock_server, UK, "/").text
    with pytest.raises(ConnectionRefusedError):
        fetch(mock_server, UK, "/")
    mock_server.wait_mode(UK, "seized")
    assert "seized" in fetch(mock_server, UK, "/").text  # back to its previous mode


def test_switch_after_seconds(mock_server: MockServer) -> None:
    mock_server.set_mode(TV, "http_4xx", after_seconds=2.0, status=410)
    assert fetch(mock_server, TV, "/").status == 200
    mock_server.wait_mode(TV, "http_4xx")
    assert fetch(mock_server, TV, "/").status == 410 and mock_server.mode(TV) == "http_4xx"


def test_hold_keeps_matching_requests_unanswered_until_released(mock_server: MockServer,
                                                                  mock_site: MockSite) -> None:
    first, *later = (record.path for record in mock_site.manifest[:3])
    mock_server.hold("/Detail/", after=1)
    assert fetch(mock_server, IR, first).status == 200  # the first one is answered
    assert fetch(mock_server, TV, "/robots.txt").status == 200  # no match: answered
    statuses: dict[str, int] = {}
    clients = [threading.Thread(target=lambda p=path: statuses.update({p: fetch(mock_server, UK, p,
                                                                                 timeout=60).status}))
               for path in later]
    for client in clients:
        client.start()
    mock_server.wait_held(2)
    assert statuses == {} and mock_server.held == 2
    assert mock_server.release() == 2
    for client in clients:
        client.join(timeout=60)
    assert statuses == dict.fromkeys(later, 200) and mock_server.held == 0
    assert fetch(mock_server, IR, later[0]).status == 200  # the hold is over


def test_hold_of_one_path_on_one_origin(mock_server: MockServer) -> None:
    mock_server.hold(path="/", origin=COM)
    assert fetch(mock_server, IR, "/").status == 200
    assert fetch(mock_server, COM, "/rss.xml").status == 200
    with pytest.raises(TimeoutError):
        fetch(mock_server, COM, "/?page=1", timeout=0.5)  # its path is "/": held
    assert mock_server.held == 1
    with pytest.raises(TimeoutError, match="2 held request"):
        mock_server.wait_held(2, timeout=0.1)
    mock_server.release()
    assert fetch(mock_server, COM, "/").status == 200


def test_bad_modes_are_rejected(mock_server: MockServer) -> None:
    with pytest.raises(ValueError, match="unknown mode"):
        mock_server.set_mode(IR, "down")
    with pytest.raises(ValueError, match="no parameter"):
        mock_server.set_mode(IR, "slow", dealy=3)
    with pytest.raises(ValueError):
        mock_server.set_mode(IR, "blockpage", style="narnia")
    with pytest.raises(KeyError):
        mock_server.set_mode("www.presstv.invalid", "ok")


def test_https_origin_has_a_certificate_for_another_name(mock_site: MockSite) -> None:
    with MockServer(mock_site, ["https://www.presstv.ir", "http://www.presstv.co.uk"]) as server:
        origin = server.origin("www.presstv.ir")
        assert origin.startswith("https://")
        with pytest.raises(ssl.SSLCertVerificationError):
            fetch_tls(server, origin)
        unverified = fetch_tls(server, origin, verify=False)
        assert unverified.status == 200 and b"PressTV" in unverified.body
        assert server.hits("/") == 1


def test_command_line_serves_until_sigterm() -> None:
    command = [sys.executable, "-m", "newscrawl.testing.mocksite", "--articles", "5", "--hosts",
               "www.presstv.ir,www.presstv.com", "--mode", "www.presstv.com=http_5xx:status=502"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        info = json.loads(process.stdout.readline())
        assert info["articles"] == 5 and len(info["origins"]) == 2
        ir, com = info["origins"]
        for origin, status in ((ir, 200), (com, 502)):
            port = int(origin.rsplit(":", 1)[1])
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/rss.xml")
            assert connection.getresponse().status == status
            connection.close()
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
