"""Text from probed pages made safe to print: a title is whatever a server sent.

A page title of ``\\x1b]0;owned\\x07`` or ``\\x1b[2J`` would retitle or clear the terminal
of whoever reads ``newscrawl monitor``; a right-to-left override (U+202E) reorders what
follows. ``printable`` shows every such character as an escape instead (``\\x1b``,
``\\u202e``): control characters (C0, DEL, C1, also tab and newline, which would break a
table row), format characters, line and paragraph separators and lone surrogates. The table,
the history, the Prometheus labels, the JSON lines and the log lines all go through it.
"""

from __future__ import annotations

import unicodedata
from typing import Any

UNPRINTABLE = frozenset(("Cc", "Cf", "Cs", "Zl", "Zp"))


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def printable(text: str) -> str:
    """``text`` with every character that could act on a terminal shown as an escape."""
    if text.isascii() and text.isprintable():
        return text
    return "".join(_escape(c) if unicodedata.category(c) in UNPRINTABLE else c for c in text)


def printable_values(value: Any) -> Any:
    """``printable`` applied to every string inside a JSON-like value (dicts, lists)."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, dict):
        return {key: printable_values(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [printable_values(item) for item in value]
    return value
