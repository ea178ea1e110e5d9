"""The seed article: a real Press TV article (text as published) shipped in ``data/``."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

SEED_NAME = "presstv-ninth-provincial-capital"
FOOTER_START = "Press TV’s website can also be accessed at the following alternate addresses:"
ROKU = "Press TV News Roku"
_CREDIT = re.compile(r"\s*\(Photo by ([^)]+)\)\s*$")


@dataclass(frozen=True)
class SeedText:
    """The seed article split into the parts the mock page renders."""

    breadcrumb: tuple[str, ...]
    headline: str
    caption: str
    credit: str
    blocks: tuple[tuple[str, str], ...]
    """("p" | "h2", text as published, trailing spaces kept) in page order."""


def _read(name: str) -> str:
    return (resources.files("newscrawl.testing.mocksite") / "data" / name).read_text(encoding="utf-8")


def seed_expected() -> dict[str, Any]:
    """The seed article's expected extraction (``*.expected.json``)."""
    data: dict[str, Any] = json.loads(_read(SEED_NAME + ".expected.json"))
    return data


def load_seed() -> SeedText:
    """Parse the seed text: breadcrumb, headline, captioned credit, then paragraphs up to the
    alternate-addresses footer; subheadings are the expected file's ``subheadings``."""
    chunks = [c for c in re.split(r"\n\s*\n", _read(SEED_NAME + ".txt")) if c.strip()]
    breadcrumb = tuple(part.strip() for part in chunks[0].split("/"))
    headline = chunks[1].strip()
    match = _CREDIT.search(chunks[2])
    if match is None:
        raise ValueError("seed article: the caption has no (Photo by ...) credit")
    caption = chunks[2][: match.start()].strip()
    subheadings = {" ".join(s.split()) for s in seed_expected()["subheadings"]}
    blocks: list[tuple[str, str]] = []
    for chunk in chunks[3:]:
        text = chunk.strip("\n")
        if text.strip() == FOOTER_START:
            break
        blocks.append(("h2" if " ".join(text.split()) in subheadings else "p", text))
    return SeedText(breadcrumb, headline, caption, match.group(1).strip(), tuple(blocks))
