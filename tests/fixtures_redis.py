"""A real ``redis-server`` on 127.0.0.1, on a free port, in a temporary directory.

Import the fixture explicitly where needed (``redis_url = fixtures_redis.redis_url``). Without
``redis-server`` on the PATH the tests using it are skipped with the reason, except under
``CI=true``, where they fail (CI installs it: ``scripts/setup``).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

redis = pytest.importorskip("redis", reason="the redis extra is not installed (pip install '.[redis]')")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_ready(url: str, server: subprocess.Popen[bytes], timeout: float = 20) -> None:
    """Until the server answers PING (it reports readiness by answering), or it exits."""
    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    deadline = time.monotonic() + timeout
    while True:
        try:
            client.ping()
            return
        except redis.ConnectionError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not start (exit {server.poll()})") from None
            time.sleep(0.05)
        finally:
            client.close()


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    """``redis://127.0.0.1:PORT/0`` of a fresh server, stopped after the test."""
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI") == "true":
            pytest.fail("redis-server is not installed (CI must have it: scripts/setup)")
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    port = _free_port()
    folder = tmp_path / "redis"
    folder.mkdir()
    server = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder),
                               "--save", "", "--appendonly", "no", "--logfile", str(folder / "log")],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        _wait_ready(url, server)
        yield url
    finally:
        server.terminate()
        server.wait(10)
