"""The class of an error raised by the probe's own asyncio code.

``newscrawl.classify.classify_exception`` (the crawler's classifier) decides wherever the
exception tells enough. Two cases it cannot settle are decided here from the stage the
probe was in (``dns``, ``connect``, ``tls``, ``http``): a bare ``TimeoutError`` (the probe's
overall ``asyncio.timeout``: blackholed connect vs silent server) and asyncio's stream errors
(``IncompleteReadError``, a malformed response), which mean the connection was lost.
"""

from __future__ import annotations

import asyncio
import ssl

from newscrawl.classify import (
    DNS_ERROR,
    HTTP_5XX,
    HTTP_TIMEOUT,
    TCP_RESET,
    TCP_TIMEOUT,
    TLS_ERROR,
    UNKNOWN,
    classify_exception,
)
from newscrawl.monitor.wire import ProtocolError

TIMEOUT_CLASSES = {"dns": DNS_ERROR, "connect": TCP_TIMEOUT, "tls": TLS_ERROR, "http": HTTP_TIMEOUT}
TRANSIENT_CLASSES = frozenset((TCP_RESET, HTTP_TIMEOUT, HTTP_5XX, DNS_ERROR))
PROBE_ERRORS = (OSError, ssl.SSLError, asyncio.IncompleteReadError, ProtocolError)
"""What a probe catches and classifies; anything else is a bug and propagates."""


def class_of_error(exc: BaseException, stage: str) -> str:
    """The failure class of an exception raised while the probe was at ``stage``."""
    if type(exc) is TimeoutError:
        return TIMEOUT_CLASSES.get(stage, HTTP_TIMEOUT)
    if isinstance(exc, asyncio.IncompleteReadError | ProtocolError):
        return TCP_RESET
    cls = classify_exception(exc)
    if cls == UNKNOWN:
        return TIMEOUT_CLASSES["connect"] if stage == "connect" else TCP_RESET
    return cls


def describe(exc: BaseException) -> str:
    """One line naming the error (certificate verification messages included)."""
    if isinstance(exc, ssl.SSLCertVerificationError) and exc.verify_message:
        return f"certificate: {exc.verify_message}"
    if isinstance(exc, asyncio.IncompleteReadError):
        return f"connection closed after {len(exc.partial)} bytes"
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text.splitlines()[0][:200]}" if text else type(exc).__name__


def is_transient(exc: BaseException) -> bool:
    """Worth another attempt within the same probe: a lost connection or DNS hiccup."""
    return isinstance(exc, PROBE_ERRORS) and class_of_error(exc, "http") in TRANSIENT_CLASSES
