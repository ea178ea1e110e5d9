"""The one decoding path of a page's bytes: crawl, ``newscrawl parse``, WARC and the classifier.

The HTTP ``Content-Type`` charset wins over the page's own ``<meta charset>``, as in browsers
(w3lib reads the header; ``iso-8859-1`` is Windows-1252 there, as in browsers); a BOM wins
over both. Without either, sniffing decides (see ``decode``).
"""

from __future__ import annotations

import codecs
import re

from w3lib.encoding import http_content_type_encoding

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_STRAY = re.compile("[\udc80-\udcff]+")  # bytes that were not UTF-8, as surrogateescape keeps them
_ASCII_INCOMPATIBLE = ("utf-16", "utf-32")  # a declaration readable as ASCII cannot be in these
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def _declared(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    if not match:
        return None
    name = match.group(1).decode("ascii", "ignore")
    try:
        name = codecs.lookup(name).name
    except LookupError:
        return None
    return None if name.startswith(_ASCII_INCOMPATIBLE) else name  # as browsers do: ignored


def _readable(text: str, name: str, declared: str | None) -> bool:
    """Did decoding with ``name`` keep the page's own ASCII (its charset declaration)? An
    EBCDIC or UTF-7 label on an ASCII page turns it into other letters."""
    return name != declared or "charset" in text[:4096].lower()


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 text with a few stray bytes of another encoding (a Windows-1252 "é" pasted in, a
    damaged byte): those bytes read as Windows-1252, the rest as UTF-8; None when the invalid
    bytes outnumber the valid UTF-8 characters (the page is in another encoding)."""
    text = data.decode("utf-8", "surrogateescape")
    stray = sum(map(len, _STRAY.findall(text)))
    if stray >= sum(1 for c in text if c > "\x7f") - stray:
        return None
    return _STRAY.sub(lambda m: bytes(ord(c) - 0xDC00 for c in m.group()).decode("cp1252", "replace"), text)


def header_encoding(content_type: str | bytes | None) -> str | None:
    """The charset of an HTTP ``Content-Type`` header as a Python codec name, the way browsers
    read it (w3lib: ``iso-8859-1`` is Windows-1252); None without one."""
    if not content_type:
        return None
    value = content_type.decode("latin-1") if isinstance(content_type, bytes) else content_type
    name = http_content_type_encoding(value)
    return None if not name or name.startswith(_ASCII_INCOMPATIBLE) else name


def decode(data: bytes, header: str | None = None) -> tuple[str, str]:
    """Text and encoding: a BOM wins, then the HTTP header's charset (``header``, a codec
    name: it wins over the page's own, as in browsers), then a declared charset that decodes
    cleanly, then UTF-8 (with a few stray bytes read as Windows-1252), then Windows-1256/1252
    (pages that lie about being UTF-8 are common). A header or declared charset the bytes do
    not decode in gives way to the next."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(name, "replace"), name
    declared = _declared(data)
    if header is not None:
        try:
            header = codecs.lookup(header).name
        except LookupError:
            header = None
    if header is not None and header != "utf-8":
        try:
            return data.decode(header), header
        except UnicodeDecodeError:
            pass
    candidates = [c for c in (header, declared, "utf-8", "cp1256", "cp1252") if c]
    for name in dict.fromkeys(candidates):
        try:
            text = data.decode(name)
        except (UnicodeDecodeError, LookupError):
            mixed = _mostly_utf8(data) if name == "utf-8" else None
            if mixed is None:
                continue
            text = mixed
        if not _readable(text, name, declared):
            continue
        if name == "cp1256" and not re.search("[\u0600-\u06ff]", text):
            continue  # no Arabic script: it was not Windows-1256
        return text, name
    return data.decode("utf-8", "replace"), "utf-8"
