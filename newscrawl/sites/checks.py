"""Checks of the values in a site definition that Python would accept and a crawl would
trip over later: origins (port range, host name characters, no credentials), pagination
templates, path-rewrite replacements and selectors. Each raises one ``SiteError`` line."""

from __future__ import annotations

import re
import string
from urllib.parse import urlsplit

from cssselect import SelectorError
from lxml import etree
from lxml.cssselect import CSSSelector

from newscrawl.sites.model import SiteError

HOST_LABEL = re.compile(r"(?!-)[a-z0-9_-]{1,63}(?<!-)")
PAGINATION_FIELDS = frozenset(("section", "page"))


def valid_host(host: str) -> bool:
    """A DNS name (IDNA allowed) or an IP literal; nothing else belongs in a domain."""
    if ":" in host:  # urlsplit accepted the [bracketed] IPv6 literal already
        return True
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return False
    return len(ascii_host) <= 253 and all(HOST_LABEL.fullmatch(label) for label in ascii_host.split("."))


def check_origin(value: str, where: str) -> str:
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError as exc:  # a port out of range, a malformed [IPv6] literal
        raise SiteError(f"{where}: domain {value!r} is not an origin like https://host[:port] "
                        f"({exc})") from None
    if "@" in parts.netloc:  # never echo it: it may hold a password
        raise SiteError(f"{where}: a domain of host {parts.hostname!r} holds a user name or "
                        "password (user:pass@); newscrawl does not send credentials")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SiteError(f"{where}: domain {value!r} is not an origin like https://host[:port]")
    if not valid_host(parts.hostname) or port == 0:
        raise SiteError(f"{where}: domain {value!r} has an invalid host name or port")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise SiteError(f"{where}: domain {value!r} must be an origin without a path")
    return f"{parts.scheme}://{parts.netloc.lower()}"


def check_pagination(template: str, where: str) -> str:
    """A template of ``{section}`` and ``{page}`` only, giving a path."""
    if not template:
        return template
    problem = f"{where}: 'pagination' {template!r}"
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    except ValueError as exc:
        raise SiteError(f"{problem} is not a valid template ({exc})") from None
    if not names <= PAGINATION_FIELDS:
        raise SiteError(f"{problem} may only use {{section}} and {{page}}")
    if "page" not in names:
        raise SiteError(f"{where}: 'pagination' must contain '{{page}}'")
    try:
        path = template.format(section="/section", page=2)
    except (ValueError, IndexError, KeyError) as exc:  # a format spec that does not fit
        raise SiteError(f"{problem} is not a valid template ({exc})") from None
    if not path.startswith("/"):
        raise SiteError(f"{where}: 'pagination' {template!r} must give a path starting with '/'")
    return template


def check_replacement(pattern: re.Pattern[str], replacement: str, where: str) -> None:
    """A path rewrite's replacement refers only to groups its pattern has."""
    try:
        pattern.sub(replacement, "")
    except (re.error, IndexError) as exc:
        raise SiteError(f"{where}: path_rewrites replacement {replacement!r} does not fit "
                        f"{pattern.pattern!r} ({exc})") from None


def check_selector(name: str, selector: str, where: str) -> None:
    """A CSS selector (or ``xpath:`` expression) that lxml can compile, as extraction does."""
    try:
        if selector.startswith("xpath:"):
            etree.XPath(selector.removeprefix("xpath:"))
        else:
            CSSSelector(selector)
    except (SelectorError, etree.XPathError) as exc:
        raise SiteError(f"{where}: selector {name} = {selector!r} does not parse ({exc})") from None
