"""Decode and parse a page once; every extraction layer shares the tree."""

from __future__ import annotations

import codecs
import logging
import re
import unicodedata
from dataclasses import dataclass

from lxml import etree, html

from newscrawl.decoding import decode, header_encoding

logger = logging.getLogger(__name__)
__all__ = ["Document", "decode", "drop_hidden", "header_encoding", "parse_document", "visible"]

MAX_BYTES = 8 * 1024 * 1024  # beyond this a page is cut (and the cut is logged)
MAX_STRAY_NULS = 8  # NUL bytes in the first KB a text page may have (dropped); more: binary
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden|clip\s*:\s*rect\(\s*0", re.IGNORECASE)
_NOT_XML = re.compile("[\x00-\x08\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
"""Characters lxml refuses in a text node (control characters, lone surrogates): dropped;
a vertical tab or form feed becomes a space."""
_XML_SPACE = re.compile("[\x0b\x0c]")
_ELEMENT_CLASSES = etree.ElementDefaultClassLookup(
    element=html.HtmlElement, comment=html.HtmlComment, pi=html.HtmlProcessingInstruction,
    entity=html.HtmlEntity)
"""lxml.html's elements without its per-tag classes (forms, inputs: unused here), looked up in C:
its default lookup calls Python for every element a walk of the tree touches."""
_NOT_XML_OR_SPACE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_INVISIBLE = str.maketrans("", "", "\xad\u200b\u2060\ufeff")
"""Soft hyphens, zero-width spaces, word joiners and stray byte-order marks: shown as nothing,
they split the words a reader sees ("auto\xadnome"). Zero-width (non-)joiners stay: they change
how Persian and Indic text is written."""
ANNOTATIONS = ("rt", "rp")  # ruby readings (furigana) set above the text they read
TEXT_PARENTS = frozenset({"p", "span", "li", "h1", "h2", "h3", "h4", "h5", "h6", "a", "b", "i", "em",
                          "strong", "font", "td", "th", "dd", "dt", "blockquote", "figcaption", "caption",
                          "small"})
"""Elements whose text is read whole: a script or style inside one would be read as its text."""


def visible(text: str) -> str:
    """Text as a reader sees it: without invisible characters, in Unicode NFC (the form the store
    keeps)."""
    if text.isascii():
        return text
    return unicodedata.normalize("NFC", text.translate(_INVISIBLE))


@dataclass
class Document:
    """A parsed page: its URL, tree (None when nothing parseable) and decoded text."""

    url: str
    tree: html.HtmlElement | None
    encoding: str


def parse_document(page: str | bytes, url: str, encoding: str | None = None) -> Document:
    """Parse ``page`` leniently; binary, empty or broken input gives ``tree=None``. Bytes are
    decoded by ``decode`` with ``encoding``, the HTTP header's charset when there was one."""
    if isinstance(page, bytes):
        if len(page) > MAX_BYTES:
            logger.warning("%s: page of %d bytes cut to %d", url, len(page), MAX_BYTES)
            page = page[:MAX_BYTES]
        if page[:1024].count(b"\x00") > MAX_STRAY_NULS \
                and not page.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            logger.warning("%s: binary content, not HTML", url)
            return Document(url, None, "")
        text, encoding = decode(page, encoding)
    else:
        text, encoding = page[:MAX_BYTES], "unicode"
    if _NOT_XML_OR_SPACE.search(text):  # one scan of the (usually clean) page, not two
        text = _XML_SPACE.sub(" ", _NOT_XML.sub("", text))
    text = _XML_DECLARATION.sub("", text, count=1)
    if not text.strip():
        logger.warning("%s: empty document", url)
        return Document(url, None, encoding)
    parser = html.HTMLParser(recover=True, huge_tree=True, remove_comments=True)
    parser.set_element_class_lookup(_ELEMENT_CLASSES)
    try:
        tree = html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        logger.warning("%s: unparseable HTML (%s)", url, exc)
        return Document(url, None, encoding)
    drop_hidden(tree)
    for reading in list(tree.iter(*ANNOTATIONS)):  # the annotated text stays (it is the tail's owner)
        reading.drop_tree()
    for code in list(tree.iter("script", "style")):  # structured data (JSON) stays where it is
        parent = code.getparent()
        if parent is not None and parent.tag in TEXT_PARENTS and "json" not in (code.get("type") or ""):
            code.drop_tree()
    return Document(url, tree, encoding)


def drop_hidden(tree: html.HtmlElement) -> None:
    """Remove what a reader never sees: ``hidden`` elements, ``display:none``, and screen-reader
    only text (", opens new tab") clipped to nothing; the text after each element stays."""
    every = tree.getroottree().getroot().iter(etree.Element)  # the whole document, as "//" was
    for element in [e for e in every if _maybe_hidden(e)]:
        if element.getparent() is not None and element.tag not in ("html", "body") \
                and (element.get("hidden") is not None or _HIDDEN_STYLE.search(element.get("style", ""))):
            element.drop_tree()


def _maybe_hidden(element: html.HtmlElement) -> bool:
    """``hidden``, or a style naming none, hidden or clip (case as written: what
    ``_HIDDEN_STYLE`` then reads); a walk in Python beats an XPath here (C element lookup)."""
    if element.get("hidden") is not None:
        return True
    style = element.get("style")
    return style is not None and ("none" in style or "hidden" in style or "clip" in style)


def text_of(element: html.HtmlElement) -> str:
    """An element's text, whitespace collapsed."""
    return " ".join(element.text_content().split())
