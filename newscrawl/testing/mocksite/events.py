"""What the mock server reports to the threads that drive it: a condition notified on every
request and every mode change (``Events.wait_until``), and the hold: requests that match a
rule are kept unanswered until the test releases them.

A test that must act at a given point of a crawl (kill it, restart its store) holds the
crawl there, waits for the server to report the held request, acts, then releases: the
crawl can neither finish early on a fast machine nor lag behind on a slow one.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class HoldRule:
    """Requests to ``origins`` (None: any) whose path matches, beyond the first ``after``."""

    prefix: str | None
    path: str | None
    origins: frozenset[str] | None
    after: int
    admitted: int = 0

    def matches(self, origin: str, target: str) -> bool:
        bare = target.split("?", 1)[0]
        return ((self.origins is None or origin in self.origins)
                and (self.prefix is None or target.startswith(self.prefix))
                and (self.path is None or self.path in (target, bare)))


class Events:
    """Shared by every origin of one server. ``wait_until`` and the hold are thread-safe;
    ``take_hold`` runs in the server's loop thread."""

    def __init__(self) -> None:
        self.changed = threading.Condition()
        self.rule: HoldRule | None = None
        self.held: list[Callable[[], None]] = []
        self.held_total = 0

    def notify(self) -> None:
        """Wake every ``wait_until``: a request came, a mode changed, a request was held."""
        with self.changed:
            self.changed.notify_all()

    def wait_until(self, check: Callable[[], bool], timeout: float, what: str) -> None:
        """Return once ``check()`` is true (evaluated on every event); ``TimeoutError`` naming
        ``what`` after ``timeout`` seconds, a safety net only. ``check`` must be quick and
        must not call into the server's loop (``MockServer.mode`` does)."""
        with self.changed:
            if not self.changed.wait_for(check, timeout):
                raise TimeoutError(f"mock server: {what} not seen within {timeout:g} s")

    def hold(self, rule: HoldRule) -> None:
        with self.changed:
            self.rule = rule

    def take_hold(self, origin: str, target: str, answer: Callable[[], None]) -> bool:
        """True when this request is held: ``answer`` is then called on release."""
        with self.changed:
            rule = self.rule
            if rule is None or not rule.matches(origin, target):
                return False
            rule.admitted += 1
            if rule.admitted <= rule.after:
                return False
            self.held.append(answer)
            self.held_total += 1
            self.changed.notify_all()
            return True

    def release(self) -> list[Callable[[], None]]:
        """End the hold; the answers of the held requests, for the loop thread to run."""
        with self.changed:
            self.rule, held, self.held = None, self.held, []
            self.changed.notify_all()
            return held
