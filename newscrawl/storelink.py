"""The crawl's one connection to the store, on one writer thread.

Owned by the store extension (``newscrawl.storeext``), through which the pipeline writes
articles and the spider asks what is already stored,
without blocking Scrapy's event loop on database I/O. A call that fails is tried again with
exponential backoff (tenacity) when the fault is transient: a busy SQLite file at once, a lost
PostgreSQL connection after reconnecting. When retries are exhausted or the fault cannot
mend (disk full), the call raises ``StoreFailed`` and so does every later call: the store is
gone for this crawl (``failed`` holds why).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt, wait_exponential

from newscrawl.secrets import mask_url
from newscrawl.storage.faults import StoreFailed, classify, one_line

if TYPE_CHECKING:
    from newscrawl.storage import Store

T = TypeVar("T")
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetryPolicy:
    """``NEWSCRAWL_STORE_RETRY_TIMES`` retries after the first attempt, waiting
    ``NEWSCRAWL_STORE_RETRY_WAIT`` seconds, doubled each time up to ``..._MAX_WAIT``."""

    times: int = 5
    wait: float = 0.5
    max_wait: float = 8.0

    @classmethod
    def from_settings(cls, settings: Any) -> RetryPolicy:
        return cls(max(0, settings.getint("NEWSCRAWL_STORE_RETRY_TIMES")),
                   settings.getfloat("NEWSCRAWL_STORE_RETRY_WAIT"),
                   settings.getfloat("NEWSCRAWL_STORE_RETRY_MAX_WAIT"))


class StoreLink:
    """Runs every store call on a dedicated thread; ``await link.call(Store.method, ...)``."""

    def __init__(self, url: str, retry: RetryPolicy | None = None):
        self.url = url
        self.retry = retry or RetryPolicy()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newscrawl-store")
        self._store: Store | None = None
        self.run_id: int | None = None
        self.failed: str | None = None
        """Why the store is gone for this crawl (one line), None while it works."""
        self.on_failure: list[Callable[[], None]] = []
        """Called (in the event loop) when a call finds the store gone, whoever made it: the
        pipeline stops the crawl even when a spider's lookup fails first."""

    def _attempt(self, fn: Callable[..., T], args: tuple[Any, ...]) -> T:
        if self._store is None:
            from newscrawl.storage import open_store  # the backend loads only when used

            self._store = open_store(self.url)
        try:
            return fn(self._store, *args)
        except Exception as exc:
            if classify(exc) == "reconnect":  # the connection is lost: the next attempt opens another
                self._disconnect()
            raise

    def _disconnect(self) -> None:
        store, self._store = self._store, None
        if store is not None:
            with contextlib.suppress(Exception):  # closing a lost connection may fail too
                store.close()

    def _log_retry(self, state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        wait = state.next_action.sleep if state.next_action else 0.0
        logger.warning("store call failed (%s), attempt %d of %d; again in %.1f s",
                       one_line(exc) if exc else "?", state.attempt_number, self.retry.times + 1, wait)

    def _on_thread(self, fn: Callable[..., T], args: tuple[Any, ...]) -> T:
        if self.failed is not None:
            raise StoreFailed(self.failed)
        retrying = Retrying(stop=stop_after_attempt(self.retry.times + 1),
                            wait=wait_exponential(multiplier=self.retry.wait, max=self.retry.max_wait),
                            retry=retry_if_exception(lambda exc: classify(exc) != "fatal"),
                            before_sleep=self._log_retry, reraise=True)
        try:
            return retrying(self._attempt, fn, args)
        except Exception as exc:
            tries = f" after {retrying.statistics.get('attempt_number', 1)} attempts" \
                if classify(exc) != "fatal" else ""
            name, why = mask_url(self.url), one_line(exc)
            self.failed = f"{name}: store failed{tries} ({why.removeprefix(name + ': ')})"
            raise StoreFailed(self.failed) from None

    def give_up(self, why: str) -> None:
        """The store is gone for this crawl for a reason the link did not see itself (an
        answer that makes no sense): later calls fail, the failure listeners are told."""
        if self.failed is None:
            self.failed = f"{mask_url(self.url)}: store failed ({why})"
            for listener in self.on_failure:
                listener()

    async def call(self, fn: Callable[..., T], *args: Any) -> T:
        """Run ``fn(store, *args)`` on the store thread (opening the store on first use),
        retried on transient faults; ``StoreFailed`` once the store is gone."""
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._executor, self._on_thread, fn, args)
        except StoreFailed:
            for listener in self.on_failure:
                listener()
            raise

    async def last_try(self, fn: Callable[..., T], *args: Any) -> T:
        """One attempt at ``fn(store, *args)`` even after the store failed (e.g. to finish
        the run row on a full SQLite disk, where an update may still fit)."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._attempt, fn, args)

    def close(self) -> None:
        """Close the store and stop its thread (waits for queued writes)."""
        def _close() -> None:
            store, self._store = self._store, None
            if store is not None:
                try:
                    store.close()
                except Exception as exc:  # a lost connection: nothing left to close, go on
                    logger.warning("closing the store: %s", one_line(exc))
        try:
            self._executor.submit(_close).result()
        finally:
            self._executor.shutdown(wait=True)
