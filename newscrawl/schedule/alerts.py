"""Webhook alerts of the scheduler: a failed or timed-out run, N empty runs in a row.

Posts go out on a background thread, retried with tenacity; a dead webhook is logged and
never stops or slows the scheduler.
"""

from __future__ import annotations

import json
import logging
import urllib.request
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import Any

from tenacity import Retrying, stop_after_attempt, wait_exponential

from newscrawl.secrets import mask_text, mask_url

logger = logging.getLogger("newscrawl.schedule")


def _post(url: str, payload: bytes, timeout: float) -> None:
    request = urllib.request.Request(url, data=payload, method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        response.read()


class Alerts:
    def __init__(self, attempts: int = 3, timeout: float = 5.0, wait_seconds: float = 0.5):
        self.attempts, self.timeout, self.wait_seconds = attempts, timeout, wait_seconds
        self._executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="newscrawl-webhook")
        self._pending: set[Future[bool]] = set()

    def send(self, url: str, event: dict[str, Any]) -> None:
        """Log the event; POST it to ``url`` (if any) without waiting."""
        logger.warning("alert: %s", json.dumps(event, default=str))
        if url:
            future = self._executor.submit(self._deliver, url, json.dumps(event, default=str).encode())
            self._pending.add(future)
            future.add_done_callback(self._pending.discard)

    def _deliver(self, url: str, payload: bytes) -> bool:
        retrying = Retrying(stop=stop_after_attempt(self.attempts), reraise=True,
                            wait=wait_exponential(multiplier=self.wait_seconds, max=10))
        try:
            for attempt in retrying:
                with attempt:
                    _post(url, payload, self.timeout)
        except Exception as exc:
            logger.error("webhook %s failed after %d attempts: %s", mask_url(url), self.attempts,
                         mask_text(str(exc)))
            return False
        return True

    def close(self, timeout: float = 10.0) -> None:
        """Wait (at most ``timeout`` seconds) for posts under way, then stop the thread."""
        if self._pending:
            wait(set(self._pending), timeout=timeout)
        self._executor.shutdown(wait=False, cancel_futures=True)
