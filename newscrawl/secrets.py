"""Credentials masked wherever they are shown or stored: URLs, free text, settings.

``mask_url("postgresql://crawler:s3cret@db/news?password=x")`` gives
``postgresql://crawler:***@db/news?password=***``; ``mask_text`` does the same for every
URL inside a message (a traceback line, a log record); ``mask_settings`` also hides the
value of every setting whose name suggests a secret (``..._PASSWORD``, ``..._TOKEN``...).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode

MASK = "***"
SECRET_WORDS = r"pass(?:w(?:or)?d)?(?![a-z])|pwd|secret|token|api_?key|auth(?!or)|credential"
SECRET_NAME = re.compile(SECRET_WORDS, re.IGNORECASE)
# scheme://user:password@ -- the password is everything up to the last @ before the host
USERINFO = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)(?P<user>[^\s:/@?#]*):(?P<password>[^\s/?#]*)@")
# key=value pairs (query strings, libpq "password=x" conninfo) whose key names a secret
SECRET_PAIR = re.compile(rf"(?P<key>[\w.-]*(?:{SECRET_WORDS})[\w.-]*)=(?P<value>[^\s&#'\"]+)",
                         re.IGNORECASE)


def is_secret_name(name: str) -> bool:
    """Whether a setting or parameter name suggests its value is a secret."""
    return bool(SECRET_NAME.search(name))


def mask_url(url: str) -> str:
    """The URL with its password (``user:pass@``) and secret query values masked; the
    user name, host, port and path stay, so the message still says which server."""
    masked = USERINFO.sub(lambda m: f"{m['scheme']}{m['user']}:{MASK}@", url)
    head, question, query = masked.partition("?")
    if not question:
        return masked
    fragment = ""
    if "#" in query:
        query, fragment = query.split("#", 1)
        fragment = "#" + fragment
    pairs = parse_qsl(query, keep_blank_values=True)
    if not any(is_secret_name(key) for key, _ in pairs):
        return masked
    cleaned = [(key, MASK if is_secret_name(key) else value) for key, value in pairs]
    return f"{head}?{urlencode(cleaned, safe='*')}{fragment}"


def mask_text(text: str) -> str:
    """Every credential in a free text masked: ``user:pass@`` in URLs and ``password=...``
    (or token=, secret=...) pairs, wherever they appear in the text."""
    text = USERINFO.sub(lambda m: f"{m['scheme']}{m['user']}:{MASK}@", text)
    return SECRET_PAIR.sub(lambda m: f"{m['key']}={MASK}", text)


def mask_value(name: str, value: Any) -> Any:
    """A setting's value as it may be stored or shown: masked whole when its name suggests
    a secret, credentials masked inside strings, lists and dicts otherwise."""
    if is_secret_name(name) and value not in (None, "", False):
        return MASK
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, Mapping):
        return {key: mask_value(str(key), item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [mask_value(name, item) for item in value]
    return value


def mask_settings(settings: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of the settings safe to store (the runs table) or print."""
    return {name: mask_value(name, value) for name, value in settings.items()}


__all__ = ["MASK", "is_secret_name", "mask_settings", "mask_text", "mask_url", "mask_value"]
