"""Prometheus' text exposition format, written by ``prometheus_client`` (escaping, number
format): the monitor's gauges are built per call into a registry of their own, so nothing
global is kept between rounds. Label values go through ``printable`` first (a label may come
from a probed page, like everything the monitor prints)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from newscrawl.monitor.text import printable

Sample = tuple[Mapping[str, str], float]
"""One sample: its label values by label name, and its value."""


def gauge(name: str, documentation: str, labels: Sequence[str], samples: Iterable[Sample]) -> Metric:
    """A gauge family named ``name`` with one sample per ``(label values, value)``."""
    family = GaugeMetricFamily(name, documentation, labels=labels)
    for values, value in samples:
        family.add_metric([printable(values[label]) for label in labels], value)
    return family


class _Families(Collector):
    def __init__(self, families: Iterable[Metric]) -> None:
        self._families = list(families)

    def collect(self) -> Iterator[Metric]:
        return iter(self._families)


def exposition(families: Iterable[Metric]) -> str:
    """The families in the text format (no final newline: the caller prints it)."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Families(families))
    return generate_latest(registry).decode("utf-8").rstrip("\n")
