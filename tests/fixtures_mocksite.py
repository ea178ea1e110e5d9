"""Mock Press TV site fixtures. Import them explicitly where needed (an assignment, so
that ruff does not take the test functions' parameters for redefinitions):

    from tests import fixtures_mocksite

    mock_site = fixtures_mocksite.mock_site
    mock_server = fixtures_mocksite.mock_server
"""

from __future__ import annotations

import http.client
import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from newscrawl.testing.mocksite import DEFAULT_HOSTS, MockServer, MockSite, build_mock_site

MOCK_ARTICLES = 36


@dataclass(frozen=True)
class Fetched:
    """A response read with http.client."""

    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


@pytest.fixture(scope="session")
def mock_site() -> MockSite:
    """The default mock site: 36 articles, the seed article among them (built once)."""
    return build_mock_site(MOCK_ARTICLES)


@pytest.fixture
def mock_server(mock_site: MockSite) -> Iterator[MockServer]:
    """The mock site on www.presstv.ir, .co.uk, .tv and .com (fresh modes and request log)."""
    with MockServer(mock_site, [f"http://{host}" for host in DEFAULT_HOSTS]) as server:
        yield server


def fetch(server: MockServer, host: str, path: str = "/", *, method: str = "GET",
          timeout: float = 5.0, headers: dict[str, str] | None = None) -> Fetched:
    """One request to an origin of ``server`` (by host name), over a fresh connection."""
    ip, port = server.address(host)
    connection = http.client.HTTPConnection(ip, port, timeout=timeout)
    try:
        connection.request(method, path, headers={"Host": host, **(headers or {})})
        response = connection.getresponse()
        body = response.read()
        return Fetched(response.status, {k.lower(): v for k, v in response.getheaders()}, body)
    finally:
        connection.close()


def fetch_tls(server: MockServer, origin: str, path: str = "/", *, verify: bool = True,
              timeout: float = 5.0) -> Fetched:
    """One HTTPS request to ``origin`` (``https://host:port``) with SNI and Host set to its
    host name; the certificate is checked against that name unless ``verify`` is false."""
    host = origin.split("://", 1)[1].rsplit(":", 1)[0]
    context = ssl.create_default_context()
    if not verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    with socket.create_connection(server.address(origin), timeout=timeout) as plain, \
            context.wrap_socket(plain, server_hostname=host) as tls:
        tls.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        data = b"".join(iter(lambda: tls.recv(65536), b""))
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return Fetched(int(lines[0].split()[1]), headers, body)
