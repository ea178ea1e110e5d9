"""A real PostgreSQL server for the storage tests, started in a temp directory and stopped
after the session. Import explicitly where needed:

    from tests import fixtures_postgres

    postgres_server = fixtures_postgres.postgres_server

Without PostgreSQL installed the tests that need it skip with the reason (locally) or fail
(under ``CI=true``, where ``.ci/run`` installs it).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

MISSING = "PostgreSQL not installed: apt-get install postgresql"


def postgres_bin() -> Path | None:
    """The newest installed PostgreSQL's bin directory (Debian layout, else on PATH)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_postgres(args: list[str]) -> list[str]:
    """``initdb``/``pg_ctl`` refuse to run as root: run them as user postgres then."""
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


def _run(args: list[str]) -> None:
    done = subprocess.run(_as_postgres(args), capture_output=True, text=True, timeout=120, check=False)
    if done.returncode:
        raise RuntimeError(f"{Path(args[0]).name} failed: {(done.stderr or done.stdout).strip()}")


class PostgresInstance:
    """A throw-away server (trust auth, 127.0.0.1, a free port) that a test may stop (even
    ``-m immediate``, as a crash) and start again on the same port and data."""

    def __init__(self, bin_dir: Path):
        self.bin_dir = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="newscrawl-pg-"))
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(self.root, user.pw_uid, user.pw_gid)
        self.data, self.port = self.root / "data", _free_port()
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        _run([str(bin_dir / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
              "--no-sync"])

    def start(self) -> None:
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root} -c fsync=off"
        _run([str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-o", options, "-w", "-l",
              str(self.root / "server.log"), "start"])

    def stop(self, mode: str = "fast") -> None:
        _run([str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop"])

    def remove(self) -> None:
        subprocess.run(_as_postgres([str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w",
                                     "stop"]), capture_output=True, timeout=60, check=False)
        shutil.rmtree(self.root, ignore_errors=True)


@contextmanager
def postgres_instance(bin_dir: Path) -> Iterator[PostgresInstance]:
    """A started ``PostgresInstance``, stopped and removed afterwards."""
    server = PostgresInstance(bin_dir)
    try:
        server.start()
        yield server
    finally:
        server.remove()


@contextmanager
def running_postgres(bin_dir: Path) -> Iterator[str]:
    """Start a throw-away server (trust auth, 127.0.0.1, a free port); yield its URL."""
    with postgres_instance(bin_dir) as server:
        yield server.url


def fresh_database(server_url: str, name: str) -> str:
    """Create (or re-create) database ``name`` on the server; its URL."""
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return server_url.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """URL of a PostgreSQL server running for this test session."""
    bin_dir = postgres_bin()
    if bin_dir is None:
        if os.environ.get("CI") == "true":
            pytest.fail(MISSING + " (CI=true: .ci/run must install it)")
        pytest.skip(MISSING)
    with running_postgres(bin_dir) as url:
        yield url


@pytest.fixture
def own_postgres() -> Iterator[PostgresInstance]:
    """A PostgreSQL server of this test alone (it may stop and restart it)."""
    bin_dir = postgres_bin()
    if bin_dir is None:
        if os.environ.get("CI") == "true":
            pytest.fail(MISSING + " (CI=true: .ci/run must install it)")
        pytest.skip(MISSING)
    with postgres_instance(bin_dir) as server:
        yield server


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh store's URL, once per backend: SQLite in a temp dir, a new PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/store/newscrawl.db"
    server = request.getfixturevalue("postgres_server")
    return fresh_database(server, f"t_{uuid.uuid4().hex[:12]}")


@pytest.fixture
def store(store_url: str) -> Iterator[Any]:
    """The store at ``store_url``, opened, closed after the test."""
    from newscrawl.storage import open_store

    opened = open_store(store_url)
    yield opened
    opened.close()
