"""The domain availability monitor: probe every domain of a site (DNS, TCP, TLS, HTTP),
classify with ``newscrawl.classify``, keep each domain ``up``/``pending``/``down`` with its
history in the store, alert on changes; the crawler reads what it knows (``down_domains``,
``preferred_domains``)."""

from newscrawl.monitor.config import MonitorConfig
from newscrawl.monitor.history import domain_histories, down_domains, preferred_domains
from newscrawl.monitor.probe import probe_all, probe_domain
from newscrawl.monitor.result import ProbeResult
from newscrawl.monitor.runner import Monitor
from newscrawl.monitor.state import DomainState, Thresholds

__all__ = ["DomainState", "Monitor", "MonitorConfig", "ProbeResult", "Thresholds", "domain_histories",
           "down_domains", "preferred_domains", "probe_all", "probe_domain"]
