"""Who is speaking: clean a speaker phrase and resolve pronouns and bare surnames to the
fullest name the article used before."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from typing import Any

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
LEADING_ADVERBIAL = re.compile(r"^\s*(?:(?:in response|meanwhile|separately|however|earlier|later|also|"
                               r"in a statement|on \w+|in \w+)\s*,\s*|(?:perhaps|still|now|then|so|yet|"
                               r"but|and|indeed|instead|finally|ultimately|while|though|although|as|"
                               r"because|when|if|after|before|since)\s+|[—–-]\s*)", re.IGNORECASE)
SENTENCE_ADVERBS = {"says", "said", "adds", "added", "writes", "wrote", "asks", "asked", "tells", "told",
                    "perhaps", "still", "now", "then", "so", "yet", "but", "and", "indeed", "instead",
                    "while", "though", "although", "when", "if", "after", "before", "since", "because", "as"}
RELATIVE = re.compile(r"\s+(?:who|which|that)\s+.*$")
TRAILING_ADVERB = re.compile(r"(?:(?<=\w)\s+(?:later|also|then|again|further|previously|earlier|once|too|"
                             r"separately|meanwhile|have|has|had|was|were|is|are|would|will|had|"
                             r"recently|reportedly|privately|publicly|was quoted as|is quoted as))+$",
                             re.IGNORECASE)  # "He later" (added), "Treasury sources have" (admitted)
MAX_PHRASE_WORDS = 16


def clean_speaker(phrase: str) -> str:
    """"In response, the Taliban spokesman " -> "the Taliban spokesman"; "Sultan Musavi, the
    police chief of X" -> "Sultan Musavi"; a relative clause ("who also spoke to ...") goes."""
    phrase = re.split(r"[”\"»]", " ".join(phrase.split()))[-1]  # after the end of an earlier quote
    phrase = LEADING_ADVERBIAL.sub("", phrase).strip(" ,:;")
    head, comma, _rest = phrase.partition(", ")
    if comma and NAME.fullmatch(head):
        phrase = head
    elif comma:  # "Addressing her followers, Smith" (said): the clause that holds the cue
        phrase = LEADING_ADVERBIAL.sub("", phrase.rsplit(", ", 1)[-1]).strip(" ,:;")
    phrase = TRAILING_ADVERB.sub("", RELATIVE.sub("", phrase).strip(" ,")).strip(" “”\"‘’«»„")
    if len(phrase.split()) > MAX_PHRASE_WORDS:  # a whole clause, not a speaker: its last name, if any
        names = [m.group(0) for m in NAME.finditer(phrase) if len(m.group(0).split()) >= 2]
        phrase = names[-1] if names else ""
    if len(phrase.split()) == 1 and phrase.islower() and phrase not in PRONOUNS:
        return ""  # "once" (said): not a speaker
    return phrase


def _person(run: str) -> str:
    """A capitalised run without leading titles: "Baghlan MP Mamoor Ahmadzai" -> "Mamoor Ahmadzai"."""
    tokens = run.split()[-3:]
    while len(tokens) > 1 and (tokens[0].lower() in TITLES or tokens[0].lower() in SENTENCE_ADVERBS
                               or tokens[0].isupper()):
        tokens = tokens[1:]
    return " ".join(tokens)


class NameIndex:
    """Every person-like name of a text, in order, to resolve a later mention. Lookups are
    logarithmic (positions bisected; per surname the longest name so far, per first name the
    names seen so far), so a page of thousands of quotes stays linear."""

    def __init__(self, paragraphs: list[str]):
        self.mentions: list[tuple[tuple[int, int], str]] = []
        for index, text in enumerate(paragraphs):
            for match in NAME.finditer(text):
                name = _person(match.group(0))
                if len(name.split()) >= 2:
                    self.mentions.append(((index, match.start()), name))
        self.positions = [where for where, _ in self.mentions]
        self.longest: dict[str, tuple[list[tuple[int, int]], list[str]]] = {}
        self.firsts: dict[str, tuple[list[tuple[int, int]], list[str | None]]] = {}
        for where, name in self.mentions:
            words = name.split()
            positions, longest = self.longest.setdefault(words[-1], ([], []))
            best = longest[-1] if longest and len(longest[-1]) >= len(name) else name
            positions.append(where)
            longest.append(best)
            seen, unique = self.firsts.setdefault(words[0], ([], []))
            only = name if not unique or unique[-1] == name else None
            seen.append(where)
            unique.append(only if not unique or unique[-1] is not None else None)

    def _last_before(self, table: dict[str, tuple[list[tuple[int, int]], list[Any]]], key: str,
                     offset: tuple[int, int]) -> Any:
        positions, values = table.get(key, ([], []))
        found = bisect_left(positions, offset)
        return values[found - 1] if found else None

    def resolve(self, speaker: str, before_offset: tuple[int, int],
                previous: tuple[str, tuple[int, int]] | None = None) -> str:
        """A pronoun -> the speaker quoted just before (``previous``: name, where that quote
        ended) when nobody was named since, else the last full name before the quote; a surname
        or partial name -> the fullest earlier name ending with it; anything else as written."""
        earlier = bisect_left(self.positions, before_offset)
        if speaker.lower() in PRONOUNS:
            if previous and previous[0] and bisect_right(self.positions, previous[1]) >= earlier:
                return previous[0]  # nobody named between that quote and this one
            return self.mentions[earlier - 1][1] if earlier else speaker
        words = speaker.split()
        if words and NAME.fullmatch(speaker) and len(words) <= 2:
            longest = self._last_before(self.longest, words[-1], before_offset)
            if longest is not None and len(longest) >= len(speaker):
                return str(longest)
            first = self._last_before(self.firsts, words[0], before_offset) if len(words) == 1 else None
            if first is not None:  # "Tamara" after "Tamara Abraham", when no other Tamara was named
                return str(first)
        if NAME.fullmatch(speaker):
            return _person(speaker) if len(words) > 1 else speaker
        return speaker
