"""A mock news site whose live pages are app shells: the HTML holds a headline, an empty
``<div id="root">`` and a script that fetches the article from a JSON API after load and
writes it into the page; beside them, plain articles with their text in the HTML. Served on
127.0.0.1 for the rendering tests and benchmark (``newscrawl.render``).

Paths: ``/news/`` (the section: links to every article), ``/news/<id>/plain-story-<id>``
(plain), ``/live/<id>/shell-story-<id>`` (shell), ``/static/app.js``, ``/api/articles/<id>``,
``/img/<id>.jpg`` (the picture the script adds; a browser that skips images never asks).
With ``listed`` articles, a second section ``/apps/`` is itself a shell: its script lists
``per_page`` of them (plain articles, ids 2001..) from ``/api/list?page=N`` and a "Load more"
button adds the next page. Every request path (with its query) is recorded (``paths``).
"""

from __future__ import annotations

import json
import random
import re
import threading
from contextlib import suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

ARTICLE_PATTERN = r"^/(?:news|live)/(\d+)/"
WORDS = ("council", "budget", "schools", "roads", "clinics", "region", "critics", "taxes", "year",
         "minister", "river", "harbour", "farmers", "market", "rail", "bridge", "court", "ruling",
         "election", "voters", "museum", "festival", "storm", "coast", "hospital", "nurses",
         "teachers", "strike", "union", "factory", "exports", "prices", "fuel", "energy", "wind",
         "solar", "police", "inquiry", "report", "library", "park", "housing", "rent", "tenants",
         "airport", "flights", "tourism", "football", "league", "stadium", "orchestra", "theatre",
         "film", "award", "science", "satellite", "vaccine")

LIST_JS = """
let page = 0;
const root = document.getElementById('app');
root.innerHTML = '<ul id="links"></ul>';
function more() {
  page += 1;
  fetch('/api/list?page=' + page).then(r => r.json()).then(list => {
    for (const link of list.links) {
      const item = document.createElement('li');
      item.innerHTML = '<a href="' + link + '">' + link + '</a>';
      document.getElementById('links').appendChild(item);
    }
    const old = document.getElementById('more');
    if (old) old.remove();
    if (list.more) {
      root.insertAdjacentHTML('beforeend', '<button id="more">Load more</button>');
      document.getElementById('more').addEventListener('click', more);
    }
  });
}
more();
"""

APP_JS = """
const id = location.pathname.split('/')[2];
fetch('/api/articles/' + id).then(r => r.json()).then(a => {
  const root = document.getElementById('root');
  root.innerHTML = '<article><h1>' + a.headline + '</h1><img src="/img/' + id + '.jpg" alt="">' +
    a.paragraphs.map(p => '<p>' + p + '</p>').join('') + '</article>';
});
"""


def paragraphs(article_id: int, count: int = 5) -> list[str]:
    """The article's paragraphs: distinct per article and per paragraph (no near-duplicates)."""
    draw = random.Random(article_id)
    return [f"Story {article_id}, part {n}: " + " ".join(draw.choice(WORDS) for _ in range(45)) + "."
            for n in range(1, count + 1)]


def headline(article_id: int) -> str:
    return f"Council budget story number {article_id}"


def _page(title: str, body: str) -> str:
    return (f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>"
            f"</head><body><header><a href=\"/news/\">News</a></header>{body}</body></html>")


