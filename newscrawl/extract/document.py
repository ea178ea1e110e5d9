"""Decode and parse a page once; every extraction layer shares the tree."""

from __future__ import annotations

import codecs
import logging
import re
from dataclasses import dataclass

from lxml import etree, html

logger = logging.getLogger(__name__)

MAX_BYTES = 8 * 1024 * 1024  # beyond this a page is cut (and the cut is logged)
MAX_STRAY_NULS = 8  # NUL bytes in the first KB a text page may have (dropped); more: binary
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")
_HIDDEN_XPATH = ("//*[@hidden or contains(@style, 'none') or contains(@style, 'hidden')"
                 " or contains(@style, 'clip')]")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden|clip\s*:\s*rect\(\s*0", re.IGNORECASE)
_NOT_XML = re.compile("[\x00-\x08\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
"""Characters lxml refuses in a text node (control characters, lone surrogates): dropped;
a vertical tab or form feed becomes a space."""
_XML_SPACE = re.compile("[\x0b\x0c]")
_STRAY = re.compile("[\udc80-\udcff]+")  # bytes that were not UTF-8, as surrogateescape keeps them
_ASCII_INCOMPATIBLE = ("utf-16", "utf-32")  # a declaration readable as ASCII cannot be in these
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


@dataclass
class Document:
    """A parsed page: its URL, tree (None when nothing parseable) and decoded text."""

    url: str
    tree: html.HtmlElement | None
    encoding: str


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


def decode(data: bytes) -> tuple[str, str]:
    """Text and encoding: a BOM wins, then a declared charset that decodes cleanly, then
    UTF-8 (with a few stray bytes read as Windows-1252), then Windows-1256/1252 (pages that
    lie about being UTF-8 are common)."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(name, "replace"), name
    declared = _declared(data)
    candidates = [c for c in (declared, "utf-8", "cp1256", "cp1252") if c]
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


def parse_document(page: str | bytes, url: str) -> Document:
    """Parse ``page`` leniently; binary, empty or broken input gives ``tree=None``."""
    if isinstance(page, bytes):
        if len(page) > MAX_BYTES:
            logger.warning("%s: page of %d bytes cut to %d", url, len(page), MAX_BYTES)
            page = page[:MAX_BYTES]
        if page[:1024].count(b"\x00") > MAX_STRAY_NULS \
                and not page.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            logger.warning("%s: binary content, not HTML", url)
            return Document(url, None, "")
        text, encoding = decode(page)
    else:
        text, encoding = page[:MAX_BYTES], "unicode"
    text = _XML_DECLARATION.sub("", _XML_SPACE.sub(" ", _NOT_XML.sub("", text)), count=1)
    if not text.strip():
        logger.warning("%s: empty document", url)
        return Document(url, None, encoding)
    parser = html.HTMLParser(recover=True, huge_tree=True, remove_comments=True)
    try:
        tree = html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        logger.warning("%s: unparseable HTML (%s)", url, exc)
        return Document(url, None, encoding)
    drop_hidden(tree)
    return Document(url, tree, encoding)


def drop_hidden(tree: html.HtmlElement) -> None:
    """Remove what a reader never sees: ``hidden`` elements, ``display:none``, and screen-reader
    only text (", opens new tab") clipped to nothing; the text after each element stays."""
    for element in tree.xpath(_HIDDEN_XPATH):
        if element.getparent() is not None and element.tag not in ("html", "body") \
                and (element.get("hidden") is not None or _HIDDEN_STYLE.search(element.get("style", ""))):
            element.drop_tree()


def text_of(element: html.HtmlElement) -> str:
    """An element's text, whitespace collapsed."""
    return " ".join(element.text_content().split())
