"""Webhook URLs: only http(s) is accepted, and a URL is never shown with its secrets.

A webhook URL usually is the secret: Slack's ``https://hooks.slack.com/services/T…/B…/xxxx``,
Discord's ``/api/webhooks/<id>/<token>``, a ``?token=`` or ``?sig=`` value, a ``user:pass@``.
``masked_webhook`` keeps what tells a person which webhook it is (scheme, host, port and a
hint such as ``/services/``) and masks the rest; every log line uses it.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from newscrawl.secrets import MASK, mask_text, mask_url

KNOWN_HOOKS = (  # host suffix, path prefix: everything after the prefix is the secret
    ("hooks.slack.com", "/services/"),
    ("hooks.slack.com", "/workflows/"),
    ("discord.com", "/api/webhooks/"),
    ("discordapp.com", "/api/webhooks/"),
    ("webhook.office.com", "/webhookb2/"),
    ("outlook.office.com", "/webhook/"),
    ("chat.googleapis.com", "/v1/spaces/"),
    ("api.telegram.org", "/bot"),
)
TOKEN_LIKE = re.compile(r"[A-Za-z0-9_.~%+=-]{16,}")


def looks_like_token(value: str) -> bool:
    """A long opaque value (16+ URL-safe characters, letters and digits mixed)."""
    return (bool(TOKEN_LIKE.fullmatch(value)) and any(c.isdigit() for c in value)
            and any(c.isalpha() for c in value))


def check_webhook(url: str) -> None:
    """Refuse (ValueError, one line) a webhook that is not an http(s) URL with a host."""
    if not url:
        return
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (a bad port raises here)
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError(f"--webhook {masked_webhook(url)!r}: expected an http:// or https:// URL")


def masked_webhook(url: str) -> str:
    """``url`` safe to log: credentials, secret or token-like query values, and the path
    tokens of known webhook services (or any token-like path segment) masked."""
    masked = mask_url(url)
    try:
        parts = urlsplit(masked)
        host = (parts.hostname or "").lower()
    except ValueError:
        return MASK
    prefix = next((p for suffix, p in KNOWN_HOOKS
                   if (host == suffix or host.endswith("." + suffix)) and parts.path.startswith(p)), None)
    if prefix is not None:
        path = prefix + MASK
    else:
        path = "/".join(MASK if looks_like_token(s) else s for s in parts.path.split("/"))
    query = "&".join(f"{k}={MASK if looks_like_token(v) else v}"
                     for k, v in parse_qsl(parts.query, keep_blank_values=True))
    user, at, hostport = parts.netloc.rpartition("@")
    if at and looks_like_token(user.partition(":")[0]):  # an API key given as the user name
        user = MASK + user[len(user.partition(":")[0]):]
    netloc = f"{user}@{hostport}" if at else hostport
    return urlunsplit((parts.scheme, netloc, path, query, ""))


def mask_webhook_text(text: str, url: str) -> str:
    """``text`` (an error message) with ``url`` masked wherever it appears, and every other
    credential masked as ``newscrawl.secrets.mask_text`` does."""
    return mask_text(text.replace(url, masked_webhook(url))) if url else mask_text(text)
