"""The Article item: the public JSON contract of newscrawl.

Field names are a public contract (JSON lines export, the store, downstream users):
never rename one. Every field but ``url`` is optional and defaults to empty.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, TypedDict


class Image(TypedDict):
    """One editorial image of an article."""

    url: str
    """Absolute image URL (lazy-loading attributes resolved)."""
    caption: str
    """Caption text, with any credit split out."""
    credit: str
    """Photo credit ("AP", "Reuters/John Doe"), empty when none."""
    alt: str
    """The image's alt text."""


class Quote(TypedDict):
    """One direct quotation found in the body."""

    text: str
    """The quoted words, without quote marks."""
    speaker: str
    """Who is quoted, as named in the article (fullest form used), or the phrase as written."""
    cue: str
    """The speech verb or phrase: "said", "told AFP", "according to"."""
    partial: bool
    """True for a fragment embedded in a sentence."""


@dataclass(kw_only=True)
class Article:
    """One news article, as extracted from one fetched page."""

    url: str
    """Canonical URL on the site's primary domain: the article's identity."""
    fetched_url: str = ""
    """URL actually fetched (may be on a mirror)."""
    mirror: str = ""
    """Origin (scheme://host[:port]) that served the page."""
    site: str = ""
    """Name of the site definition that crawled it."""
    section: str = ""
    """Section name (last breadcrumb entry, or the listing it was found on)."""
    breadcrumb: list[str] = field(default_factory=list)
    """Breadcrumb trail above the headline, outermost first."""
    headline: str = ""
    """Headline, without the site-name suffix of <title>."""
    lead: str = ""
    """Lead / standfirst paragraph, when the page has one."""
    authors: list[str] = field(default_factory=list)
    """Author names only (no "By", no roles), no duplicates."""
    published_at: str = ""
    """Publication time, ISO 8601, with UTC offset when known."""
    published_at_raw: str = ""
    """Publication time exactly as the page gave it."""
    updated_at: str = ""
    """Last-update time, ISO 8601, with UTC offset when known."""
    body: str = ""
    """Full text: paragraphs separated by a blank line, subheadings as their own paragraphs."""
    subheadings: list[str] = field(default_factory=list)
    """In-body subheadings, in order."""
    images: list[Image] = field(default_factory=list)
    """Editorial images (lead and in-body) with caption, credit and alt."""
    quotes: list[Quote] = field(default_factory=list)
    """Direct quotations in the body, in order."""
    language: str = ""
    """Language code of the article (e.g. "en")."""
    fetched_at: str = ""
    """When the page was fetched, ISO 8601 UTC."""
    parser: str = ""
    """Which extraction layer produced the body: "site", "structured", "generic" or "embedded"."""
    article_key: str = ""
    """What identifies the article on its site: the id its article pattern captures (slug
    variants and renamed URLs share it), else the canonical URL; empty without a site."""
    rendered: bool = False
    """True when the page was fetched through a browser (its scripts run), not plainly."""
    sources: dict[str, str] = field(default_factory=dict)
    """Per field, which extraction layer produced it (field name -> layer)."""

    def to_dict(self) -> dict[str, Any]:
        """The article as plain JSON-ready data (the JSON lines' fields)."""
        return asdict(self)
