"""``NEWSCRAWL_FAILOVER_*`` settings, read once into one config (like scrapy-playwright's)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scrapy.exceptions import NotConfigured

from newscrawl.classify import FAILURE_CLASSES


@dataclass(frozen=True)
class FailoverConfig:
    """How failover behaves; see settings.py for each default and why."""

    threshold: int
    cooldown: float
    timeout: float
    instant_classes: frozenset[str]
    use_monitor: bool
    monitor_max_age: float
    hedge: bool
    hedge_initial: float
    hedge_min: float
    hedge_max: float

    @classmethod
    def from_settings(cls, settings: Any) -> FailoverConfig:
        if not settings.getbool("NEWSCRAWL_FAILOVER_ENABLED"):
            raise NotConfigured("NEWSCRAWL_FAILOVER_ENABLED is off")
        instant = frozenset(settings.getlist("NEWSCRAWL_FAILOVER_INSTANT_CLASSES"))
        unknown = sorted(instant - set(FAILURE_CLASSES))
        if unknown:
            raise ValueError(f"NEWSCRAWL_FAILOVER_*_CLASSES: unknown failure class {unknown[0]!r} "
                             f"(known: {', '.join(FAILURE_CLASSES)})")
        config = cls(
            threshold=settings.getint("NEWSCRAWL_FAILOVER_THRESHOLD"),
            cooldown=settings.getfloat("NEWSCRAWL_FAILOVER_COOLDOWN"),
            timeout=settings.getfloat("NEWSCRAWL_FAILOVER_TIMEOUT"),
            instant_classes=instant,
            use_monitor=settings.getbool("NEWSCRAWL_FAILOVER_USE_MONITOR"),
            monitor_max_age=settings.getfloat("NEWSCRAWL_FAILOVER_MONITOR_MAX_AGE"),
            hedge=settings.getbool("NEWSCRAWL_FAILOVER_HEDGE"),
            hedge_initial=settings.getfloat("NEWSCRAWL_FAILOVER_HEDGE_INITIAL"),
            hedge_min=settings.getfloat("NEWSCRAWL_FAILOVER_HEDGE_MIN"),
            hedge_max=settings.getfloat("NEWSCRAWL_FAILOVER_HEDGE_MAX"),
        )
        if config.threshold < 1 or config.timeout <= 0 or config.cooldown < 0:
            raise ValueError("NEWSCRAWL_FAILOVER_THRESHOLD must be >= 1, "
                             "NEWSCRAWL_FAILOVER_TIMEOUT > 0 and NEWSCRAWL_FAILOVER_COOLDOWN >= 0")
        return config
