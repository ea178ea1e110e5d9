"""One failure classifier shared by the failover middleware and the availability monitor.

``classify_exception(exc)`` maps a download error to a network class; ``classify_response(site,
obs)`` maps a complete response to ``ok`` or a failure class. Class names are a public contract.
"""

from newscrawl.classify.classes import (
    CONTENT_MISMATCH,
    DNS_ERROR,
    DNS_NXDOMAIN,
    FAILURE_CLASSES,
    HTTP_4XX,
    HTTP_5XX,
    HTTP_TIMEOUT,
    NETWORK_CLASSES,
    OFFSITE_REDIRECT,
    OK,
    SOFT_BLOCKPAGE,
    SOFT_CHALLENGE,
    SOFT_CLASSES,
    SOFT_PARKED,
    SOFT_SEIZED,
    TCP_REFUSED,
    TCP_RESET,
    TCP_TIMEOUT,
    TLS_ERROR,
    UNKNOWN,
    is_failure,
    is_network,
    is_soft,
)
from newscrawl.classify.fingerprints import (
    SETTING as FINGERPRINTS_SETTING,
)
from newscrawl.classify.fingerprints import (
    Fingerprint,
    FingerprintError,
    Fingerprints,
    fingerprints_from_settings,
    load_fingerprints,
    parse_fingerprints,
)
from newscrawl.classify.network import classify_exception, exception_chain
from newscrawl.classify.observation import BODY_LIMIT, HeaderMap, Observation
from newscrawl.classify.response import classify_response

__all__ = [
    "BODY_LIMIT",
    "CONTENT_MISMATCH",
    "DNS_ERROR",
    "DNS_NXDOMAIN",
    "FAILURE_CLASSES",
    "FINGERPRINTS_SETTING",
    "HTTP_4XX",
    "HTTP_5XX",
    "HTTP_TIMEOUT",
    "NETWORK_CLASSES",
    "OFFSITE_REDIRECT",
    "OK",
    "SOFT_BLOCKPAGE",
    "SOFT_CHALLENGE",
    "SOFT_CLASSES",
    "SOFT_PARKED",
    "SOFT_SEIZED",
    "TCP_REFUSED",
    "TCP_RESET",
    "TCP_TIMEOUT",
    "TLS_ERROR",
    "UNKNOWN",
    "Fingerprint",
    "FingerprintError",
    "Fingerprints",
    "HeaderMap",
    "Observation",
    "classify_exception",
    "classify_response",
    "exception_chain",
    "fingerprints_from_settings",
    "is_failure",
    "is_network",
    "is_soft",
    "load_fingerprints",
    "parse_fingerprints",
]
