"""Content fingerprints: an exact hash of the normalised body, and a MinHash signature for
near-duplicates (the same story with a changed footer, a typo fixed, a paragraph added).

Exact: SHA-1 of the body's words, single-spaced (layout, case and punctuation ignored).

Near: a one-permutation MinHash of the body's 5-word shingles, ``BINS`` (64) bins of 32 bits.
The share of equal bins estimates the Jaccard similarity of the two shingle sets; two bodies
are near-duplicates when it is at least ``NEAR_DUPLICATE_SIMILARITY`` (0.5). Measured on
2,000 mock-site bodies (templated prose, so closer to each other than real news): other
stories reach at most 0.28; a changed footer, one to three typos, or a footer and a typo
together stay at 0.67 or above. Candidates come from ``band_keys``: 16 bands of 4 bins, each
hashed with the site; two bodies of similarity 0.67 share a band with probability 0.99, two
unrelated mock bodies with probability 0.0002, so a lookup reads a handful of rows however
many articles are stored. SimHash (64 bits, 4 x 16-bit bands) was measured too and
rejected: a one-word change flips up to 8 bits, a footer up to 13, while unrelated mock
bodies come as close as 12, and 4 bands only guarantee finding distances up to 3.
"""

from __future__ import annotations

import hashlib
import re
import struct
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

NEAR_DUPLICATE_SIMILARITY = 0.5
SHINGLE_WORDS = 5
BINS = 64
BAND_BINS = 4
MIN_BODY_WORDS = 40
"""Shorter bodies get the exact check only (too few shingles for a reliable estimate)."""
MIN_DUPLICATE_WORDS = 20
"""Shorter bodies ("Watch the video") are never called duplicates of each other."""
EMPTY = 0xFFFFFFFF
_PACK = struct.Struct(f"<{BINS}I")
_BLAKE2B_8 = hashlib.blake2b(digest_size=8)
_WORD = re.compile(r"\w+", re.UNICODE)


def words(text: str) -> list[str]:
    """Lower-cased words of ``text`` after Unicode NFKC (punctuation and spacing ignored)."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def normalize_body(text: str) -> str:
    """The body as a comparison sees it: its words, single-spaced."""
    return " ".join(words(text))


def content_fingerprint(text: str) -> str:
    """SHA-1 of the normalised body: equal for the same text however it was laid out."""
    return _sha1_of(words(text))


def _sha1_of(tokens: list[str]) -> str:
    return hashlib.sha1(" ".join(tokens).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class BodyPrint:
    """What the store compares of a body, from one pass over its words: ``digest``
    (``content_fingerprint``), ``words`` (how many) and ``signature`` (``minhash``, None
    for a body shorter than ``MIN_BODY_WORDS``)."""

    body: str
    digest: str
    words: int
    signature: bytes | None


def body_print(text: str) -> BodyPrint:
    """The body's fingerprints; the words are found once, not once per fingerprint."""
    tokens = words(text)
    signature = _minhash_of(tokens) if len(tokens) >= MIN_BODY_WORDS else None
    return BodyPrint(text, _sha1_of(tokens), len(tokens), signature)


def minhash(text: str) -> bytes:
    """The body's signature: per bin, the least 32-bit hash of the shingles falling in it
    (``EMPTY`` when none did), as ``BINS`` little-endian unsigned 32-bit integers."""
    return _minhash_of(words(text))


def _minhash_of(tokens: list[str]) -> bytes:
    mins = [EMPTY] * BINS
    span = SHINGLE_WORDS
    encoded = [token.encode("utf-8") for token in tokens]  # a shingle's bytes: its words' joined
    fresh, from_bytes = _BLAKE2B_8.copy, int.from_bytes  # a shingle's 64-bit BLAKE2b, big-endian
    for shingle in {b" ".join(encoded[i:i + span]) for i in range(max(1, len(encoded) - span + 1))}:
        hasher = fresh()  # copying a made hasher: a third faster than making one per shingle
        hasher.update(shingle)
        value = from_bytes(hasher.digest(), "big")
        slot, rest = value % BINS, (value >> 6) & 0xFFFFFFFF
        if rest < mins[slot]:
            mins[slot] = rest
    return _PACK.pack(*mins)


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two bodies' shingle sets, from their signatures: the share
    of equal bins among those not empty in both. Counted on whole-signature integers (a crawl
    compares every candidate): a bin is equal where ``a ^ b`` is zero, empty in both where
    ``a & b`` is all ones (either test reads the same in any byte order)."""
    ia, ib = int.from_bytes(a, "little"), int.from_bytes(b, "little")
    equal = memoryview((ia ^ ib).to_bytes(len(a), "little")).cast("I").tolist().count(0)
    both_empty = memoryview((ia & ib).to_bytes(len(a), "little")).cast("I").tolist().count(EMPTY)
    used = BINS - both_empty
    return (equal - both_empty) / used if used else 1.0


def band_keys(site: str, signature: bytes) -> list[int]:
    """Signed 64-bit index keys, one per band of ``BAND_BINS`` bins, salted with the site (a
    near-duplicate is looked for within one site). Bands left empty by a short body are
    skipped. Remembered for the last few signatures: the store looks a new article up by its
    keys, then indexes it under the same keys."""
    return list(_band_keys(site, bytes(signature)))


@lru_cache(maxsize=256)
def _band_keys(site: str, signature: bytes) -> tuple[int, ...]:
    width = BAND_BINS * 4
    empty = struct.pack(f"<{BAND_BINS}I", *[EMPTY] * BAND_BINS)
    keys = []
    for band, start in enumerate(range(0, len(signature), width)):
        chunk = signature[start:start + width]
        if chunk != empty:
            salted = b"%s\0%d\0%s" % (site.encode("utf-8"), band, chunk)
            digest = hashlib.blake2b(salted, digest_size=8).digest()
            keys.append(int.from_bytes(digest, "big", signed=True))
    return tuple(keys)
