"""Classify a download error (Scrapy, Twisted, OpenSSL or stdlib) into a failure class.

Scrapy 2.19 wraps Twisted errors in ``scrapy.exceptions.*`` with the original in
``__cause__``; Twisted keeps the real causes in ``reasons`` lists of ``Failure``s. We walk the
whole chain and apply the first rule whose evidence appears anywhere in it, in this order:
TLS, DNS, refused, connect timeout, lost connection, response timeout. Only class names
and messages are compared, so nothing here imports Scrapy, Twisted or OpenSSL.

Limits of what an exception can tell, measured with real Scrapy 2.19 downloads:
- Connect timeout vs response timeout: the HTTP/1.1 handler arms two timers of the same
  length (DOWNLOAD_TIMEOUT): the connect timer and the download timer. If the connect timer
  fires first the error is ``DownloadTimeoutError("User timeout caused connection failure.")``
  caused by Twisted's ``TimeoutError``: ``tcp_timeout``. If the download timer fires first
  (always, when the server accepted but never answered; sometimes, for a connect that never
  completes) it is ``DownloadTimeoutError("Getting <url> took longer than N seconds.")`` with
  no cause: ``http_timeout``. So ``tcp_timeout`` is certain, ``http_timeout`` may hide a
  connect timeout; the monitor, which times each stage itself, tells them apart. Other connect-stage
  evidence: ``TCPTimedOutError`` (ETIMEDOUT, arrives unwrapped), no route to host.
- NXDOMAIN vs other DNS failures: Scrapy's resolver drops the resolver's error code; every
  failure reads ``DNS lookup failed: no results for hostname lookup: <host>.``. Such an
  ambiguous error is classed ``dns_error``. A ``socket.gaierror`` keeps the code (the monitor
  resolves names itself), so there ``EAI_NONAME``/``EAI_NODATA`` read ``dns_nxdomain``.
"""

from __future__ import annotations

import errno
import socket
from collections.abc import Iterator
from typing import Any

from newscrawl.classify.classes import (
    DNS_ERROR,
    DNS_NXDOMAIN,
    HTTP_TIMEOUT,
    TCP_REFUSED,
    TCP_RESET,
    TCP_TIMEOUT,
    TLS_ERROR,
    UNKNOWN,
)

_TLS = {
    "Error",
    "SSLError",
    "VerificationError",
    "CertificateError",
    "SSLCertVerificationError",
    "SSLZeroReturnError",
    "SSLEOFError",
}
_DNS = {
    "CannotResolveHostError",
    "DNSLookupError",
    "gaierror",
    "DNSNameError",
    "DNSServerError",
    "DNSQueryTimeoutError",
    "DNSQueryRefusedError",
    "DomainError",
    "UnknownHostError",
}
_REFUSED = {"DownloadConnectionRefusedError", "ConnectionRefusedError", "ConnectError"}
_CONNECT_TIMEOUT = {"TCPTimedOutError", "NoRouteError"}
_LOST = {
    "ResponseDataLossError",
    "DownloadFailedError",
    "ConnectionLost",
    "ConnectionDone",
    "ConnectionResetError",
    "ConnectionAbortedError",
    "BrokenPipeError",
    "ResponseFailed",
    "_ResponseFailed",
    "ResponseNeverReceived",
    "_DataLoss",
    "PotentialDataLoss",
    "DownloadCancelledError",
    "ConnectingCancelledError",
    "TunnelError",
}
_TIMEOUT = {"DownloadTimeoutError", "TimeoutError"}
_NXDOMAIN_CODES = {getattr(socket, n) for n in ("EAI_NONAME", "EAI_NODATA") if hasattr(socket, n)}
_NXDOMAIN_TEXT = (
    "name or service not known",
    "no address associated",
    "nodename nor servname",
    "nxdomain",
    "domain name not found",
    "dnsnameerror",
)
_CONNECT_TIMEOUT_TEXT = (
    "user timeout caused connection failure",
    "connection timed out",
    "no route to host",
    "network is unreachable",
)
_CONNECT_TIMEOUT_ERRNOS = {errno.ETIMEDOUT, errno.EHOSTUNREACH, errno.ENETUNREACH}


def exception_chain(exc: BaseException | Any) -> Iterator[BaseException]:
    """``exc`` and everything behind it: ``__cause__``, ``__context__``, ``reasons``,
    ``Failure.value``; breadth first, each exception once."""
    seen: set[int] = set()
    todo: list[Any] = [exc]
    while todo:
        item = todo.pop(0)
        if hasattr(item, "trap") and hasattr(item, "value"):  # a Twisted Failure (a BaseException too)
            item = item.value
        if not isinstance(item, BaseException) or id(item) in seen:
            continue
        seen.add(id(item))
        yield item
        todo += [item.__cause__, item.__context__, *(getattr(item, "reasons", None) or ())]


def _is_tls(exc: BaseException) -> bool:
    module = type(exc).__module__
    return type(exc).__name__ in _TLS and module.startswith(("OpenSSL", "ssl", "service_identity"))


def _dns_class(chain: list[BaseException]) -> str:
    codes = {exc.errno for exc in chain if isinstance(exc, socket.gaierror)}
    text = " ".join(f"{type(exc).__name__} {exc}" for exc in chain).lower()
    if codes & _NXDOMAIN_CODES or any(t in text for t in _NXDOMAIN_TEXT):
        return DNS_NXDOMAIN
    return DNS_ERROR


def _is_connect_timeout(exc: BaseException) -> bool:
    if type(exc).__name__ in _CONNECT_TIMEOUT:
        return True
    if isinstance(exc, OSError) and exc.errno in _CONNECT_TIMEOUT_ERRNOS:
        return True
    return type(exc).__name__ in _TIMEOUT | {"ConnectError"} and any(
        t in str(exc).lower() for t in _CONNECT_TIMEOUT_TEXT
    )


def classify_exception(exc: BaseException | Any) -> str:
    """The failure class of a download error, or ``unknown`` when it is not one.
    Accepts an exception or a Twisted ``Failure``."""
    chain = list(exception_chain(exc))
    names = {type(e).__name__ for e in chain}
    if any(_is_tls(e) for e in chain):
        return TLS_ERROR
    if names & _DNS:
        return _dns_class(chain)
    if names & _REFUSED:
        return TCP_REFUSED
    if any(_is_connect_timeout(e) for e in chain):
        return TCP_TIMEOUT
    if names & _LOST:
        return TCP_RESET
    if names & _TIMEOUT:
        return HTTP_TIMEOUT
    return UNKNOWN
