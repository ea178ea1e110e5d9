"""The mock site pre-rendered to files and served by Debian's nginx on 127.0.0.1.

A benchmark target that is not the bottleneck: nginx (one worker, access log off) answers
from files, so what a crawl benchmark measures is the crawler. Started as a child process
with its own configuration in a temporary directory (``daemon off``), on a free port, and
stopped however the ``with`` block ends.

Paths are served as the Python mock server serves them (``MockSite.lookup``): any slug of
an article id serves the article, ``/Section/<id>/1`` is the section's first page, query
strings are ignored; HTML, ``.xml`` and ``.txt`` carry the same content types.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType

from newscrawl.testing.mocksite import MockSite

HOST = "www.presstv.ir"
ARTICLE = re.compile(r"^/Detail/\d{4}/\d{1,2}/\d{1,2}/(\d+)")
"""An article path (any slug); its id names the file."""
CONFIG = """\
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
{user}
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    types {{ text/html html; application/xml xml; text/plain txt; }}
    default_type text/html;
    charset utf-8;
    charset_types text/html application/xml text/plain;
    sendfile on;
    keepalive_requests 1000000;
    server {{
        listen 127.0.0.1:{port};
        server_name _;
        root {root};
        rewrite "^(/Section/\\d+)/1$" $1 last;
        location ~ "^/Detail/\\d{{4}}/\\d{{1,2}}/\\d{{1,2}}/(\\d+)" {{ try_files /detail/$1.html =404; }}
        location / {{ try_files $uri/index.html $uri =404; }}
    }}
}}
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def write_pages(site: MockSite, origin: str, root: Path) -> int:
    """Every page of ``site`` as served at ``origin``, as files under ``root``; how many.
    Articles go to ``detail/<id>.html``; a path with an extension (``/rss.xml``) to that
    file, any other (``/``, ``/Section/101``) to ``<path>/index.html``."""
    written = 0
    for path, body in site.for_origin(origin, []).items():
        article = ARTICLE.match(path)
        if article:
            target = root / "detail" / f"{article.group(1)}.html"
        elif "." in path.rsplit("/", 1)[-1]:
            target = root / path.lstrip("/")
        else:
            target = root / path.lstrip("/") / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)
        written += 1
    return written


class NginxSite:
    """``with NginxSite(site) as server:`` ``server.origin`` (``http://www.presstv.ir:PORT``)
    and ``server.pins()`` (``--resolve`` entries) while nginx serves the site."""

    def __init__(self, site: MockSite, nginx: str = "nginx"):
        self.site = site
        self.nginx = shutil.which(nginx) or shutil.which(nginx, path="/usr/sbin:/sbin")
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None
        self._tmp: tempfile.TemporaryDirectory[str] | None = None

    @property
    def origin(self) -> str:
        return f"http://{HOST}:{self.port}"

    def pins(self) -> list[str]:
        return [f"{host}:127.0.0.1" for host in (HOST, HOST.removeprefix("www."))]

    def __enter__(self) -> NginxSite:
        if self.nginx is None:
            raise FileNotFoundError("nginx")
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.stop()

    def _start(self) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="bench-nginx-")
        tmp = Path(self._tmp.name)
        root = tmp / "root"
        self.port = free_port()
        write_pages(self.site, self.origin, root)
        for folder in (tmp, *(p for p in root.rglob("*") if p.is_dir()), root):
            folder.chmod(0o755)  # nginx's worker runs as nobody when started as root
        user = "user nobody nogroup;" if os.geteuid() == 0 else ""
        (tmp / "nginx.conf").write_text(CONFIG.format(tmp=tmp, root=root, port=self.port, user=user))
        assert self.nginx is not None
        self.process = subprocess.Popen([self.nginx, "-p", str(tmp), "-c", str(tmp / "nginx.conf"),
                                         "-e", str(tmp / "error.log")],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                        start_new_session=True)
        deadline = time.monotonic() + 10
        while True:
            if self.process.poll() is not None:
                error = self.process.stderr.read().decode(errors="replace") if self.process.stderr else ""
                raise RuntimeError(f"nginx exited at start: {error.strip()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"nginx not listening on 127.0.0.1:{self.port} after 10 s") from None
                time.sleep(0.05)

    def stop(self) -> None:
        """Stop nginx (its master and workers) and remove its directory."""
        process, self.process = self.process, None
        if process is not None:
            if process.poll() is None:
                process.terminate()  # SIGTERM: nginx's fast shutdown, workers included
                try:
                    process.wait(5)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)  # its own session: master and workers
                    process.wait(5)
            if process.stderr is not None:
                process.stderr.close()
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None
