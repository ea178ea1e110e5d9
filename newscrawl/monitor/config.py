"""The monitor's options in one record, with the defaults the ``monitor`` command uses."""

from __future__ import annotations

import ssl
from dataclasses import dataclass, field

from newscrawl import settings
from newscrawl.monitor.state import Thresholds
from newscrawl.monitor.webhooks import check_webhook

DEFAULT_STORE = "sqlite:///output/newscrawl.db"


@dataclass(frozen=True, kw_only=True)
class MonitorConfig:
    """How to probe, how to judge, where to record and whom to tell."""

    timeout: float = 10.0
    """Seconds one probe of one domain may take, retries included."""
    thresholds: Thresholds = field(default_factory=Thresholds)
    """Consecutive failures to ``down`` (N) and successes back to ``up`` (M)."""
    attempts: int = 2
    """Attempts per page within one probe (transient network errors and 5xx are retried)."""
    retry_wait: float = 0.25
    """First wait between attempts, in seconds; doubles each time (tenacity exponential)."""
    interval: float = 60.0
    """Seconds between probe rounds with ``--watch``."""
    webhook: str = ""
    """URL that receives a JSON POST on every state change; empty: none."""
    store: str = DEFAULT_STORE
    """Store URL (the crawler's store)."""
    pins: dict[str, str] = field(default_factory=dict)
    """``--resolve`` pins: host -> address."""
    ca_file: str | None = None
    """Extra CA bundle trusted for TLS, besides the system's trust store."""
    concurrency: int = 100
    """Probes running at once."""
    max_body: int = settings.NEWSCRAWL_MONITOR_MAX_BODY
    """Bytes of body kept per response, counted after gzip/deflate decoding (``--max-body``)."""

    def __post_init__(self) -> None:
        if self.timeout <= 0 or self.interval <= 0:
            raise ValueError("--timeout and --interval must be positive numbers of seconds")
        if self.attempts < 1 or self.concurrency < 1:
            raise ValueError("attempts and concurrency must be at least 1")
        check_webhook(self.webhook)
        if self.max_body < 1:
            raise ValueError(f"--max-body {self.max_body}: must be a positive number of bytes")

    def tls_context(self) -> ssl.SSLContext:
        """System trust (plus ``ca_file``), certificate and host name verified."""
        context = ssl.create_default_context()
        if self.ca_file:
            context.load_verify_locations(cafile=self.ca_file)
        return context
