"""Who said a quote, read from the text around it: after it (``," Azimi said``, ``," said the
minister``, ``," Bennett shot back``, ``... sickening, Hollande said``), before it (``Azimi said,
"...``, ``According to the palace, X plans "...``, ``Says Tamara Abraham:``, the subject of a
sentence holding a partial quote) or at the end of the paragraph before (``Reporter X says:``).
Each function reads a bounded stretch of text: linear time."""

from __future__ import annotations

import re

from newscrawl.extract.cues import (
    ACCORDING,
    AFTER,
    AT_END,
    CUE,
    INVERTED,
    NOT_SUBJECTS,
    SUBJECT,
    SUBJECT_CUES,
    WHO_ENDS,
)

NOT_AFTER = {"and", "or", "but", "which", "that", "to", "as", "is", "was", "are", "were", "has", "have",
             "had", "be", "been", "in", "on", "at", "for", "with", "by", "from", "of", "not", "so", "then",
             "than",
             "while", "when", "if", "because", "it", "this", "these", "those", "what", "where", "why", "how"}
"""Words that go on the sentence after a quote: no speaker phrase starts with them."""
RELATIVE_WORD = re.compile(r"\b(?:who|which|that|whose|where|while|when)\b")
ANY_VERB = re.compile(r"^[\s,]*(?:(?P<who>(?:[A-Z][\w’'.-]*\s+){0,3}[A-Z][\w’'-]+|he|she|they)\s+"
                      r"(?P<cue>[a-z]{3,}(?:\s+(?:back|up|out|in|on))?)\b"
                      r"|(?P<described>(?:the|a|an|his|her|their|its|one)\s+[\w’'-]+(?:\s+[\w’'-]+){0,4}?)\s+"
                      r"(?P<verb>[a-z]{3,}(?:ed|s))(?=[\s.,;:]|$))")
"""A name and any verb after a quote closing on a comma: ``,” Bennett shot back``."""
CLAUSE_BREAK = re.compile(r",\s+|\s[—–]\s|\s+(?:that|while|and|but|before|after|when|as|because|since)\s+")
PASSIVE = re.compile(r"\b(?:when|if|after|before|being|was|were|is|are|been|be|how|why|whether)\s+$",
                     re.IGNORECASE)
"""Before a cue whose subject is not the speaker: "when asked about ...", "he was told"."""
SENTENCE_STOP = re.compile(r"[.!?][”\"’»]?(?:\s|$)|[“\"«„]")
COLON_VERB = re.compile(r"^\s*(?P<who>(?:(?:the|a|an|The|A|An)\s+)?(?:[\w’'.-]+\s+){0,4}?[\w’'.-]+)\s+"
                        r"(?P<verb>[a-z]{3,}(?:ed|s))\s*$")
NAME_AT_END = re.compile(r"(?:[A-Z][\w’'-]+\s+(?:and\s+)?)*[A-Z][\w’'-]+\s*$")
DESCRIBED_SUBJECT = re.compile(r"^\s*(?P<who>(?:The|A|An|Its|His|Her|Their)\s+(?:[\w’'-]+\s+){0,2}?"
                               r"[a-z][\w’'-]+)\s+(?:[a-z]{3,}(?:s|ed))\b")
"""A described subject and its verb opening a sentence with a partial quote: "The ad targets a “...”"."""
JOINERS = {"and", "but", "then", "or", "so", "also", "yet", "while", "later", "again"}
"""Words between two quotes of one speaker: "X said “...” and added “...”"."""
MAX_SUBJECT_WORDS = 8  # a subject longer than this before the first cue is a clause, not a speaker


def speaker_after(after: str, text: str) -> tuple[str, str]:
    """The speaker named right after a quote: ``," said X``, ``," X said``, ``," X shot back``
    (any verb after a quote that ends in a comma); not the next sentence's subject."""
    match = AFTER.match(after)
    if not match:
        verb = ANY_VERB.match(after) if text.endswith(",") or after.startswith(",") else None
        if verb and verb.group("described"):  # ,” a voice-over in the ad states
            return verb.group("described"), verb.group("verb")
        if not verb or verb.group("cue").split()[0] in NOT_AFTER or verb.group("cue").endswith("ly"):
            return "", ""
        return verb.group("who"), verb.group("cue")
    if match.group("cue1") in SUBJECT_CUES:  # ", adding that ...": said before
        return "", ""
    who = WHO_ENDS.sub("", match.group("who1") or "") or match.group("who2") or ""
    if match.group("who2"):
        first, head = who.split()[0].lower(), who.split(",")[0]
        if first in NOT_AFTER or first.endswith("ing") or RELATIVE_WORD.search(head) or text.endswith("."):
            return "", ""  # "“deeply flawed” and promised", "“unhinged.” Sen. Rubio called"
    cue = match.group("cue1") or match.group("cue2") or ""
    if len(who.split(",")[0].split()) > (16 if match.group("who1") else 8):  # "according to a file by X"
        return "", ""
    return who.strip(), cue


