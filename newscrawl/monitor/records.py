"""Write probe rounds to the store and read back where each domain stands."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from newscrawl.monitor.alerts import StateChange
from newscrawl.monitor.result import ProbeResult
from newscrawl.monitor.schema import ensure_schema
from newscrawl.monitor.state import DomainState
from newscrawl.storage.stamps import parse_stamp, stamp

PROBE_COLUMNS = (
    "site", "domain", "checked_at", "failure_class", "status", "failures", "successes",
    "http_status", "title", "final_url", "redirects", "body_size", "addresses", "tls_version",
    "cert_expires", "dns_s", "connect_s", "tls_s", "ttfb_s", "total_s", "detail",
)
INSERT_PROBE = (f"INSERT INTO monitor_probes ({', '.join(PROBE_COLUMNS)}) "
                f"VALUES ({', '.join('?' * len(PROBE_COLUMNS))})")
LATEST = ("SELECT site, domain, status, failures, successes FROM monitor_probes WHERE id IN "
          "(SELECT MAX(id) FROM monitor_probes GROUP BY site, domain)")


def probe_row(result: ProbeResult, state: DomainState) -> tuple[Any, ...]:
    t = result.timings
    return (result.site, result.domain, stamp(result.checked_at), result.cls, state.status,
            state.failures, state.successes, result.http_status, result.title, result.final_url,
            result.redirects, result.body_size, " ".join(result.addresses), result.tls_version,
            stamp(result.cert_expires) if result.cert_expires else None,
            t.get("dns"), t.get("connect"), t.get("tls"), t.get("ttfb"), t.get("total"), result.detail)


def save_round(store: Any, judged: Sequence[tuple[ProbeResult, DomainState]],
               changes: Sequence[StateChange]) -> None:
    """Store a round's probes (with the state each left) and status changes, in one transaction."""
    ensure_schema(store)
    with store.transaction() as cur:
        cur.executemany(store.sql(INSERT_PROBE), [probe_row(r, s) for r, s in judged])
        for change in changes:
            at = stamp(change.at)
            cur.execute(store.sql("UPDATE monitor_incidents SET ended_at = ? "
                                  "WHERE site = ? AND domain = ? AND ended_at IS NULL"),
                        (at, change.site, change.domain))
            cur.execute(store.sql("INSERT INTO monitor_incidents (site, domain, status, previous, "
                                  "failure_class, detail, started_at) VALUES (?, ?, ?, ?, ?, ?, ?)"),
                        (change.site, change.domain, change.new, change.old, change.cls,
                         change.detail, at))


def load_states(store: Any, keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], DomainState]:
    """The state each (site, domain) was left in by its latest stored probe."""
    ensure_schema(store)
    wanted = set(keys)
    with store.read() as cur:
        cur.execute(store.sql(LATEST))
        latest = {(r[0], r[1]): r[2:] for r in cur.fetchall() if (r[0], r[1]) in wanted}
        cur.execute(store.sql("SELECT site, domain, started_at FROM monitor_incidents "
                              "WHERE ended_at IS NULL"))
        since = {(r[0], r[1]): parse_stamp(r[2]) for r in cur.fetchall()}
    return {key: DomainState(status=str(status), failures=int(failures), successes=int(successes),
                             since=since.get(key))
            for key, (status, failures, successes) in latest.items()}
