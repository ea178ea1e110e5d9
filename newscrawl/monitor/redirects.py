"""Which redirects a probe follows: those that stay on one of the site's origins.

An origin is scheme, host and port (RFC 6454): ``http://www.presstv.ir/`` sending a probe on
to ``http://www.presstv.ir:18802/internal-admin`` or to ``https://www.presstv.ir/`` leaves
the origin that was declared, so the probe stops there and the domain is
``offsite_redirect``. A site's origins are its declared domains, each also with or without
``www.`` (same scheme and port), as ``Site.hosts`` counts them.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from w3lib.url import safe_url_string

from newscrawl.sites import Site

DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_of(url: str) -> str | None:
    """``scheme://host[:port]`` of ``url`` (lower case, default port left out); None for a
    URL that is not http(s) or whose host or port is malformed."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    if scheme not in DEFAULT_PORTS or not host:
        return None
    host = f"[{host}]" if ":" in host else host
    return f"{scheme}://{host}" + (f":{port}" if port and port != DEFAULT_PORTS[scheme] else "")


def site_origins(site: Site) -> frozenset[str]:
    """Every origin of ``site``: each domain, and its twin with or without ``www.``."""
    origins: set[str] = set()
    for domain in site.domains:
        origin = origin_of(domain)
        if origin is None:
            continue
        scheme, _, rest = origin.partition("://")
        twin = rest.removeprefix("www.") if rest.startswith("www.") else "www." + rest
        origins |= {origin, f"{scheme}://{twin}"}
    return frozenset(origins)


def redirect_target(url: str, location: str) -> str:
    """The absolute, percent-encoded URL a ``Location`` header (read as latin-1) points to:
    its bytes are read as UTF-8, as browsers do, and unsafe characters escaped."""
    raw = location.strip().encode("latin-1", errors="replace")
    return safe_url_string(urljoin(url, safe_url_string(raw)))


def stays_on_site(site: Site, target: str) -> bool:
    """True when a redirect to ``target`` may be followed: it is on one of the site's origins."""
    return origin_of(target) in site_origins(site)
