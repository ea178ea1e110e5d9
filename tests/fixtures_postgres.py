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


@contextmanager
def running_postgres(bin_dir: Path) -> Iterator[str]:
    """Start a throw-away server (trust auth, 127.0.0.1, a free port); yield its URL."""
    root = Path(tempfile.mkdtemp(prefix="newscrawl-pg-"))
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(root, user.pw_uid, user.pw_gid)
    data, port = root / "data", _free_port()
    try:
        _run([str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
              "--no-sync"])
        options = f"-c listen_addresses=127.0.0.1 -p {port} -k {root} -c fsync=off"
        _run([str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-w", "-l", str(root / "server.log"),
              "start"])
        try:
            yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
        finally:
            subprocess.run(_as_postgres([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w",
                                         "stop"]), capture_output=True, timeout=60, check=False)
    finally:
        shutil.rmtree(root, ignore_errors=True)


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
