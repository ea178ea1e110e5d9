"""URL normalisation: one resource, one URL, whichever mirror, link or campaign it came from."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from newscrawl.sites.model import Site

TRACKING_PARAMS = re.compile(
    r"^(utm_\w+|fbclid|gclid|gclsrc|dclid|msclkid|mc_cid|mc_eid|_ga|_gl|yclid|igshid|"
    r"ref_src|ref_url|cmpid|ocid|smid|spm|__twitter_impression|at_medium|at_campaign)$",
    re.IGNORECASE,
)
DEFAULT_PORTS = {"http": 80, "https": 443}


def normalize_url(url: str, site: Site | None = None) -> str:
    """Drop the fragment and tracking parameters, sort the rest, lowercase the host, drop a
    default port; with ``site``, map any of its domains (www. or not) to the primary."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    netloc = host
    if parts.port and parts.port != DEFAULT_PORTS.get(parts.scheme):
        netloc = f"{host}:{parts.port}"
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                   if not TRACKING_PARAMS.match(k))
    normal = urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", urlencode(query), ""))
    return site.canonical(normal) if site is not None and site.owns(normal) else normal
