"""The monitor's tables, registered with the store's migrations as component ``monitor``.

- ``monitor_probes``: one row per probe of one domain: when, the failure class (``ok`` when
  healthy), the status it left the domain in (``up``/``pending``/``down``) with the streaks
  of failures and successes, HTTP and TLS facts, and the timings of each stage in seconds.
- ``monitor_incidents``: one row per status change of a domain: the new status and the one
  before, the class of the probe that caused it, ``started_at`` and, once the domain changed
  again, ``ended_at`` (empty while it lasts).

Times are ISO 8601 UTC text with microseconds, like the core tables' times.
"""

from __future__ import annotations

from typing import Any

from newscrawl.storage import register
from newscrawl.storage.schema import Migration
from newscrawl.storage.stamps import ensure_component

COMPONENT = "monitor"

MIGRATIONS: list[Migration] = [
    # 1: probes and incidents
    [
        """CREATE TABLE IF NOT EXISTS monitor_probes (
            id {id}, site TEXT NOT NULL, domain TEXT NOT NULL, checked_at TEXT NOT NULL,
            failure_class TEXT NOT NULL, status TEXT NOT NULL,
            failures INTEGER NOT NULL, successes INTEGER NOT NULL,
            http_status INTEGER, title TEXT NOT NULL DEFAULT '', final_url TEXT NOT NULL DEFAULT '',
            redirects INTEGER NOT NULL DEFAULT 0, body_size INTEGER NOT NULL DEFAULT 0,
            addresses TEXT NOT NULL DEFAULT '', tls_version TEXT, cert_expires TEXT,
            dns_s DOUBLE PRECISION, connect_s DOUBLE PRECISION, tls_s DOUBLE PRECISION,
            ttfb_s DOUBLE PRECISION, total_s DOUBLE PRECISION, detail TEXT NOT NULL DEFAULT '')""",
        "CREATE INDEX IF NOT EXISTS monitor_probes_domain ON monitor_probes (site, domain, checked_at)",
        """CREATE TABLE IF NOT EXISTS monitor_incidents (
            id {id}, site TEXT NOT NULL, domain TEXT NOT NULL, status TEXT NOT NULL,
            previous TEXT NOT NULL DEFAULT '', failure_class TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT '', started_at TEXT NOT NULL, ended_at TEXT)""",
        "CREATE INDEX IF NOT EXISTS monitor_incidents_domain ON monitor_incidents (site, domain, started_at)",
    ],
]

register(COMPONENT, MIGRATIONS)


def ensure_schema(store: Any) -> None:
    """Apply the monitor's migrations to a store opened before this module was imported."""
    ensure_component(store, COMPONENT, len(MIGRATIONS))
