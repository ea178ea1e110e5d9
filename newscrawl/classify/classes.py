"""The failure classes: a public contract shared by the failover middleware and the monitor."""

from __future__ import annotations

OK = "ok"
DNS_NXDOMAIN = "dns_nxdomain"
DNS_ERROR = "dns_error"
TCP_REFUSED = "tcp_refused"
TCP_TIMEOUT = "tcp_timeout"
TCP_RESET = "tcp_reset"
TLS_ERROR = "tls_error"
HTTP_TIMEOUT = "http_timeout"
HTTP_5XX = "http_5xx"
HTTP_4XX = "http_4xx"
SOFT_SEIZED = "soft_seized"
SOFT_PARKED = "soft_parked"
SOFT_CHALLENGE = "soft_challenge"
SOFT_BLOCKPAGE = "soft_blockpage"
OFFSITE_REDIRECT = "offsite_redirect"
CONTENT_MISMATCH = "content_mismatch"
UNKNOWN = "unknown"
"""Returned by ``classify_exception`` for an exception that is not a download error
(e.g. ``IgnoreRequest`` or a bug); deliberately not in ``FAILURE_CLASSES``."""

NETWORK_CLASSES = (DNS_NXDOMAIN, DNS_ERROR, TCP_REFUSED, TCP_TIMEOUT, TCP_RESET, TLS_ERROR, HTTP_TIMEOUT)
HTTP_CLASSES = (HTTP_5XX, HTTP_4XX)
SOFT_CLASSES = (SOFT_SEIZED, SOFT_PARKED, SOFT_CHALLENGE, SOFT_BLOCKPAGE)
SITE_CLASSES = (OFFSITE_REDIRECT, CONTENT_MISMATCH)
FAILURE_CLASSES = NETWORK_CLASSES + HTTP_CLASSES + SOFT_CLASSES + SITE_CLASSES


def is_network(cls: str) -> bool:
    """True for failures before a complete HTTP response arrived (DNS, TCP, TLS, timeout)."""
    return cls in NETWORK_CLASSES


def is_soft(cls: str) -> bool:
    """True for a response that looks fine at the HTTP level but is not the site's page
    (seizure notice, parked domain, anti-bot challenge, block page)."""
    return cls in SOFT_CLASSES


def is_failure(cls: str) -> bool:
    """True for every class except ``ok`` (and ``unknown``, which is not a site failure)."""
    return cls in FAILURE_CLASSES
