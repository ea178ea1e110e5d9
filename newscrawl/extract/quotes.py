"""Direct quotations in a body, with who said them.

Quote marks: straight and curly double quotes (mismatched pairs accepted), guillemets and
low-high German quotes; a quote running over several paragraphs (each opening with a mark,
none closing until the end) is one quote. Scare quotes of one or two words are kept only
when attributed. The speaker is found after the quote (``," Azimi said``, ``," said the
minister``) or before it (``Azimi said, "...``, ``According to the palace, X plans "...``);
pronouns and bare surnames are resolved to the fullest name used earlier in the article.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from newscrawl.extract.attribution import (
    speaker_after,
    speaker_at_end,
    speaker_before,
    speaker_introduced,
    speaker_named_before,
)
from newscrawl.extract.cues import CUE_AT_END, INVERTED
from newscrawl.extract.quote_titles import not_speech
from newscrawl.extract.sentences import sentence_starts
from newscrawl.extract.speakers import NameIndex, clean_speaker
from newscrawl.items import Quote

OPENERS = {"“": "”\"", '"': '"”', "«": "»", "„": "“”\"", "»": "«", "‘": "’"}  # ‘British’ quotes too
QUOTE_MARKS = re.compile("[" + re.escape("".join(sorted({*OPENERS, *"".join(OPENERS.values())}))) + "]")
ELIDED = re.compile(r"\d|(?:bout|em|til|cause|tis|twas|n)\b", re.IGNORECASE)
"""What follows an apostrophe typed as an opening single quote: ‘08, ‘bout, ‘em, rock ‘n’ roll."""
SIGNATURE = re.compile(r"\n\s*(?P<name>[A-Z][^\n“”\"]{2,100}?)[.\s]*$")
MAX_SIGNATURE_WORDS = 10
SENTENCE_WORDS = {"is", "was", "are", "were", "said", "says", "has", "have", "had", "will", "would", "i",
                  "we"}
"""Words that make a last line a sentence, not a pull quote's signature."""
WORD = re.compile(r"\w+")
MAX_BEFORE = 400  # characters of the sentence before a quote read for its speaker: linear time
MAX_AFTER = 400  # characters after a quote read for its speaker


def _spans(paragraphs: list[str]) -> list[tuple[int, int, int, int]]:
    """(start paragraph, start offset, end paragraph, end offset) of each quoted span; the
    offsets are those of the quote marks. Curly quotes inside a straight one are nested in it
    (``"He said “no” twice," X said.``), and are quotes of their own only when the straight mark
    never closes (a stray mark)."""
    spans: list[tuple[int, int, int, int]] = []
    open_at: tuple[int, int, str] | None = None
    nested: list[tuple[int, int, int, int]] = []  # curly quotes inside the open straight one
    nested_at = -1
    for index, text in enumerate(paragraphs):
        left_guillemets = "«" in text
        indent = len(text) - len(text.lstrip())  # a continued paragraph's repeated mark is not nested
        if open_at is not None and not text.lstrip().startswith(tuple(OPENERS)):
            spans += nested  # an unclosed quote that the next paragraph does not continue
            open_at, nested = None, []
        nested_at = -1
        for mark in QUOTE_MARKS.finditer(text):  # only the marks: every other character does nothing
            position, char = mark.start(), mark.group()
            if open_at is None and char in OPENERS and (char != "»" or not left_guillemets):
                if (position == 0 or not (text[position - 1].isalnum() or text[position - 1] == "=")) \
                        and not (char == "‘" and ELIDED.match(text, position + 1)):  # ‘08, ‘bout
                    open_at = (index, position, char)
            elif open_at is not None and open_at[2] == '"' and char == "“" and not _turned(text, position) \
                    and position > (open_at[1] + 1 if open_at[0] == index else indent):
                nested_at = position
            elif nested_at >= 0 and char == "”":
                nested.append((index, nested_at, index, position))
                nested_at = -1
            elif open_at is not None and _closes(text, position, open_at[2]) \
                    and position > open_at[1] + 1 and (open_at[0] < index or position > open_at[1]):
                if position + 1 >= len(text) or not text[position + 1].isalnum() or char == "”":
                    spans.append((open_at[0], open_at[1], index, position))
                    open_at, nested = None, []
            elif open_at is not None and open_at[0] < index and position == 0 and char in OPENERS:
                pass  # the repeated opening mark of a continued paragraph
        if open_at is not None and (index + 1 == len(paragraphs)
                                    or not paragraphs[index + 1].lstrip().startswith(tuple(OPENERS))):
            spans += nested
            open_at, nested = None, []
    return sorted(spans)


def _closes(text: str, position: int, opened: str) -> bool:
    """Whether the mark at ``position`` may close a quote opened with ``opened``: its own closing
    marks, or an opening curly mark typed for the closing one."""
    return text[position] in OPENERS[opened] or (opened in "“\"" and _turned(text, position))


def _turned(text: str, position: int) -> bool:
    """An opening curly mark typed for a closing one: “Wins“ that (right after a word or its
    punctuation, before a space, punctuation or the end)."""
    return text[position] == "“" and position > 0 and not text[position - 1].isspace() \
        and (position + 1 == len(text) or not text[position + 1].isalnum())


