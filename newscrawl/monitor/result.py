"""What one probe of one domain found, as a plain record that every output format reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

OK = "ok"
TIMING_NAMES = ("dns", "connect", "tls", "ttfb", "total")


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC, to the second; ``None`` stays ``None``."""
    return moment.isoformat(timespec="seconds") if moment is not None else None


@dataclass(frozen=True, kw_only=True)
class ProbeResult:
    """One probe: class (``ok`` when healthy), HTTP and TLS facts, timings in seconds."""

    site: str
    domain: str
    """The origin probed (``https://host[:port]``)."""
    cls: str
    """A failure class of ``newscrawl.classify`` or ``ok``."""
    checked_at: datetime
    status: str = ""
    """``up``, ``pending`` or ``down`` once the probe has been judged with the history."""
    http_status: int | None = None
    title: str = ""
    final_url: str = ""
    redirects: int = 0
    body_size: int = 0
    truncated: bool = False
    """The body went on past the monitor's ``max_body`` (decoded bytes); only its start was read."""
    addresses: tuple[str, ...] = ()
    tls_version: str | None = None
    cert_expires: datetime | None = None
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds per stage: ``dns``, ``connect``, ``tls``, ``ttfb``, ``total`` (absent: not reached)."""
    detail: str = ""
    """The error or the page that decided a failure, in one line."""

    @property
    def ok(self) -> bool:
        return self.cls == OK

    def as_json(self) -> dict[str, Any]:
        """The ``--format json`` object."""
        return {
            "site": self.site, "domain": self.domain, "status": self.status, "class": self.cls,
            "http_status": self.http_status, "title": self.title, "final_url": self.final_url,
            "timings": {name: _rounded(self.timings.get(name)) for name in TIMING_NAMES},
            "cert_expires": iso(self.cert_expires), "checked_at": iso(self.checked_at),
            "redirects": self.redirects, "body_size": self.body_size,
            "body_truncated": self.truncated,
            "addresses": list(self.addresses), "tls_version": self.tls_version,
            "detail": self.detail,
        }


def _rounded(value: float | None) -> float | None:
    return round(value, 4) if value is not None else None
