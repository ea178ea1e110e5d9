"""Print probe results: ``table`` for people, ``json`` (one object per line), ``prometheus``
(text exposition format by prometheus_client, blackbox_exporter's metric names where they fit)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

from newscrawl.monitor.prometheus import exposition, gauge
from newscrawl.monitor.result import ProbeResult
from newscrawl.monitor.state import STATUSES
from newscrawl.monitor.text import printable, printable_values

TABLE_COLUMNS = ("SITE", "DOMAIN", "STATUS", "CLASS", "HTTP", "TTFB", "TOTAL", "CERT EXPIRES", "TITLE")


def _seconds(value: float | None) -> str:
    return f"{value:.3f}s" if value is not None else "-"


def format_table(results: Sequence[ProbeResult]) -> str:
    """Aligned columns, one row per domain (text from the pages shown with escapes)."""
    rows = [TABLE_COLUMNS] + [tuple(printable(cell) for cell in (
        r.site, r.domain, r.status or "-", r.cls, str(r.http_status or "-"),
        _seconds(r.timings.get("ttfb")), _seconds(r.timings.get("total")),
        r.cert_expires.date().isoformat() if r.cert_expires else "-", r.title[:50] or "-"))
        for r in results
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(TABLE_COLUMNS))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
                     for row in rows)


def format_json(results: Sequence[ProbeResult]) -> str:
    """One JSON object per line (JSON lines), one line per domain; strings as ``printable``
    shows them, so that a terminal showing the lines is safe too."""
    return "\n".join(json.dumps(printable_values(r.as_json()), ensure_ascii=False) for r in results)


METRICS: tuple[tuple[str, str, Callable[[ProbeResult], float | None]], ...] = (
    ("probe_success", "Whether the domain answered as the site (class ok)",
     lambda r: 1.0 if r.ok else 0.0),
    ("probe_duration_seconds", "How long the probe took",
     lambda r: r.timings.get("total")),
    ("probe_dns_lookup_time_seconds", "How long DNS resolution took",
     lambda r: r.timings.get("dns")),
    ("probe_http_status_code", "HTTP status of the last response (0: none)",
     lambda r: float(r.http_status or 0)),
    ("probe_ssl_earliest_cert_expiry", "Expiry of the certificate, unix time",
     lambda r: r.cert_expires.timestamp() if r.cert_expires else None),
)


def format_prometheus(results: Sequence[ProbeResult]) -> str:
    """The text exposition format, labelled by site and domain."""
    families = [gauge(name, help_text, ("site", "domain"),
                      (({"site": r.site, "domain": r.domain}, value) for r in results
                       if (value := value_of(r)) is not None))
                for name, help_text, value_of in METRICS]
    families.append(gauge(
        "newscrawl_domain_status", "Status of the domain (1 for the current one)",
        ("site", "domain", "status"),
        (({"site": r.site, "domain": r.domain, "status": status}, float(r.status == status))
         for r in results for status in STATUSES)))
    return exposition(families)


FORMATS: dict[str, Callable[[Sequence[ProbeResult]], str]] = {
    "table": format_table, "json": format_json, "prometheus": format_prometheus,
}