class AppShellSite:
    """The site's content: ``plain`` plain articles (ids 1..) and ``shells`` app-shell
    articles (ids 1001..)."""

    def __init__(self, plain: int = 4, shells: int = 4, listed: int = 0, per_page: int = 2):
        self.plain_ids = list(range(1, plain + 1))
        self.shell_ids = list(range(1001, 1001 + shells))
        self.listed_ids = list(range(2001, 2001 + listed))
        self.per_page = per_page

    @property
    def sections(self) -> list[str]:
        return ["/news/", "/apps/"] if self.listed_ids else ["/news/"]

    def plain_path(self, article_id: int) -> str:
        return f"/news/{article_id}/plain-story-{article_id}"

    def shell_path(self, article_id: int) -> str:
        return f"/live/{article_id}/shell-story-{article_id}"

    def listing(self) -> str:
        links = [self.plain_path(i) for i in self.plain_ids] + [self.shell_path(i) for i in self.shell_ids]
        items = "".join(f'<li><a href="{link}">{link}</a></li>' for link in links)
        return _page("News", f"<main><h1>News</h1><ul>{items}</ul></main>")

    def plain(self, article_id: int) -> str:
        text = "".join(f"<p>{p}</p>" for p in paragraphs(article_id))
        return _page(headline(article_id), f"<article><h1>{headline(article_id)}</h1>{text}</article>")

    def shell(self, article_id: int) -> str:
        return _page(headline(article_id),
                     '<div id="root"><p>Loading…</p></div><noscript>Please enable JavaScript to '
                     'read this article.</noscript><script src="/static/app.js"></script>')

    def app_listing(self) -> str:
        return _page("Apps", '<div id="app">Loading…</div><script src="/static/list.js"></script>')

    def api_list(self, page: int) -> str:
        start = (page - 1) * self.per_page
        ids = self.listed_ids[start:start + self.per_page]
        return json.dumps({"links": [self.plain_path(i) for i in ids],
                           "more": start + self.per_page < len(self.listed_ids)})

    def api(self, article_id: int) -> str:
        return json.dumps({"headline": headline(article_id), "paragraphs": paragraphs(article_id)})

    def respond(self, target: str) -> tuple[int, str, bytes]:
        """(status, content type, body) for ``target`` (a path and query)."""
        html = "text/html; charset=utf-8"
        path, _, query = target.partition("?")
        if path == "/apps/" and self.listed_ids:
            return 200, html, self.app_listing().encode()
        if path == "/static/list.js":
            return 200, "application/javascript", LIST_JS.encode()
        if path == "/api/list" and query.startswith("page=") and query[5:].isdigit():
            return 200, "application/json", self.api_list(int(query[5:])).encode()
        if path == "/robots.txt":
            return 200, "text/plain", b"User-agent: *\nAllow: /\n"
        if path in ("/news/", "/news"):
            return 200, html, self.listing().encode()
        if path == "/static/app.js":
            return 200, "application/javascript", APP_JS.encode()
        match = re.fullmatch(r"/(news|live|api/articles|img)/(\d+)(?:/[\w-]*|\.jpg)?", path)
        if match:
            kind, article_id = match.group(1), int(match.group(2))
            if kind == "news" and article_id in self.plain_ids + self.listed_ids:
                return 200, html, self.plain(article_id).encode()
            if kind == "live" and article_id in self.shell_ids:
                return 200, html, self.shell(article_id).encode()
            if kind == "api/articles" and article_id in self.shell_ids:
                return 200, "application/json", self.api(article_id).encode()
            if kind == "img":
                return 200, "image/jpeg", b"\xff\xd8\xff\xd9"
        return 404, html, _page("Not found", "<p>Not found</p>").encode()


class AppShellServer:
    """``site`` served over HTTP on 127.0.0.1 (a free port) in a background thread. Requests
    whose path starts with one of ``hold`` are answered only once ``release()`` is called
    (or the server stops): a domain that accepts and does not answer."""

    def __init__(self, site: AppShellSite, hold: tuple[str, ...] = ()):
        self.site = site
        self.paths: list[str] = []
        self.hold = hold
        self.released = threading.Event()
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                with server._lock:
                    server.paths.append(self.path)
                if self.path.startswith(server.hold or ("\0",)):
                    server.released.wait()
                status, kind, body = server.site.respond(self.path)
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                with suppress(BrokenPipeError, ConnectionResetError):  # the client gave up (a lost hedge)
                    self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def requested(self, prefix: str) -> list[str]:
        """Paths requested so far that start with ``prefix``."""
        with self._lock:
            return [path for path in self.paths if path.startswith(prefix)]

    def sites_toml(self, name: str = "appshell", render: str = "auto", max_pages: int = 1) -> str:
        """A sites file table for this server."""
        sections = ", ".join(f'"{section}"' for section in self.site.sections)
        return (f'[sites.{name}]\ndomains = ["{self.origin}"]\nsections = [{sections}]\n'
                f"article_pattern = '{ARTICLE_PATTERN}'\nmax_pages = {max_pages}\n"
                f'render = "{render}"\n')

    def __enter__(self) -> AppShellServer:
        self._thread.start()
        return self

    def release(self) -> None:
        """Answer the held requests, and every later one at once."""
        self.released.set()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.release()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()