def speaker_before(before: str, previous: str) -> tuple[str, str]:
    inverted = INVERTED.match(before)
    if inverted:
        return inverted.group("who"), inverted.group("cue").lower()
    according = ACCORDING.match(before)
    cut = max(before.rfind(mark) for mark in "”\"»“«") + 1  # cues inside an earlier quote do not count
    cues = [cue for cue in CUE.finditer(before, cut) if not PASSIVE.search(before, 0, cue.start())]
    if not cues:  # "Bush called Rubio “bright” and “young”": the cue before the earlier quote
        cut = 0
        cues = [cue for cue in CUE.finditer(before) if not PASSIVE.search(before, 0, cue.start())]
    if cues:
        cue = cues[0]
        subject = before[cut:cue.start()]
        if len(cues) > 1 and len(subject.split()) > MAX_SUBJECT_WORDS:  # "X took a job before its VP boasted"
            last = cues[-1]
            clause = CLAUSE_BREAK.split(before[:last.start()])[-1]
            if clause.strip() and len(clause.split()) <= MAX_SUBJECT_WORDS:
                cue, subject = last, clause
        if cue.group(1) in SUBJECT_CUES or not set(subject.replace(",", " ").split()) - JOINERS:
            opening = SUBJECT.match(re.split(r"\s[—–]\s", before)[-1])  # "X, an activist, backed it, saying"
            if opening and _a_subject(opening.group("who")):
                return opening.group("who"), cue.group(1)
            return (previous or subject), cue.group(1)
        if subject.rstrip().endswith((" and", " but", " then")):  # "the actor held an audition and asked"
            opening = SUBJECT.match(subject) or DESCRIBED_SUBJECT.match(subject)
            if opening and _a_subject(opening.group("who")):
                return opening.group("who"), cue.group(1)
        return subject, cue.group(1)
    if according:
        return according.group("who"), "according to"
    opening = SUBJECT.match(before)
    if opening and _a_subject(opening.group("who")):
        return opening.group("who"), ""
    if before.rstrip().endswith(":"):
        return speaker_of_colon(before.rstrip()[:-1])
    described = DESCRIBED_SUBJECT.match(before)
    return (described.group("who"), "") if described else ("", "")


def _a_subject(who: str) -> bool:
    """Whether the words opening a sentence may be its speaker ("It’s", "The", "When" may not)."""
    first = who.split()[0]
    return re.split(r"[’']", first)[0] not in NOT_SUBJECTS and not first.endswith(("ing", "ly"))


def speaker_of_colon(clause: str) -> tuple[str, str]:
    """The speaker of a quote after a colon with no cue: "the Christie supporter retorted:",
    "Republican pollster Daron Shaw:", "Mark Blumenthal and Jon Cohen:"."""
    clause = re.split(r",\s+|\s[—–-]\s", clause)[-1]
    verb = COLON_VERB.search(clause)
    if verb:
        return verb.group("who"), verb.group("verb")
    name = NAME_AT_END.search(clause)
    return (name.group(0), "") if name else ("", "")


def speaker_at_end(after: str) -> tuple[str, str]:
    """The speaker at the end of the sentence a quote sits in: "Trump’s “excesses” are sickening,
    Hollande said Tuesday."."""
    end = SENTENCE_STOP.search(after)
    found = AT_END.search(after[:end.start() if end else len(after)])
    return (found.group("who"), found.group("cue")) if found else ("", "")


def speaker_introduced(previous: str) -> tuple[str, str]:
    """The speaker of a quote opening its paragraph, named at the end of the paragraph before:
    "Reporter Jomana Karadsheh says:" or "Trump said in a statement:"."""
    if not previous.rstrip().endswith(":"):
        return "", ""
    tail = previous[max([0, *[m.end() for m in re.finditer(r"[.!?]\s+(?=[A-Z])", previous)]]):]
    inverted = INVERTED.match(tail.rstrip().rstrip(":"))
    if inverted:  # "Stated Stone:"
        return inverted.group("who"), inverted.group("cue").lower()
    found = CUE.search(tail)
    if not found:  # "as the Heritage Foundation website notes:", "Partial transcript as follows:"
        return speaker_of_colon(tail.rstrip().rstrip(":"))
    if not tail[:found.start()].strip():
        return "", ""
    return tail[:found.start()], found.group(1)


def speaker_named_before(previous: str) -> tuple[str, str]:
    """The speaker of a paragraph that is all quote, named with a cue in the last sentence of the
    paragraph before, which quotes nobody: "If anything, Ash argued in his email, ..."."""
    if any(mark in previous for mark in "“”\"«»"):
        return "", ""
    tail = previous[max([0, *[m.end() for m in re.finditer(r"[.!?]\s+(?=[A-Z])", previous)]]):]
    opening = SUBJECT.match(tail)  # "Clinton, clearly frustrated, responded by ..."
    found = CUE.search(tail)
    if found and opening and _a_subject(opening.group("who")) and opening.end("who") <= found.start():
        return opening.group("who"), found.group(1)
    for found in CUE.finditer(tail):
        subject = re.split(r",\s+", tail[:found.start()].strip(" ,"))[-1]
        named = SUBJECT.match(subject + " x") if subject else None
        if named and _a_subject(named.group("who")) and len(subject.split()) <= 4:
            return named.group("who"), found.group(1)
    return "", ""

