"""Browser navigation errors as the download errors failover classifies (``classify``):
Chromium says ``net::ERR_CONNECTION_REFUSED``, failover knows ``ConnectionRefusedError``."""

from __future__ import annotations

import ssl

from twisted.internet.error import DNSLookupError, TCPTimedOutError

_BY_CODE: tuple[tuple[str, type[BaseException]], ...] = (
    ("ERR_NAME_NOT_RESOLVED", DNSLookupError),
    ("ERR_NAME_RESOLUTION_FAILED", DNSLookupError),
    ("ERR_CONNECTION_REFUSED", ConnectionRefusedError),
    ("ERR_CONNECTION_TIMED_OUT", TCPTimedOutError),
    ("ERR_ADDRESS_UNREACHABLE", TCPTimedOutError),
    ("ERR_NETWORK_UNREACHABLE", TCPTimedOutError),
    ("ERR_CONNECTION_RESET", ConnectionResetError),
    ("ERR_CONNECTION_CLOSED", ConnectionResetError),
    ("ERR_CONNECTION_ABORTED", ConnectionResetError),
    ("ERR_EMPTY_RESPONSE", ConnectionResetError),
    ("ERR_CERT_", ssl.SSLError),
    ("ERR_SSL_", ssl.SSLError),
    ("ERR_BAD_SSL_", ssl.SSLError),
)


def download_error(message: str) -> BaseException | None:
    """The download error a Chromium navigation error ``message`` stands for, None when it
    is not a network error (failover leaves those alone)."""
    for code, error in _BY_CODE:
        if f"net::{code}" in message:
            return error(message.splitlines()[0] if message else code)
    return None
