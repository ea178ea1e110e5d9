"""Blocking probes that refine what a Scrapy error cannot tell (for the monitor and CLI, not
for use inside the reactor): NXDOMAIN vs other DNS failure, connect vs response timeout."""

from __future__ import annotations

import socket

from newscrawl.classify.classes import DNS_ERROR, DNS_NXDOMAIN, OK, TCP_REFUSED, TCP_TIMEOUT

_NXDOMAIN_CODES = {getattr(socket, n) for n in ("EAI_NONAME", "EAI_NODATA") if hasattr(socket, n)}


def probe_dns(host: str) -> str:
    """Resolve ``host`` with the system resolver: ``ok``, ``dns_nxdomain`` (EAI_NONAME,
    EAI_NODATA: the name does not exist) or ``dns_error`` (timeout, SERVFAIL, no resolver)."""
    try:
        socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        return DNS_NXDOMAIN if exc.errno in _NXDOMAIN_CODES else DNS_ERROR
    except UnicodeError:
        return DNS_NXDOMAIN
    return OK


def probe_connect(host: str, port: int, timeout: float = 5.0) -> str:
    """Open (and close) a TCP connection: ``ok``, ``tcp_refused``, ``tcp_timeout``, or a DNS
    class when ``host`` does not resolve."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return OK
    except socket.gaierror:
        return probe_dns(host)
    except ConnectionRefusedError:
        return TCP_REFUSED
    except OSError:
        return TCP_TIMEOUT
