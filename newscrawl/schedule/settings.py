"""The scheduler's settings (``NEWSCRAWL_SCHEDULE_*`` in newscrawl/settings.py, ``-s`` to change)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RunnerSettings:
    logs_dir: str = "output/logs"
    lease: float = 30.0
    grace: float = 30.0
    misfire_grace: float = 60.0
    poll: float = 0.5
    alert_after_empty: int = 3
    webhook_attempts: int = 3
    webhook_timeout: float = 5.0

    @classmethod
    def from_settings(cls, settings: Any) -> RunnerSettings:
        """From Scrapy-style settings holding the ``NEWSCRAWL_SCHEDULE_*`` names."""
        def number(name: str) -> float:
            return settings.getfloat("NEWSCRAWL_SCHEDULE_" + name)

        return cls(settings.get("NEWSCRAWL_SCHEDULE_LOGS_DIR"), number("LEASE_SECONDS"), number("STOP_GRACE"),
                   number("MISFIRE_GRACE"), number("POLL_SECONDS"), int(number("ALERT_AFTER_EMPTY")),
                   int(number("WEBHOOK_ATTEMPTS")), number("WEBHOOK_TIMEOUT"))
