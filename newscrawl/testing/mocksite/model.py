"""What the mock site is: its articles (the manifest, the tests' truth) and its pages.

Pages are bytes rendered once. Absolute links in them carry placeholders that the server
substitutes per origin (see ``for_origin``), so one rendering serves every mirror.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from newscrawl.testing.mocksite.text import Quote

SELF = b"@@SELF@@"
"""The origin serving the page, e.g. ``http://www.presstv.ir:41234``."""
BARE = b"@@BARE@@"
"""The serving origin without ``www.`` (same port)."""
OTHER = b"@@OTHER@@"
"""Another origin of the same server (the next one; the serving one when it is alone)."""
MIRRORS = b"@@MIRRORS@@"
"""The footer's list of alternate addresses: links to the server's other origins."""
PLACEHOLDERS = (SELF, BARE, OTHER, MIRRORS)

_ARTICLE = re.compile(r"^/Detail/\d{4}/\d{1,2}/\d{1,2}/(\d+)(?:/[^?#]*)?$")
_SECTION_PAGE_ONE = re.compile(r"^(/Section/\d+)/1$")


@dataclass(frozen=True, kw_only=True)
class ArticleRecord:
    """One article as the mock site publishes it: what a perfect extraction returns."""

    id: int
    path: str
    """Canonical path (the page's ``rel=canonical``), slug percent-encoded as in links."""
    headline: str
    section: str
    """The breadcrumb's last part ("News / <section>")."""
    section_id: int
    """The section listing that carries the article on one of its first three pages."""
    listed_in: tuple[int, ...]
    """Every section listing the article (``section_id`` first)."""
    published: str
    """ISO 8601 with the Tehran offset, e.g. ``2026-08-15T11:50:13+03:30``."""
    dc_date: str
    """The raw ``DC.Date.Created`` value, e.g. ``8/15/2026 11:50:13 AM``."""
    body: tuple[str, ...]
    """Body paragraphs, whitespace-normalised, without subheadings, caption or footer."""
    subheadings: tuple[str, ...]
    caption: str
    """Caption text without its credit."""
    credit: str
    """The photo credit ("AP", "Reuters", "AFP")."""
    image: str
    quotes: tuple[Quote, ...] = ()
    blocks: tuple[tuple[str, str], ...] = ()
    """Rendering order: ("p" | "h2" | "strong", text)."""
    slug_variants: tuple[str, ...] = ()
    """Other paths of the same article (same id, other slug) that pages link to."""
    related: tuple[int, ...] = ()
    jsonld: bool = False

    @property
    def date(self) -> str:
        """Publication date, ``YYYY-MM-DD``."""
        return self.published[:10]


@dataclass
class MockSite:
    """The generated site: ``manifest`` (newest first) and ``pages`` (path -> bytes)."""

    manifest: list[ArticleRecord]
    pages: dict[str, bytes]
    seed: int = 0
    encodings: dict[str, bytes] = field(default_factory=dict)
    """Path -> ``Content-Encoding`` of a page stored encoded (served as is, no placeholders)."""
    by_id: dict[int, ArticleRecord] = field(init=False)

    def __post_init__(self) -> None:
        self.by_id = {record.id: record for record in self.manifest}

    def rename(self, article_id: int, slug: str, added_paragraph: str = "") -> ArticleRecord:
        """The site edits an article: a new slug (every page now links to the new path, the
        page's ``rel=canonical`` too) and, with ``added_paragraph``, a body updated at its end.
        Call ``MockServer.republish`` to serve the change."""
        record = self.by_id[article_id]
        new_path = record.path.rsplit("/", 1)[0] + "/" + slug
        page = self.pages.pop(record.path)
        if added_paragraph:
            last = record.body[-1].encode()
            if last not in page:
                raise ValueError(f"article {article_id}: its last paragraph is not in its page as text")
            page = page.replace(last, last + b"</p>\n<p>" + added_paragraph.encode(), 1)
        self.pages[new_path] = page
        old = record.path.encode()
        self.pages = {path: body.replace(old, new_path.encode()) for path, body in self.pages.items()}
        renamed = replace(record, path=new_path,
                          body=record.body + ((added_paragraph,) if added_paragraph else ()))
        self.manifest = [renamed if r.id == article_id else r for r in self.manifest]
        self.by_id[article_id] = renamed
        return renamed

    def lookup(self, path: str) -> str | None:
        """The key in ``pages`` serving ``path`` (query and fragment ignored): any slug of
        an article id serves the article, ``/Section/<id>/1`` is the section's first page."""
        path = path.split("#", 1)[0].split("?", 1)[0]
        if path in self.pages:
            return path
        match = _ARTICLE.match(path)
        if match and int(match.group(1)) in self.by_id:
            return self.by_id[int(match.group(1))].path
        match = _SECTION_PAGE_ONE.match(path)
        if match and match.group(1) in self.pages:
            return match.group(1)
        return None

    def for_origin(self, origin: str, others: list[str]) -> dict[str, bytes]:
        """Every page with its placeholders filled for ``origin`` (others: the mirrors)."""
        host_origin = origin.encode()
        values = {
            SELF: host_origin,
            BARE: host_origin.replace(b"://www.", b"://", 1),
            OTHER: (others[0] if others else origin).encode(),
            MIRRORS: b"<br>\n".join(
                b'<a href="%s/" target="_blank">%s</a>' % (o.encode(), (urlsplit(o).hostname or o).encode())
                for o in others),
        }
        filled: dict[str, bytes] = {}
        for path, body in self.pages.items():
            if b"@@" in body and path not in self.encodings:
                for key, value in values.items():
                    body = body.replace(key, value)
            filled[path] = body
        return filled
