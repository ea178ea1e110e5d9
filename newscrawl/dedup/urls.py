"""URL normalisation: one resource, one URL, whichever mirror, link or campaign it came from."""

from __future__ import annotations

import re
from urllib.parse import unquote_plus, urlsplit, urlunsplit

from newscrawl.sites.model import Site

TRACKING_PARAMS = re.compile(
    r"^(utm_\w+|fbclid|gclid|gclsrc|dclid|msclkid|mc_cid|mc_eid|_ga|_gl|yclid|igshid|"
    r"ref_src|ref_url|cmpid|ocid|smid|spm|__twitter_impression|at_medium|at_campaign)$",
    re.IGNORECASE,
)
"""Query parameters that say how a link was shared, never which resource it names."""
DEFAULT_PORTS = {"http": 80, "https": 443}


def _query(query: str) -> str:
    """The query without tracking parameters, the rest sorted; each pair kept byte for byte
    (``a%20b`` stays ``a%20b``)."""
    pairs = [pair for pair in query.split("&") if pair]
    kept = [pair for pair in pairs if not TRACKING_PARAMS.match(unquote_plus(pair.split("=", 1)[0]))]
    return "&".join(sorted(kept))


def normalize_url(url: str, site: Site | None = None) -> str:
    """Drop the fragment and tracking parameters, sort the rest, lowercase scheme and host,
    drop a default port; with ``site``, map any of its domains (www. or not) to the primary."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    netloc = host
    if parts.port and parts.port != DEFAULT_PORTS.get(scheme):
        netloc = f"{host}:{parts.port}"
    if parts.username is not None:
        credentials = parts.username + (f":{parts.password}" if parts.password is not None else "")
        netloc = f"{credentials}@{netloc}"
    normal = urlunsplit((scheme, netloc, parts.path or "/", _query(parts.query), ""))
    return site.canonical(normal) if site is not None and site.owns(normal) else normal
