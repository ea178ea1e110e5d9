"""Times as the store keeps them, and a component's late migration, shared by the monitor's
and the scheduler's tables."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any


def stamp(moment: datetime) -> str:
    """A time as stored: ISO 8601, UTC, microseconds (text order is time order)."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def parse_stamp(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def ensure_component(store: Any, component: str, migrations: int) -> None:
    """Apply ``component``'s migrations to a store opened before its module was imported."""
    if store.schema_version(component) < migrations:
        store.migrate()
