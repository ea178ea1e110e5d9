"""Who is speaking: clean a speaker phrase and resolve pronouns and bare surnames to the
fullest name the article used before."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import cached_property
from typing import Any

from newscrawl.extract import gender
from newscrawl.extract.cues import NOT_SUBJECTS, SUBJECT
from newscrawl.extract.sentences import HONORIFICS, sentence_starts
from newscrawl.extract.speaker_words import CALENDAR, CLAUSE_WORDS, ORGANISATION_WORDS, PLACE_STARTS, TITLES

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
RELATIVE = re.compile(r"\s+(?:who|which|that)(?:\s+.*)?$")
TRAILING_ADVERB = re.compile(r"(?:(?<=\w)\s+(?:later|also|then|again|further|previously|earlier|once|too|"
                             r"separately|meanwhile|have|has|had|was|were|is|are|would|will|had|"
                             r"recently|reportedly|privately|publicly|was quoted as|is quoted as))+$",
                             re.IGNORECASE)  # "He later" (added), "Treasury sources have" (admitted)
MAX_PHRASE_WORDS = 16
HONORIFIC = re.compile(rf"^(?:(?:{'|'.join(HONORIFICS)})\.\s+)+")
PARENTHESES = re.compile(r"\s*\([^()]*\)")
CAPITALISED = re.compile(r"[A-Z][\w’'-]+")  # "DeMoro", "McCaskill" too
RELATIVE_START = re.compile(r"(?:who|which|whose|whom)\b")
LOOK_BACK = 40
MAX_SUBJECT_CHARS = 200  # characters of a sentence's start read for its subject
PRONOUN_SUBJECTS = {"He", "She", "They"}  # earlier names read for one that agrees with a pronoun: linear time


def _names_head(head: str) -> bool:
    """Whether the part before the first comma names the speaker ("Sen. Ben Sasse, a member of ...",
    "campaign chairman John Podesta, who ...") rather than opening the sentence ("Addressing her
    followers on Sunday, Smith")."""
    words = HONORIFIC.sub("", head).split()
    return bool(words) and bool(CAPITALISED.fullmatch(words[-1])) and words[-1] not in CALENDAR \
        and not words[0].endswith("ing") and not any(w.lower() in CLAUSE_WORDS for w in words)


def _the_name(phrase: str) -> str:
    """A description before a name keeps the name: "former Massachusetts congressman Barney Frank"
    -> "Barney Frank"; "Sen. Ben Sasse" -> "Ben Sasse"; "Mr. Rove" and "the Trump campaign" stay."""
    bare = HONORIFIC.sub("", phrase)
    runs = list(NAME.finditer(bare))
    if not runs or runs[-1].end() != len(bare):
        return phrase
    name = _person(runs[-1].group(0))
    return name if len(name.split()) >= 2 else phrase


def clean_speaker(phrase: str) -> str:
    """"In response, the Taliban spokesman " -> "the Taliban spokesman"; "Sultan Musavi, the
    police chief of X" -> "Sultan Musavi"; a relative clause ("who also spoke to ...") goes."""
    phrase = re.split(r"[”\"»]", " ".join(phrase.split()))[-1]  # after the end of an earlier quote
    phrase = re.split(r"\s[—–]\s", phrase)[-1]  # after a dateline: "WASHINGTON (UPI) — Hillary Clinton"
    phrase = PARENTHESES.sub("", LEADING_ADVERBIAL.sub("", phrase)).strip(" ,:;")
    phrase = phrase.rsplit("(", 1)[-1]  # an aside still open: "... for what it is (Raphael Lemkin"
    clauses = [c for c in phrase.split(", ") if not RELATIVE_START.match(c)] or [phrase]
    phrase = ", ".join(clauses)  # "Sen. Claire McCaskill, who has endorsed Clinton," (said)
    head, comma, rest = phrase.partition(", ")
    if comma and NAME.fullmatch(HONORIFIC.sub("", rest)) and len(rest.split()) <= 4:
        phrase = rest  # "Cruz, Blackwell" (wrote): the name after the comma speaks
    elif comma and _names_head(head):
        phrase = head
    elif comma:  # "Addressing her followers, Smith" (said): the clause that holds the cue
        phrase = LEADING_ADVERBIAL.sub("", phrase.rsplit(", ", 1)[-1]).strip(" ,:;")
    phrase = TRAILING_ADVERB.sub("", RELATIVE.sub("", phrase).strip(" ,")).strip(" “”\"‘’«»„")
    if len(phrase.split()) > MAX_PHRASE_WORDS:  # a whole clause, not a speaker: its last name, if any
        names = [m.group(0) for m in NAME.finditer(phrase) if len(m.group(0).split()) >= 2]
        phrase = names[-1] if names else ""
    if len(phrase.split()) == 1 and phrase.islower() and phrase not in PRONOUNS:
        return ""  # "once" (said): not a speaker
    return _the_name(phrase)


def _person(run: str) -> str:
    """A capitalised run without leading titles: "Baghlan MP Mamoor Ahmadzai" -> "Mamoor Ahmadzai"."""
    tokens = run.split()[-3:]
    while len(tokens) > 1 and (tokens[0].lower() in TITLES or tokens[0].lower() in SENTENCE_ADVERBS
                               or tokens[0].isupper()):
        tokens = tokens[1:]
    if len(tokens) == 3 and tokens[1].lower() in gender.FIRST_NAMES \
            and tokens[0].lower() not in gender.FIRST_NAMES:
        tokens = tokens[1:]  # "Fault Ted Cruz" (a headline word before a name) -> "Ted Cruz"
    return " ".join(tokens)


def _a_person(name: str) -> bool:
    """Whether a capitalised run may be a person ("New York Post", "State Department" may not)."""
    words = name.split()
    return words[0] not in PLACE_STARTS and not any(
        w.strip("’'s") in ORGANISATION_WORDS or w in ORGANISATION_WORDS for w in words)


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
        self.paragraphs = paragraphs
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

    # Read only for a pronoun (most speakers are named): found when first asked for.
    @cached_property
    def surname_gender(self) -> dict[str, str]:
        return gender.by_surname(self.paragraphs)

    @cached_property
    def subject_positions(self) -> list[tuple[int, int]]:
        return [where for where, _ in self.subjects]

    @cached_property
    def subjects(self) -> list[tuple[tuple[int, int], str]]:
        """The person opening each sentence ("Calderon intimated ...", "Walsh, a former labor leader,
        had ..."), as the fullest name known there: what a later he/she most often stands for."""
        found = []
        for index, text in enumerate(self.paragraphs):
            for start in (0, *sentence_starts(text)):
                match = SUBJECT.match(text[start:start + MAX_SUBJECT_CHARS])
                who = HONORIFIC.sub("", match.group("who")) if match else ""
                if not who or who.split()[0] in NOT_SUBJECTS or who in PRONOUN_SUBJECTS or not _a_person(who):
                    continue
                longest = self._last_before(self.longest, who.split()[-1], (index, start + 1))
                found.append(((index, start), str(longest) if longest else _person(who)))
        return found

    def _last_before(self, table: dict[str, tuple[list[tuple[int, int]], list[Any]]], key: str,
                     offset: tuple[int, int]) -> Any:
        positions, values = table.get(key, ([], []))
        found = bisect_left(positions, offset)
        return values[found - 1] if found else None

    def gender_of(self, name: str) -> str:
        words = name.split()
        return gender.of_words(words) or (self.surname_gender.get(words[-1], "") if words else "")

    def _pronoun(self, pronoun: str, earlier: int, previous: tuple[str, tuple[int, int]] | None,
                 at: tuple[int, int]) -> str:
        """The person a pronoun stands for: the subject of a sentence since the last quote, else the
        nearest name before it, either agreeing in gender; the speaker quoted just before wins over
        names that came before that quote."""
        since = bisect_right(self.positions, previous[1]) if previous and previous[0] else earlier
        subject = bisect_left(self.subject_positions, at) - 1
        quoted = previous[1] if previous and previous[0] else (-1, -1)
        if subject >= 0 and self.subject_positions[subject] > quoted:
            name = self.subjects[subject][1]
            if gender.agrees(pronoun, self.gender_of(name)):
                return name  # the person the last sentence was about
        for index in range(earlier - 1, max(-1, earlier - 1 - LOOK_BACK), -1):
            if previous and previous[0] and index < since \
                    and gender.agrees(pronoun, self.gender_of(previous[0])):
                return previous[0]
            name = self.mentions[index][1]
            if gender.agrees(pronoun, self.gender_of(name)) and _a_person(name):
                return name
        if previous and previous[0] and gender.agrees(pronoun, self.gender_of(previous[0])):
            return previous[0]
        return pronoun

    def resolve(self, speaker: str, before_offset: tuple[int, int],
                previous: tuple[str, tuple[int, int]] | None = None) -> str:
        """A pronoun -> the speaker quoted just before (``previous``: name, where that quote
        ended) when nobody was named since, else the last name before the quote, either agreeing
        in gender with ``he``/``she``; a surname, a partial name or ``Mr. Surname`` -> the fullest
        earlier name ending with it; anything else as written."""
        earlier = bisect_left(self.positions, before_offset)
        if speaker.lower() in PRONOUNS:
            return self._pronoun(speaker.lower(), earlier, previous, before_offset)
        bare = HONORIFIC.sub("", speaker)
        words = bare.split()
        if words and NAME.fullmatch(bare) and len(words) <= 2:
            longest = self._last_before(self.longest, words[-1], before_offset)
            if longest is not None and len(longest) >= len(bare):
                return str(longest)
            first = self._last_before(self.firsts, words[0], before_offset) if len(words) == 1 else None
            if first is not None and bare == speaker:  # "Tamara" after "Tamara Abraham", no other Tamara
                return str(first)
        if bare == speaker and NAME.fullmatch(speaker):
            return _person(speaker) if len(words) > 1 else speaker
        return speaker
