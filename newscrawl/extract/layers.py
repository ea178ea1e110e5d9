"""Each extraction layer on its own: a layer that raises, or runs past the page's deadline,
gives its field's empty value, logged and recorded; the other layers go on.

What failed is recorded in ``Article.sources["errors"]``: ``"<layer>: <Exception>: <message>"``
entries joined by ``"; "``, a layer skipped for lack of time as ``"<layer>: timeout"``.
``failures(article)`` reads them back (the crawler counts them as stats).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

logger = logging.getLogger(__name__)

ERRORS = "errors"
"""The ``Article.sources`` key that lists the layers that failed."""
TIMEOUT = "timeout"
MAX_MESSAGE = 160
T = TypeVar("T")


class ExtractionTimeout(BaseException):
    """The page's extraction deadline passed inside a layer (raised by the worker's alarm). A
    ``BaseException``: the layers' own ``except Exception`` must not swallow it."""


_interruptible = False
"""True while a layer runs: only then does the alarm interrupt (see ``interrupt``)."""


def interrupt(_signum: int, _frame: Any) -> None:
    """Signal handler for the deadline alarm: stops the running layer. Between layers the
    deadline is checked before each one starts instead."""
    if _interruptible:
        raise ExtractionTimeout


class Layers:
    """Runs the layers of one page. ``strict`` (tests of the bare extractors) lets exceptions
    through; ``deadline`` is a ``time.monotonic()`` value, None for none."""

    def __init__(self, url: str, deadline: float | None = None, strict: bool = False):
        self.url, self.deadline, self.strict = url, deadline, strict
        self.failures: list[str] = []
        self.timed_out = False

    def run(self, name: str, layer: Callable[[], T], default: T) -> T:
        """``layer()``, or ``default`` when it raises or no time is left."""
        global _interruptible
        if self.timed_out or (self.deadline is not None and time.monotonic() > self.deadline):
            self._timeout(name)
            return default
        try:
            _interruptible = True
            try:
                return layer()
            finally:
                _interruptible = False
        except ExtractionTimeout:
            self._timeout(name)
            return default
        except Exception as exc:
            if self.strict:
                raise
            self.fail(name, exc)
            return default

    def fail(self, name: str, exc: BaseException) -> None:
        """Record (and log) that part ``name`` of the page failed with ``exc``."""
        message = " ".join(str(exc).replace(";", ",").split())[:MAX_MESSAGE]
        logger.warning("%s: %s extraction failed (%s: %s); left empty", self.url, name,
                       type(exc).__name__, message)
        self.failures.append(f"{name}: {type(exc).__name__}: {message}" if message
                             else f"{name}: {type(exc).__name__}")

    def _timeout(self, name: str) -> None:
        if not self.timed_out:
            logger.warning("%s: extraction deadline passed at %s; the page keeps what was found",
                           self.url, name)
        self.timed_out = True
        self.failures.append(f"{name}: {TIMEOUT}")

    def record(self, sources: dict[str, str]) -> None:
        """Write the failures into an article's ``sources``."""
        if self.failures:
            sources[ERRORS] = "; ".join(self.failures)


def failures(sources: dict[str, str]) -> list[tuple[str, str]]:
    """(layer, reason) of each failure recorded in ``sources``; the reason is the exception's
    name or ``"timeout"``."""
    found = []
    for entry in filter(None, sources.get(ERRORS, "").split("; ")):
        layer, _, rest = entry.partition(": ")
        found.append((layer, rest.split(":", 1)[0]))
    return found