def _quote_text(paragraphs: list[str], span: tuple[int, int, int, int]) -> str:
    p0, o0, p1, o1 = span
    if p0 == p1:
        return paragraphs[p0][o0 + 1:o1].strip()
    parts = [paragraphs[p0][o0 + 1:], *paragraphs[p0 + 1:p1], paragraphs[p1][:o1]]
    return " ".join(part.strip().lstrip("“\"«„") for part in parts).strip()


class _Sentences:
    """Where sentences start in each paragraph, found once per paragraph (not once per quote)."""

    def __init__(self, paragraphs: list[str]):
        self.paragraphs = paragraphs
        self.starts: dict[int, list[int]] = {}

    def start(self, index: int, offset: int) -> int:
        """The start of the sentence holding ``offset`` (a quote mark may open the sentence),
        at most ``MAX_BEFORE`` characters back."""
        if index not in self.starts:
            self.starts[index] = sentence_starts(self.paragraphs[index])
        starts = self.starts[index]
        found = bisect_right(starts, offset)
        return max(starts[found - 1] if found else 0, offset - MAX_BEFORE)


def find_quotes(paragraphs: list[str]) -> list[Quote]:
    """Every direct quotation in ``paragraphs`` (the body, in order)."""
    names: NameIndex | None = None  # built for the first speaker to resolve: most pages have none
    sentences = _Sentences(paragraphs)
    quotes: list[Quote] = []
    pulled: list[int] = []  # pull quotes: signed on a line of their own
    previous_speaker, previous_cue, previous_paragraph, previous_end = "", "", -2, (-1, -1)
    for span in _spans(paragraphs):
        text, signer = _signed(_quote_text(paragraphs, span).strip(" ,"))
        p0, o0, p1, o1 = span
        opening, closing = paragraphs[p0], paragraphs[p1]
        before = opening[sentences.start(p0, o0):o0]
        after = closing[o1 + 1:o1 + 1 + MAX_AFTER]
        raw = _quote_text(paragraphs, span)
        speaker, cue = (signer, "") if signer else speaker_after(after, raw)
        speaker_at = (p0, o0)
        if not speaker:
            speaker, cue = speaker_before(before, previous_speaker)
            speaker_at = (p0, o0 - len(before))  # a pronoun opening the sentence: names before it
        if not speaker:
            speaker, cue = speaker_at_end(after)
        if not speaker and not before.strip() and p0 and o0 == len(opening) - len(opening.lstrip()):
            speaker, cue = speaker_introduced(paragraphs[p0 - 1][-MAX_BEFORE:])
            if not speaker and p0 - previous_paragraph > 1 and (o1 + 2 >= len(closing.rstrip())):
                speaker, cue = speaker_named_before(paragraphs[p0 - 1][-MAX_BEFORE:])
        words = len(text.split())
        partial = bool(before.strip()) and not CUE_AT_END.search(before) and not INVERTED.match(before)
        goes_on = not speaker and not partial and previous_speaker and p0 - previous_paragraph <= 1
        said = speaker or (goes_on and text.endswith((".", "!", "?")))  # “Big time.” after a quote of X
        if not text or (words <= 2 and not said) or not_speech(opening[:o0], raw, after):
            continue  # a scare quote, or the title of a book, a show, a report
        resolved = ""
        if speaker:
            names = names if names is not None else NameIndex(paragraphs)
            resolved = names.resolve(clean_speaker(speaker), before_offset=speaker_at,
                                     previous=(previous_speaker, previous_end))
        if not resolved and not partial and previous_speaker and p0 - previous_paragraph <= 1:
            resolved, cue = previous_speaker, previous_cue  # the speaker quoted just before goes on
        if resolved:
            previous_speaker, previous_cue, previous_paragraph, previous_end = resolved, cue, p1, (p1, o1)
        quotes.append(Quote(text=text.rstrip(",") if not text.endswith(".,") else text[:-1],
                            speaker=resolved, cue=cue, partial=partial))
        pulled += [len(quotes) - 1] if signer else []
    return _without_repeats(quotes, pulled)


def _signed(text: str) -> tuple[str, str]:
    """A pull quote signed on a line of its own ("We will win.\nJane Doe, Union of Things."):
    the quote and the signature, else ``text`` and ""."""
    signature = SIGNATURE.search(text)
    if not signature or not text[:signature.start()].rstrip().endswith((".", "!", "?")) \
            or len(signature.group("name").split()) > MAX_SIGNATURE_WORDS \
            or set(signature.group("name").lower().split()) & SENTENCE_WORDS:
        return text, ""
    return text[:signature.start()].rstrip(), signature.group("name").split(",")[0]  # the name, not the group


def _without_repeats(quotes: list[Quote], pulled: list[int]) -> list[Quote]:
    """``quotes`` without the pull quotes (indices ``pulled``) that repeat another quote's words."""
    if not pulled:
        return quotes
    keys = [" ".join(WORD.findall(q["text"].lower())) for q in quotes]
    repeats = {i for i in pulled if any(keys[i] in key for j, key in enumerate(keys) if j != i)}
    return [q for i, q in enumerate(quotes) if i not in repeats]

