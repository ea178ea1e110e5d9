"""Inside an extraction worker process: die with the crawler, keep each page to its deadline.

``serve(tasks, results, crawler_pid)`` is the worker's life: ``init``, then one call after
another read from the ``tasks`` pipe, each answered on the ``results`` pipe in the order
asked (frames: an 8-byte length, then a pickle of ``(function, args)`` or of ``(ok,
value)``); it returns when the crawler closes ``tasks``.

``init(crawler_pid)`` runs once in each worker; Ctrl-C (SIGINT) is left to the crawler, which
stops gracefully and lets the worker finish the pages it holds. The worker's parent is the
forkserver, not the crawler, so it watches the crawler itself (a pidfd on Linux 5.3+, else a
check each second) and kills itself when the crawler is gone, however it went (SIGKILL included); the kernel
kills it too when the forkserver dies (``PR_SET_PDEATHSIG``). The forkserver and the resource
tracker exit on their own once the last worker holding their pipes is gone.

``extract(html, url, site, timeout)`` parses one page within ``timeout`` seconds and returns
the article with its body's fingerprints (``dedup.content.body_print``: computed here, not on the
crawler's busy thread when the store compares it); the layers
check the deadline between them and SIGALRM stops the one running (``extract.layers``); a page
stuck in C code, where no Python handler runs, is ended by the kernel (SIGPROF, default
action) after ``timeout + HARD_GRACE`` seconds of CPU: the pool sees the worker die.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import pickle
import select
import signal
import struct
import sys
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from newscrawl.dedup.content import BodyPrint, body_print
from newscrawl.extract import parse_article
from newscrawl.extract.layers import interrupt
from newscrawl.items import Article
from newscrawl.sites.model import Site

PR_SET_PDEATHSIG = 1
HARD_GRACE = 10.0  # seconds of CPU past the deadline before the kernel ends a stuck worker
POLL_SECONDS = 1.0  # where no pidfd exists: how often the crawler is looked for
FRAME = struct.Struct("!Q")
"""The length that opens each message on the pipes between the crawler and a worker."""


def serve(tasks: Connection, results: Connection, crawler_pid: int) -> None:
    """The worker process: answer each call read from ``tasks`` on ``results``, until the
    crawler closes ``tasks``. An exception of the call is the answer (``(False, error)``)."""
    init(crawler_pid)
    inbox, outbox = tasks.fileno(), results.fileno()
    while (message := _read_frame(inbox)) is not None:
        try:
            function: Callable[..., Any]
            function, args = pickle.loads(message)
            reply: tuple[bool, Any] = (True, function(*args))
        except Exception as exc:  # the crawler raises it where the page was asked for
            reply = (False, exc)
        try:
            data = pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # an answer that cannot be pickled is an error, not a dead worker
            data = pickle.dumps((False, RuntimeError(f"unpicklable answer: {type(exc).__name__}: {exc}")))
        try:
            _write_all(outbox, FRAME.pack(len(data)) + data)
        except OSError:  # the crawler closed the pool meanwhile: nobody waits for the answer
            return


def _read_frame(fd: int) -> bytes | None:
    """One whole message, or None at the end of the pipe."""
    header = _read_exactly(fd, FRAME.size)
    return None if header is None else _read_exactly(fd, FRAME.unpack(header)[0])


def _read_exactly(fd: int, size: int) -> bytes | None:
    chunks, left = [], size
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def init(crawler_pid: int) -> None:
    """Set up a fresh worker process (the pool's initializer)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    threading.Thread(target=_watch, args=(crawler_pid,), name="newscrawl-crawler-watch", daemon=True).start()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the crawler's: it finishes the pages held
    signal.signal(signal.SIGALRM, interrupt)
    signal.signal(signal.SIGPROF, signal.SIG_DFL)


def _watch(crawler_pid: int) -> None:
    """Return only to kill this process, when the crawler has ended."""
    try:
        pidfd = os.pidfd_open(crawler_pid)
    except ProcessLookupError:
        pidfd = -1  # gone already
    except (AttributeError, OSError):  # no pidfd here: look for the crawler now and then
        while _alive(crawler_pid):
            time.sleep(POLL_SECONDS)
        pidfd = -1
    if pidfd >= 0:
        select.select([pidfd], [], [])  # readable when the process has ended
    os.kill(os.getpid(), signal.SIGKILL)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def extract(html: bytes, url: str, site: Site | None, timeout: float,
            encoding: str | None = None) -> tuple[Article, BodyPrint]:
    """``parse_article`` of one page (``encoding``: its header's charset), with its deadline
    when ``timeout`` > 0, and its body's fingerprints."""
    article = _parsed(html, url, site, timeout, encoding)
    return article, body_print(article.body)


def _parsed(html: bytes, url: str, site: Site | None, timeout: float, encoding: str | None) -> Article:
    if timeout <= 0:
        return parse_article(html, url, site, encoding=encoding)
    signal.setitimer(signal.ITIMER_PROF, timeout + HARD_GRACE)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        return parse_article(html, url, site, deadline=time.monotonic() + timeout, encoding=encoding)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.setitimer(signal.ITIMER_PROF, 0)
