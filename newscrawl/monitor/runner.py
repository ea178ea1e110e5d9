"""Probe rounds: probe every domain, judge each result against the domain's state, store the
probes and state changes, alert; ``watch`` repeats rounds until SIGINT or SIGTERM."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Callable, Sequence
from dataclasses import replace

from newscrawl.monitor import records
from newscrawl.monitor.alerts import Notifier, StateChange
from newscrawl.monitor.config import MonitorConfig
from newscrawl.monitor.probe import probe_all
from newscrawl.monitor.result import ProbeResult
from newscrawl.monitor.state import UP, DomainState, advance, is_alert, is_change
from newscrawl.sites import Site
from newscrawl.storage import Store

Key = tuple[str, str]


class Monitor:
    """Watches every domain of ``sites``; its states start from what the store remembers."""

    def __init__(self, sites: Sequence[Site], config: MonitorConfig, store: Store,
                 notifier: Notifier | None = None):
        self.sites, self.config, self.store = list(sites), config, store
        self.notifier = notifier or Notifier(config.webhook)
        self.targets = [(site, origin) for site in self.sites for origin in site.domains]
        self.states: dict[Key, DomainState] = records.load_states(
            store, [(site.name, origin) for site, origin in self.targets])

    def judge(self, results: Sequence[ProbeResult]
              ) -> tuple[list[tuple[ProbeResult, DomainState]], list[StateChange]]:
        """Advance each domain's state with its result; each result gets its status."""
        judged: list[tuple[ProbeResult, DomainState]] = []
        changes: list[StateChange] = []
        for result in results:
            key = (result.site, result.domain)
            before = self.states.get(key, DomainState())
            after = advance(before, result.ok, result.checked_at, self.config.thresholds)
            self.states[key] = after
            judged.append((replace(result, status=after.status), after))
            if is_change(before, after):
                changes.append(StateChange(result.site, result.domain, before.status, after.status,
                                           result.cls, result.checked_at, result.detail))
        return judged, changes

    def record(self, results: Sequence[ProbeResult]) -> list[ProbeResult]:
        """Judge results, store them with the state changes (one transaction), alert."""
        judged, changes = self.judge(results)
        records.save_round(self.store, judged, changes)
        for change in changes:
            if is_alert(change.old, change.new):
                self.notifier.notify(change)
        return [result for result, _ in judged]

    async def round(self) -> list[ProbeResult]:
        """One probe of every domain, recorded."""
        return self.record(await probe_all(self.targets, self.config))


def every_site_up(sites: Sequence[Site], results: Sequence[ProbeResult]) -> bool:
    """True when each site has at least one domain ``up``: the command's exit status 0."""
    up_sites = {r.site for r in results if r.status == UP}
    return all(site.name in up_sites for site in sites)


async def watch(monitor: Monitor, show: Callable[[list[ProbeResult]], None],
                once: bool = False) -> list[ProbeResult]:
    """Run rounds every ``interval`` seconds (one round with ``once``) until SIGINT/SIGTERM;
    a round under way when the signal comes is finished and stored. Returns the last round."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    last: list[ProbeResult] = []
    try:
        while not stop.is_set():
            last = await monitor.round()
            show(last)
            if once:
                break
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=monitor.config.interval)
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)
        await monitor.notifier.drain()
    return last
