"""A real PostgreSQL server for the storage tests, started once per session in a temp
directory (``initdb`` + ``pg_ctl`` as user ``postgres``, 127.0.0.1, a free port, trust
auth) and stopped at the end. Each test gets a fresh database of its own.

Locally a missing server (binaries, user or psycopg) skips with the reason; under
``CI=true`` it fails instead. Import the fixtures explicitly where needed:

    from tests import fixtures_postgres

    postgres_server = fixtures_postgres.postgres_server
    postgres_url = fixtures_postgres.postgres_url
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

_counter = itertools.count(1)


def _unavailable(reason: str) -> None:
    """Skip locally; fail in CI, where the server is part of the test environment."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"PostgreSQL required under CI=true: {reason}")
    pytest.skip(f"PostgreSQL not available: {reason}")


def find_bindir() -> Path | None:
    """Directory holding ``initdb`` and ``pg_ctl``: $PG_BINDIR, PATH, then Debian's layout."""
    candidates = [os.environ.get("PG_BINDIR", "")]
    on_path = shutil.which("initdb")
    candidates.append(str(Path(on_path).parent) if on_path else "")
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for directory in filter(None, candidates):
        if (Path(directory) / "initdb").exists() and (Path(directory) / "pg_ctl").exists():
            return Path(directory)
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _runuser() -> str | None:
    return shutil.which("runuser") or next(
        (p for p in ("/usr/sbin/runuser", "/sbin/runuser") if Path(p).exists()), None)


def _as_postgres(*command: str) -> list[str]:
    """Run as user ``postgres`` (PostgreSQL refuses to run as root)."""
    if os.geteuid() == 0:
        return [_runuser() or "runuser", "-u", "postgres", "--", *command]
    return list(command)


def _check_prerequisites() -> Path:
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _unavailable("psycopg is not installed")
    bindir = find_bindir()
    if bindir is None:
        _unavailable("initdb/pg_ctl not found (set PG_BINDIR)")
    assert bindir is not None
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            _unavailable("running as root and there is no 'postgres' user")
        if _runuser() is None:
            _unavailable("running as root and runuser is not installed")
    return bindir


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """The server's admin URL (database ``postgres``)."""
    bindir = _check_prerequisites()
    root = Path(tempfile.mkdtemp(prefix="newscrawl-pg-"))
    data, port = root / "data", free_port()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    run = lambda *cmd: subprocess.run(_as_postgres(*cmd), capture_output=True, text=True,  # noqa: E731
                                      timeout=120, cwd=root)
    done = run(str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
               "-E", "UTF8", "--no-sync")
    if done.returncode != 0:
        shutil.rmtree(root, ignore_errors=True)
        _unavailable(f"initdb failed: {done.stderr.strip()[-300:]}")
    options = f"-h 127.0.0.1 -p {port} -k {root} -F -c fsync=off"
    done = run(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(root / "server.log"),
               "-o", options, "-w", "-t", "60", "start")
    if done.returncode != 0:
        logfile = root / "server.log"
        log = logfile.read_text(errors="replace")[-500:] if logfile.exists() else ""
        shutil.rmtree(root, ignore_errors=True)
        _unavailable(f"pg_ctl start failed: {done.stderr.strip()[-300:]} {log}")
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        run(str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(root, ignore_errors=True)


def create_database(admin_url: str, name: str) -> str:
    """A new empty database on the server; returns its URL."""
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture
def postgres_url(postgres_server: str) -> str:
    """A fresh database per test, so tests never see each other's rows."""
    return create_database(postgres_server, f"test_{os.getpid()}_{next(_counter)}")
