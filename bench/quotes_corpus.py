"""The annotated quotes corpus (PolNeAR, ``shared/data/quotes/polnear-train.jsonl``) as gold quotes:
each quote-marked part of an attribution's content is one direct quote, whose speaker is that
attribution's source. Read by path, never copied into the project (no licence is stated).

Leave-out split: by publisher. ``DEV`` is what extraction is tuned on; ``HELD_OUT`` is only
scored, to check the rules carry over to publishers they were not written for."""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "data" / "quotes" / "polnear-train.jsonl"
DEV = ("breitbart", "huff-post", "nyt", "politico")
HELD_OUT = ("usa-today", "wash-post", "west-journal")
OPEN, CLOSE = "“\"", "”\""
PRONOUNS = {"he", "she", "they", "i", "we", "you", "it", "his", "her", "him", "them", "who", "which",
            "that", "this", "its", "their", "me", "us", "our", "my", "whom", "whose"}
TITLES = r"\b(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Adm|Rev|Prof|Pres|Sens|Reps)\."
HONORIFIC = re.compile(rf"{TITLES}\s*$")
HONORIFIC_IN = re.compile(rf"{TITLES}\s+[A-Z]")
ORGANISATION = re.compile(
    r"\b(?:campaign|committee|party|department|spokes(?:man|woman|person)|office|agency|administration|"
    r"council|court|lawsuit|report|statement|email|e-mail|memo|documents?|network|newspaper|paper|times|"
    r"post|journal|news|group|organization|association|union|coalition|foundation|institute|center|"
    r"white house|pentagon|fbi|cia|gop|rnc|dnc|pac|poll|survey|study|ad|website|letter|release|aides?|"
    r"officials?|sources?|staff|team|board|commission|service|company|corporation|inc|bureau)\b", re.I)


@dataclass(frozen=True)
class Gold:
    text: str
    source: str
    form: str
    """honorific, description, organisation, earlier paragraph, name, pronoun or none."""
    proxy: str = ""
    """For a pronoun source: the nearest earlier named source of the article (a stand-in)."""


@dataclass
class Story:
    id: str
    publisher: str
    title: str
    paragraphs: list[str]
    gold: list[Gold] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"https://{self.publisher}.example/{self.id}"

    def html(self) -> bytes:
        """The article as a simple page: headline, then one <p> per paragraph."""
        body = "".join(f"<p>{html.escape(p)}</p>\n" for p in self.paragraphs)
        title = html.escape(self.title)
        return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>'
                f"<body><article><h1>{title}</h1>\n{body}</article></body></html>").encode()


def quoted_parts(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of each quote-marked part of ``text[start:end]``, marks excluded; a quote going
    on into the next paragraph (which opens with a mark again) is one part. A span the annotators
    began just inside the opening mark, or ended just before the closing one (``I have earned 9
    million votes ...,”`` with the opening mark left out), still holds that quote."""
    parts: list[tuple[int, int]] = []
    opened = start if _opens_at(text, start) else -1
    position = start
    while position < end:
        char = text[position]
        if opened < 0 and char in OPEN:
            opened = position + 1
        elif opened >= 0 and (char in CLOSE or _turned(text, position)) and position > opened \
                and not (char == '"' and text[position - 2:position] == "\n\n"):  # a continued paragraph's
            parts.append((opened, position))
            opened = -1
        position += 1
    if opened >= 0 and _closes_at(text, end):
        parts.append((opened, end))
    return parts


def _turned(text: str, position: int) -> bool:
    """An opening curly mark typed for a closing one: ``“Wins“ that`` (after a word, before no word)."""
    return text[position] == "“" and not text[position - 1].isspace() \
        and (position + 1 == len(text) or not text[position + 1].isalnum())


def _opens_at(text: str, start: int) -> bool:
    """Whether an opening mark comes right before ``start`` (a word starts there, and no word
    ends right before the mark: not the closing mark of an earlier quote)."""
    return 0 < start < len(text) and text[start - 1] in OPEN and not text[start].isspace() \
        and (start < 2 or not text[start - 2].isalnum())


def _closes_at(text: str, end: int) -> bool:
    """Whether a closing mark follows ``end``, maybe after the sentence's punctuation."""
    after = text[end:end + 3].lstrip(",.?!;:")
    return bool(after) and after[0] in CLOSE and (len(after) < 2 or not after[1].isalnum())


def names_someone(source: str) -> bool:
    words = source.lower().split()
    return bool(words) and not all(w.strip(",.") in PRONOUNS for w in words)


def form_of(text: str, source: str, source_span: tuple[int, int], quote_start: int) -> str:
    if not source.strip():
        return "none"
    if not names_someone(source):
        return "pronoun"
    if text.count("\n\n", 0, source_span[0]) < text.count("\n\n", 0, quote_start):
        return "earlier paragraph"
    before = text[max(0, source_span[0] - 6):source_span[0]]
    if HONORIFIC.search(before) or HONORIFIC_IN.search(source):
        return "honorific"
    if ORGANISATION.search(source) or not any(w[:1].isupper() for w in source.split()):
        return "organisation"
    words = source.split()
    if len(words) > 2 and (source[:1].islower() or "," in source or words[0] in ("The", "A")):
        return "description"
    return "name"


def _gold(row: dict) -> list[Gold]:
    text = row["text"]
    found: dict[tuple[int, int], tuple[int, Gold]] = {}
    named: list[tuple[int, str]] = []
    for a in sorted(row["attributions"], key=lambda a: a["source_span"][0] if a["source_span"] else 0):
        if a.get("source_span") and names_someone(a["source"]):
            named.append((a["source_span"][0], a["source"]))
    for a in row["attributions"]:
        c0, c1 = a["content_span"]
        span = tuple(a["source_span"]) if a.get("source_span") else (c0, c0)
        for q0, q1 in quoted_parts(text, c0, c1):
            if text.rfind("<", 0, q0) > text.rfind(">", 0, q0):
                continue  # an attribute of embedded markup (<tweet author="...">), not a quote
            quote = " ".join(text[q0:q1].replace("\n\n“", " ").replace('\n\n"', " ").split()).strip(" ,")
            if len(quote) < 2:
                continue
            form = form_of(text, a["source"], span, q0)  # type: ignore[arg-type]
            proxy = ""
            if form == "pronoun":
                earlier = [s for at, s in named if at < span[0]]
                proxy = earlier[-1] if earlier else ""
            gold = Gold(text=quote, source=a["source"], form=form, proxy=proxy)
            if (q0, q1) not in found or c1 - c0 < found[(q0, q1)][0]:  # the innermost attribution
                found[(q0, q1)] = (c1 - c0, gold)
    return [gold for _, (_, gold) in sorted(found.items())]


def load(path: Path = DEFAULT_CORPUS, publishers: tuple[str, ...] | None = None) -> list[Story]:
    stories = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        publisher = row["id"].split("_")[0]
        if publishers is not None and publisher not in publishers:
            continue
        title, *paragraphs = [p.strip() for p in row["text"].split("\n\n")]
        stories.append(Story(row["id"], publisher, title, [p for p in paragraphs if p], _gold(row)))
    return stories
