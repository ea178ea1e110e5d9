"""The scheduler's loop: turns become claims, claims become runs (behind the job's lease),
runs are watched (lease renewed, timeout, exit) and recorded; SIGTERM/SIGINT stops it all.

One thread does it all: it waits until the next turn, jitter start or check of the running
children, so 100 idle jobs cost nothing between their turns.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
import time
from typing import Any

from newscrawl.schedule.active import ActiveRun, Ending
from newscrawl.schedule.alerts import Alerts
from newscrawl.schedule.child import Child, crawl_command, log_path
from newscrawl.schedule.config import JobSpec, ScheduleConfig
from newscrawl.schedule.history import History
from newscrawl.schedule.lease import Leases, new_owner
from newscrawl.schedule.schema import utcnow
from newscrawl.schedule.settings import RunnerSettings
from newscrawl.schedule.turns import TurnKeeper
from newscrawl.schedule.waits import Waits
from newscrawl.secrets import mask_text
from newscrawl.storage import StoreError, open_store

logger = logging.getLogger("newscrawl.schedule")


class Runner:
    def __init__(self, config: ScheduleConfig, store: Any, store_url: str, settings: RunnerSettings):
        self.config, self.store, self.store_url, self.settings = config, store, store_url, settings
        self.owner = new_owner()
        self.history = History(store, self.owner)
        self.leases = Leases(store, self.owner, settings.lease)
        self.alerts = Alerts(settings.webhook_attempts, settings.webhook_timeout)
        self.active: dict[str, ActiveRun] = {}
        self.waits = Waits()
        self.stopping = threading.Event()
        self._reaped = 0.0
        self.turns = TurnKeeper(config.jobs, self.history, self.waits, settings.misfire_grace)

    # --- runs ----------------------------------------------------------------------------
    def start_run(self, job: JobSpec, run_id: int) -> bool:
        """Take the job's lease and start its child; a held lease makes the run ``skipped``."""
        if job.name in self.active:
            self.history.skipped(run_id, f"run {self.active[job.name].run_id} of this scheduler "
                                         "is still going")
            return False
        holder = self.leases.acquire(job.name, run_id)
        if holder is not None:
            logger.info("%s: run %d skipped: %s", job.name, run_id, holder.describe())
            self.history.skipped(run_id, holder.describe())
            return False
        self._reap()  # a lapsed lease just taken over: its run is marked failed now
        started = utcnow()
        log = log_path(self.settings.logs_dir, job.name, started)
        try:
            child = Child(crawl_command(job, self.store_url, run_id), log)
        except OSError as exc:
            self.history.ended(run_id, "failed", f"cannot start: {exc}", None, {}, None)
            self.leases.release(job.name)
            return False
        self.history.started(run_id, str(log))
        self.active[job.name] = ActiveRun(job, run_id, child, started)
        logger.info("%s: run %d started (pid %d), log %s", job.name, run_id, child.process.pid, log)
        return True

    def _renew(self, run: ActiveRun) -> None:
        try:
            ours = self.leases.renew(run.job.name)
        except Exception:  # the store is unreachable: the lease lapses unless renewed soon
            if time.monotonic() - run.renewed > self.settings.lease * 0.8:
                run.stop("failed", "its lease could not be renewed (store unreachable)")
            raise  # the pass fails: the store is reopened (safe_pass)
        if not ours:
            run.stop("failed", "its lease was lost (taken by another scheduler)")
        run.renewed = time.monotonic()

    def _check_runs(self) -> None:
        for name, run in list(self.active.items()):
            code = run.child.poll()
            if code is not None:
                self._record(run, run.ending(code, self.store, self.store_url))
                del self.active[name]  # once recorded: a store failure retries on the next pass
                continue
            if run.timed_out():
                run.stop("timeout", f"still running after the timeout of {run.job.timeout:g}s")
            if run.child.kill_if_overdue(self.settings.grace):
                logger.warning("%s: run %d killed %gs after SIGTERM", name, run.run_id, self.settings.grace)
            if time.monotonic() - run.renewed >= self.settings.lease / 3:
                self._renew(run)

    def _record(self, run: ActiveRun, ending: Ending) -> None:
        job = run.job
        self.history.ended(run.run_id, ending.outcome, ending.reason, ending.exit_code, ending.counts,
                           ending.crawl_run_id)
        self.leases.release(job.name)
        logger.info("%s: run %d %s (exit %s) %s", job.name, run.run_id, ending.outcome, ending.exit_code,
                    ending.reason)
        webhook = job.webhook
        if ending.outcome in ("failed", "timeout"):
            self.alerts.send(webhook, run.event(ending))
        threshold = job.alert_after_empty
        threshold = self.settings.alert_after_empty if threshold is None else threshold
        if ending.outcome == "finished" and not job.monitor and threshold \
                and self.history.empty_streak(job.name) == threshold:
            self.alerts.send(webhook, {**run.event(ending), "event": "schedule_runs_empty",
                                       "empty_runs": threshold})

    # --- the loop ------------------------------------------------------------------------
    def _on_signal(self, signum: int, frame: Any) -> None:
        if self.stopping.is_set():  # a second signal: no more grace
            logger.warning("%s again: killing the runs under way", signal.Signals(signum).name)
            for run in self.active.values():
                run.child.process.kill()
            return
        logger.warning("%s: stopping (runs under way get SIGTERM)", signal.Signals(signum).name)
        self.stopping.set()

    def _reap(self) -> None:
        """Mark failed the runs of schedulers that died (their leases lapsed)."""
        self._reaped = time.monotonic()
        reaped = self.history.reap(self.leases.live(), self.settings.lease)
        if reaped:
            logger.warning("%d runs left unfinished by a scheduler that died marked failed", reaped)

    def serve(self) -> int:
        """Run until SIGTERM or SIGINT."""
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, self._on_signal)
        self._reap()
        self.waits.start(self.config.jobs, self.history, utcnow())
        self.turns.check()  # catch-up first: turns missed while no scheduler ran
        upcoming = min(((turn, name) for name, turn in self.waits.next_turn.items() if turn), default=None)
        logger.info("scheduler %s ready: %d jobs, next turn %s", self.owner, len(self.config.jobs),
                    f"{upcoming[1]} at {upcoming[0]}" if upcoming else "none")
        while not self.stopping.is_set():
            if not self.safe_pass():
                self.stopping.wait(min(5.0, self.settings.lease / 3))
                continue
            self.stopping.wait(self.waits.seconds_to_wake(utcnow(), bool(self.active), self.settings.poll))
        self.shutdown("the scheduler stopped")
        return 0

    def safe_pass(self) -> bool:
        """One pass; when it fails (the store is down, a disk is full) say so, reopen the
        store and return False: the scheduler keeps going and tries again."""
        try:
            self._pass()
            return True
        except Exception as exc:
            logger.error("scheduler pass failed, retrying: %s", mask_text(str(exc)).splitlines()[0])
        try:
            store = open_store(self.store_url)
        except StoreError as exc:
            logger.error("cannot reopen the store: %s", exc)
            return False
        with contextlib.suppress(Exception):
            self.store.close()
        self.store = self.history.store = self.leases.store = store
        return False

    def close(self) -> None:
        self.store.close()

    def _pass(self) -> None:
        """Turns due, planned runs due, runs under way, runs of dead schedulers."""
        self.turns.check()
        for name, run_id in self.waits.due(time.monotonic()):
            self.start_run(self.config.jobs[name], run_id)
        self._check_runs()
        if time.monotonic() - self._reaped >= self.settings.lease:
            self._reap()

    def run_now(self, job: JobSpec) -> int:
        """One run of ``job`` now, through its lease: 0 when it finished, else 1."""
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, self._on_signal)
        run_id = self.history.manual(job.name, job.site)
        try:
            if not self.start_run(job, run_id):
                return 1
            while self.active and not self.stopping.is_set():
                self._check_runs()
                self.stopping.wait(self.settings.poll)
        finally:
            self.shutdown("stopped by a signal")
        return 0 if self.history.outcome(run_id) == "finished" else 1

    def shutdown(self, reason: str) -> None:
        """SIGTERM every child, SIGKILL those still there after the grace; record them all."""
        for name, run_id in self.waits.drop_all():
            self.history.skipped(run_id, f"{reason} before its start")
            logger.info("%s: run %d not started: %s", name, run_id, reason)
        for run in self.active.values():
            run.stop("stopped", f"{reason}; the next run resumes the job")
        while self.active:
            self._check_runs()
            if self.active:
                time.sleep(min(0.1, self.settings.poll))  # children exiting: no event to wait on
        self.alerts.close()
