"""Content fingerprints: an exact hash of the normalised body, and paragraph fingerprints for
near-duplicates.

Exact: SHA-1 of the body's words, single-spaced (layout, case and punctuation ignored).

Near: the same story with a changed footer, a typo fixed or a paragraph added shares most of
its paragraphs word for word. Each paragraph of at least ``MIN_PARAGRAPH_WORDS`` words is
fingerprinted (a 64-bit hash of its normalised words); two bodies are near-duplicates when
the paragraphs they share hold at least ``NEAR_DUPLICATE_SHARE`` (80%) of the words of the
longer one. We tried SimHash first: on 200-600-word news bodies a one-word change already
flips 3-4 of its 64 bits, so no Hamming threshold separates "typo fixed" from "other story".
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib

NEAR_DUPLICATE_SHARE = 0.8
MIN_PARAGRAPH_WORDS = 8
MIN_BODY_WORDS = 40  # shorter bodies get the exact check only
_WORD = re.compile(r"\w+", re.UNICODE)


def words(text: str) -> list[str]:
    """Lower-cased words of ``text`` after Unicode NFKC (punctuation and spacing ignored)."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def normalize_body(text: str) -> str:
    """The body as a comparison sees it: its words, single-spaced."""
    return " ".join(words(text))


def content_fingerprint(text: str) -> str:
    """SHA-1 of the normalised body: equal for the same text however it was laid out."""
    return hashlib.sha1(normalize_body(text).encode("utf-8")).hexdigest()


def paragraph_fingerprints(text: str) -> dict[int, int]:
    """Signed 64-bit hash of each substantial paragraph -> its word count."""
    prints: dict[int, int] = {}
    for paragraph in text.split("\n\n"):
        tokens = words(paragraph)
        if len(tokens) >= MIN_PARAGRAPH_WORDS:
            data = " ".join(tokens).encode("utf-8")
            value = zlib.crc32(data) << 32 | zlib.crc32(data, 0x9E3779B9)
            prints[value - (1 << 63)] = len(tokens)
    return prints


def shared_share(shared_words: int, words_a: int, words_b: int) -> float:
    """Share of the longer body's words that lie in shared paragraphs."""
    longest = max(words_a, words_b)
    return shared_words / longest if longest else 0.0


def is_near(shared_words: int, words_a: int, words_b: int) -> bool:
    return shared_share(shared_words, words_a, words_b) >= NEAR_DUPLICATE_SHARE
