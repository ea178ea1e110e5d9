"""What failover tells people: one log line per domain state change, and per-domain stats
(requests, successes, failures by class, final state) for the end-of-crawl summary."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from newscrawl.failover.breaker import CircuitBreaker, State, Transition

logger = logging.getLogger("newscrawl.failover.middleware")


def host(origin: str) -> str:
    return urlsplit(origin).netloc


def log_transition(breaker: CircuitBreaker, stats: Any, transition: Transition) -> None:
    """``www.presstv.ir: open (tcp_timeout x3) -> failing over to www.presstv.co.uk``."""
    name = host(transition.origin)
    stats.inc_value(f"failover/transitions/{transition.new}")
    if transition.new is State.OPEN:
        nxt = breaker.healthy(exclude=[transition.origin])
        where = f"failing over to {host(nxt)}" if nxt else "no healthy domain left"
        logger.warning("%s: open (%s x%d) -> %s", name, transition.failure_class, transition.streak, where)
    elif transition.new is State.HALF_OPEN:
        logger.info("%s: half-open (cool-down over) -> probing with one request", name)
    else:
        logger.warning("%s: closed (probe succeeded) -> back in use", name)


def write_domain_stats(breaker: CircuitBreaker, stats: Any) -> None:
    """``failover/domain/<host>/{requests,successes,state,failures/<class>}``."""
    for origin, health in breaker.domains.items():
        prefix = f"failover/domain/{host(origin)}"
        stats.set_value(f"{prefix}/requests", health.requests)
        stats.set_value(f"{prefix}/successes", health.successes)
        stats.set_value(f"{prefix}/state", str(health.state))
        for result, count in health.failures.items():
            stats.set_value(f"{prefix}/failures/{result}", count)
