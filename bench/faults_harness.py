"""What bench/faults.py runs each fault with: the mock site served on its four domains, the
real CLI crawling it in a child process measured with ``wait4`` (peak RSS of the crawl and of
every process it waited for), the articles found in the store, the JSON lines and the spool,
and a throw-away PostgreSQL server that can be stopped and started mid-crawl."""

from __future__ import annotations

import json
import os
import pwd
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from newscrawl import settings as defaults
from newscrawl.testing.mocksite import MockServer, MockSite

HOSTS = ("www.presstv.ir", "www.presstv.co.uk", "www.presstv.tv", "www.presstv.com")
FAST = ("-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "-s", "NEWSCRAWL_FAILOVER_HEDGE_INITIAL=0.5",
        "-s", "NEWSCRAWL_FAILOVER_TIMEOUT=3", "-L", "WARNING")
ENV = {**os.environ, "PYTHONWARNINGS": "ignore"}


@dataclass
class Run:
    """One crawl process: exit status (negative: killed by that signal), peak RSS, time."""

    returncode: int
    peak_mib: float
    seconds: float
    timed_out: bool
    log: str


class Workspace:
    """One fault: the served mock, a sites file, a store, one JSON lines file per crawl."""

    def __init__(self, site: MockSite, server: MockServer, tmp: Path, store: str | None = None) -> None:
        self.site, self.server, self.tmp = site, server, tmp
        self.sites_file = tmp / "sites.toml"
        domains = ", ".join(f'"{origin}"' for origin in server.origins)
        self.sites_file.write_text(f"[sites.presstv]\ndomains = [{domains}]\n", encoding="utf-8")
        self.store = store or f"sqlite:///{tmp / 'store.db'}"
        self.spool = tmp / "spool"
        self.runs: list[Run] = []
        self.started: dict[int, float] = {}

    def command(self, *args: str, output: Path | None = None) -> list[str]:
        output = output or self.tmp / f"run{len(self.runs) + 1}.jsonl"
        spool = ("-s", f"NEWSCRAWL_STORE_SPOOL_DIR={self.spool}") \
            if hasattr(defaults, "NEWSCRAWL_STORE_SPOOL_DIR") else ()
        command = [sys.executable, "-m", "newscrawl.cli", "crawl", "presstv", "--sites", str(self.sites_file),
                   "--store", self.store, "-o", str(output), *FAST, *spool, *args]
        for pin in self.server.pins():
            command += ["--resolve", pin]
        return command

    def start(self, *args: str, wrap: tuple[str, ...] = (),
              output: Path | None = None) -> subprocess.Popen[bytes]:
        log = (self.tmp / f"run{len(self.runs) + 1}.log").open("wb")
        with log:
            process = subprocess.Popen([*wrap, *self.command(*args, output=output)], stdout=log,
                                       stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=ENV,
                                       cwd=self.tmp)
        self.started[process.pid] = time.monotonic()
        return process

    def finish(self, process: subprocess.Popen[bytes], timeout: float) -> Run:
        """Wait for ``process`` (killed after ``timeout`` seconds); record its run."""
        started, expired = self.started.get(process.pid, time.monotonic()), threading.Event()

        def expire() -> None:
            expired.set()
            process.kill()

        watchdog = threading.Timer(max(0.0, started + timeout - time.monotonic()), expire)
        watchdog.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            watchdog.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
        log = (self.tmp / f"run{len(self.runs) + 1}.log").read_text(encoding="utf-8", errors="replace")
        run = Run(process.returncode, usage.ru_maxrss / 1024, time.monotonic() - started,
                  expired.is_set(), log)
        self.runs.append(run)
        return run

    def held_or_ended(self, process: subprocess.Popen[bytes], timeout: float) -> bool:
        """True once the mock holds a request of the crawl, False once the crawl has ended
        (it stays unreaped, for ``finish``)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                self.server.wait_held(1, timeout=1.0)
                return True
            except TimeoutError:
                if os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None:
                    return False
        return False

    def wait_stored(self, count: int, timeout: float) -> int:
        """Look at the store every 0.2 s until it holds ``count`` articles (a bench may poll;
        a test may not); how many it holds."""
        deadline = time.monotonic() + timeout
        while len(found := self.stored()) < count and time.monotonic() < deadline:
            time.sleep(0.2)
        return len(found)

    def crawl(self, *args: str, timeout: float, wrap: tuple[str, ...] = (),
              output: Path | None = None) -> Run:
        return self.finish(self.start(*args, wrap=wrap, output=output), timeout)

    def expected(self) -> set[str]:
        return {record.path for record in self.site.manifest}

    def fetched(self) -> set[str]:
        """Paths of the articles the mock served (the site's page, not a fault's)."""
        keys = (self.site.lookup(r.path) for r in self.server.requests if r.mode in ("ok", "slow"))
        return {key for key in keys if key is not None}

    def stored(self) -> set[str]:
        """Paths of the articles in the store (empty when it cannot be read)."""
        try:
            if self.store.startswith("postgresql://"):
                import psycopg

                with psycopg.connect(self.store, connect_timeout=10) as connection:
                    rows: list[Any] = connection.execute("SELECT url FROM articles").fetchall()
            else:
                with sqlite3.connect(self.store.removeprefix("sqlite:///"), timeout=10) as connection:
                    rows = connection.execute("SELECT url FROM articles").fetchall()
        except Exception:  # a store that does not open holds nothing
            return set()
        return {urlsplit(url).path for (url,) in rows}

    def written(self) -> set[str]:
        """Paths of the articles in every crawl's JSON lines."""
        return {urlsplit(item["url"]).path for path in sorted(self.tmp.glob("*.jsonl"))
                for item in _lines(path) if "url" in item}

    def spooled(self) -> set[str]:
        """Paths of the articles waiting in the spool (not imported yet)."""
        return {urlsplit(line["article"]["url"]).path for path in sorted(self.spool.glob("*.jsonl"))
                for line in _lines(path) if "article" in line}


def _lines(path: Path) -> list[dict[str, Any]]:
    found = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            found.append(json.loads(line))
        except ValueError:
            continue  # a line cut by a kill
    return found


def postgres_bin() -> Path | None:
    """The newest installed PostgreSQL's bin directory (Debian layout, else on PATH)."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    initdb = found[-1] if found else shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class Postgres:
    """A throw-away server (trust auth, 127.0.0.1, fsync off) to stop and start at will."""

    def __init__(self, bin_dir: Path, port: int) -> None:
        self.bin_dir, self.port = bin_dir, port
        self.root = Path(tempfile.mkdtemp(prefix="newscrawl-faults-pg-"))
        if os.geteuid() == 0:  # initdb and pg_ctl refuse to run as root
            user = pwd.getpwnam("postgres")
            os.chown(self.root, user.pw_uid, user.pw_gid)
        self.data = self.root / "data"
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "--no-sync")
        self.url = f"postgresql://postgres@127.0.0.1:{port}/postgres"

    def _run(self, tool: str, *args: str, check: bool = True) -> None:
        command = [str(self.bin_dir / tool), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
        if done.returncode and check:
            raise RuntimeError(f"{tool} failed: {(done.stderr or done.stdout).strip()}")

    def start(self) -> None:
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root} -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-w", "-l", str(self.root / "log"), "start")

    def stop(self, mode: str = "immediate") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def remove(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self.root, ignore_errors=True)
