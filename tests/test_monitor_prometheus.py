"""``--format prometheus`` (probe results and ``--history``) is the text exposition format as
Prometheus' own parser reads it: names, types, labels (quotes, backslashes,
non-ASCII and terminal escapes included) and values."""

from __future__ import annotations

from datetime import UTC, datetime

from prometheus_client.parser import text_string_to_metric_families

from newscrawl.monitor.formats import METRICS, format_prometheus
from newscrawl.monitor.history import DomainHistory
from newscrawl.monitor.historytext import history_prometheus
from newscrawl.monitor.result import ProbeResult
from newscrawl.monitor.state import STATUSES

AT = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
ODD_SITE = 'news "quoted" \\ backslash'
IDN = "https://пример.испытание"


def parsed(text: str) -> dict[str, tuple[str, str, dict[tuple[tuple[str, str], ...], float]]]:
    """Each family by name: type, help, and its samples by their sorted labels."""
    return {family.name: (family.type, family.documentation,
                          {tuple(sorted(s.labels.items())): s.value for s in family.samples})
            for family in text_string_to_metric_families(text + "\n")}


def labels(**values: str) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(values.items()))


def test_probe_results_parse_with_every_label_and_value() -> None:
    up = ProbeResult(site=ODD_SITE, domain=IDN, cls="ok", checked_at=AT, status="up", http_status=200,
                     timings={"dns": 0.0125, "total": 0.25}, cert_expires=datetime(2027, 1, 1, tzinfo=UTC))
    down = ProbeResult(site="presstv", domain="http://www.presstv.ir", cls="tcp_refused", checked_at=AT,
                       status="down")
    families = parsed(format_prometheus([up, down]))
    assert set(families) == {name for name, _, _ in METRICS} | {"newscrawl_domain_status"}
    assert {kind for kind, _, _ in families.values()} == {"gauge"}
    odd, ir = labels(site=ODD_SITE, domain=IDN), labels(site="presstv", domain="http://www.presstv.ir")
    assert families["probe_success"][2] == {odd: 1.0, ir: 0.0}
    assert families["probe_http_status_code"][2] == {odd: 200.0, ir: 0.0}
    assert families["probe_dns_lookup_time_seconds"][2] == {odd: 0.0125}  # not reached: no sample
    assert families["probe_duration_seconds"][2] == {odd: 0.25}
    expiry = datetime(2027, 1, 1, tzinfo=UTC).timestamp()
    assert families["probe_ssl_earliest_cert_expiry"][2] == {odd: expiry}
    statuses = families["newscrawl_domain_status"][2]
    assert statuses == {
        **{labels(site=ODD_SITE, domain=IDN, status=s): float(s == "up") for s in STATUSES},
        **{labels(site="presstv", domain=down.domain, status=s): float(s == "down") for s in STATUSES},
    }
    assert families["newscrawl_domain_status"][1] == "Status of the domain (1 for the current one)"


def test_no_results_still_describe_every_metric() -> None:
    families = parsed(format_prometheus([]))
    assert len(families) == len(METRICS) + 1 and all(not samples for _, _, samples in families.values())


def test_terminal_escapes_in_a_label_stay_escaped() -> None:
    result = ProbeResult(site="presstv", domain="http://x\x1b]0;owned\x07", cls="ok", checked_at=AT)
    text = format_prometheus([result])
    assert "\x1b" not in text and "\x07" not in text
    (label,) = parsed(text)["probe_success"][2]
    assert dict(label)["domain"] == "http://x\\x1b]0;owned\\x07"


def test_history_uptime_parses_with_non_ascii_and_quoted_labels() -> None:
    histories = [DomainHistory(site=ODD_SITE, domain=IDN, probes=4, ok_probes=3),
                 DomainHistory(site="presstv", domain="http://www.presstv.ir")]  # never probed: no sample
    families = parsed(history_prometheus(histories))
    assert families == {"newscrawl_domain_uptime_ratio": (
        "gauge", "Share of successful probes over the window.", {labels(site=ODD_SITE, domain=IDN): 0.75})}
