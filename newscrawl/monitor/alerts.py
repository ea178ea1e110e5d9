"""Tell people when a domain changes state: one log line, and a webhook POST of a JSON
event when one is configured. Posts run in the background and are retried with tenacity;
a dead webhook is logged (its URL and the error masked: ``webhooks.masked_webhook``) and
never stops monitoring."""

from __future__ import annotations

import asyncio
import json
import logging
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tenacity import AsyncRetrying, stop_after_attempt, wait_exponential

from newscrawl.monitor.result import iso
from newscrawl.monitor.text import printable
from newscrawl.monitor.webhooks import mask_webhook_text, masked_webhook

logger = logging.getLogger("newscrawl.monitor")


@dataclass(frozen=True)
class StateChange:
    """A domain went from ``old`` to ``new`` status after a probe of class ``cls``."""

    site: str
    domain: str
    old: str
    new: str
    cls: str
    at: datetime
    detail: str = ""

    def as_event(self) -> dict[str, Any]:
        """The webhook's JSON body."""
        return {"event": "domain_status_changed", "site": self.site, "domain": self.domain,
                "from": self.old or None, "to": self.new, "class": self.cls,
                "at": iso(self.at), "detail": self.detail}

    def log_line(self) -> str:
        return printable(f"{self.site} {self.domain}: {self.old or 'new'} -> {self.new}"
                         f" ({self.cls}{': ' + self.detail if self.detail else ''})")


def _post(url: str, payload: bytes, timeout: float) -> int:
    request = urllib.request.Request(url, data=payload, method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return int(response.status)


class Notifier:
    """Logs every state change and posts it to ``webhook`` (if any) in the background."""

    def __init__(self, webhook: str = "", attempts: int = 3, timeout: float = 5.0,
                 wait: float = 0.5):
        self.webhook, self.attempts, self.timeout, self.wait = webhook, attempts, timeout, wait
        self._pending: set[asyncio.Task[bool]] = set()

    def notify(self, change: StateChange) -> None:
        """Log ``change`` now; start its webhook POST without waiting for it."""
        log = logger.warning if change.new != "up" else logger.info
        log("state change: %s", change.log_line())
        if self.webhook:
            task = asyncio.get_running_loop().create_task(self.send(change))
            self._pending.add(task)
            task.add_done_callback(self._pending.discard)

    async def send(self, change: StateChange) -> bool:
        """POST the event, retrying; ``False`` (and a log line) when every attempt failed."""
        payload = json.dumps(change.as_event()).encode("utf-8")
        retrying = AsyncRetrying(stop=stop_after_attempt(self.attempts), reraise=True,
                                 wait=wait_exponential(multiplier=self.wait, max=10))
        try:
            async for attempt in retrying:
                with attempt:
                    await asyncio.to_thread(_post, self.webhook, payload, self.timeout)
        except Exception as exc:
            logger.error("webhook %s failed after %d attempts: %s", masked_webhook(self.webhook),
                         self.attempts, mask_webhook_text(str(exc), self.webhook))
            return False
        return True

    async def drain(self, timeout: float = 10.0) -> None:
        """Wait (at most ``timeout`` seconds) for posts still under way."""
        if self._pending:
            await asyncio.wait(set(self._pending), timeout=timeout)
