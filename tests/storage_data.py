"""Articles for the storage, dedup and bench code: distinct, realistic-length bodies made
of pseudo-random words (deterministic by number)."""

from __future__ import annotations

import random
from typing import Any

VOCABULARY = [f"{a}{b}" for a in ("ka", "lo", "mi", "ne", "su", "ta", "ve", "zo", "ri", "pu")
              for b in ("ran", "tel", "bos", "mik", "dar", "len", "sop", "vut", "gai", "nor")]


def paragraph(rng: random.Random, length: int = 30) -> str:
    return " ".join(rng.choice(VOCABULARY) for _ in range(length)).capitalize() + "."


def body(number: int, paragraphs: int = 6) -> str:
    """A ~180-word body, different for every ``number``."""
    rng = random.Random(number)
    return "\n\n".join(paragraph(rng) for _ in range(paragraphs))


def article(number: int, site: str = "presstv", day: str = "2024-05-01",
            mirror: str = "https://www.presstv.ir", **fields: Any) -> dict[str, Any]:
    """A stored-article dict as the pipeline hands it to the store."""
    record: dict[str, Any] = {
        "url": f"https://www.presstv.ir/Detail/{day.replace('-', '/')}/{number}/story-{number}",
        "site": site, "mirror": mirror, "headline": f"Story {number}",
        "published_at": f"{day}T10:00:00+00:00", "body": body(number),
    }
    record.update(fields)
    return record
