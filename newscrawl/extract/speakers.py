"""Who is speaking: clean a speaker phrase and resolve pronouns and bare surnames to the
fullest name the article used before."""

from __future__ import annotations

import re

TITLES = {
    "president", "prime", "minister", "governor", "deputy", "spokesperson", "spokesman", "spokeswoman",
    "secretary", "general", "chief", "commander", "director", "mayor", "senator", "representative",
    "ambassador", "envoy", "king", "queen", "prince", "sheikh", "ayatollah", "mr", "mrs", "ms", "dr",
    "mp", "un", "us", "eu", "high", "commissioner", "human", "rights", "foreign", "defense", "defence",
    "interior", "police", "army", "lieutenant", "colonel", "major", "brigadier", "captain", "former",
    "acting", "leader", "speaker", "chairman", "head", "officer", "official", "professor", "judge",
    "the", "a", "an", "meanwhile", "in", "on", "at", "but", "and", "however", "separately",
}
PRONOUNS = {"he", "she", "they", "it", "we", "i"}
WORD = r"(?:[A-Z][a-z'’-]+|[A-Z]{2,}|[A-Z][a-z]+-[a-z]+-[A-Z][a-z]+)"
NAME = re.compile(rf"\b{WORD}(?:\s+{WORD})*")
LEADING_ADVERBIAL = re.compile(r"^\s*(?:in response|meanwhile|separately|however|earlier|later|also|"
                               r"in a statement|on \w+|in \w+)\s*,\s*", re.IGNORECASE)
RELATIVE = re.compile(r"\s+(?:who|which|that)\s+.*$")


def clean_speaker(phrase: str) -> str:
    """"In response, the Taliban spokesman " -> "the Taliban spokesman"; "Sultan Musavi, the
    police chief of X" -> "Sultan Musavi"; a relative clause ("who also spoke to ...") goes."""
    phrase = LEADING_ADVERBIAL.sub("", " ".join(phrase.split())).strip(" ,:;")
    head, comma, _rest = phrase.partition(", ")
    if comma and NAME.fullmatch(head):
        phrase = head
    return RELATIVE.sub("", phrase).strip(" ,")


def _person(run: str) -> str:
    """A capitalised run without leading titles: "Baghlan MP Mamoor Ahmadzai" -> "Mamoor Ahmadzai"."""
    tokens = run.split()[-3:]
    while len(tokens) > 1 and (tokens[0].lower() in TITLES or tokens[0].isupper()):
        tokens = tokens[1:]
    return " ".join(tokens)


class NameIndex:
    """Every person-like name of a text, in order, to resolve a later mention."""

    def __init__(self, paragraphs: list[str]):
        self.mentions: list[tuple[tuple[int, int], str]] = []
        for index, text in enumerate(paragraphs):
            for match in NAME.finditer(text):
                name = _person(match.group(0))
                if len(name.split()) >= 2:
                    self.mentions.append(((index, match.start()), name))

    def resolve(self, speaker: str, before_offset: tuple[int, int]) -> str:
        """A pronoun -> the last full name before the quote; a surname or partial name -> the
        fullest earlier name ending with it; anything else as written."""
        earlier = [name for where, name in self.mentions if where < before_offset]
        if speaker.lower() in PRONOUNS:
            return earlier[-1] if earlier else speaker
        words = speaker.split()
        if words and NAME.fullmatch(speaker) and len(words) <= 2:
            matches = [n for n in earlier if n.split()[-1] == words[-1] and len(n) >= len(speaker)]
            if matches:
                return max(matches, key=len)
        if NAME.fullmatch(speaker):
            return _person(speaker) if len(words) > 1 else speaker
        return speaker
