"""Quoted text that is not speech: the name of a work (a show, a book, a podcast, an article),
a headline, a label. Told from the quote's own shape and the few words right around it, the
same on any English news site: ``the TLC show “Cake Boss”``, ``on “Meet the Press.”``,
``Fox News’s “Hannity”``, ``the “Avatar” star``, ``“Trump’s Wall,” by Jane Doe``."""

from __future__ import annotations

import re

SMALL_WORDS = {"a", "an", "the", "of", "and", "or", "in", "on", "at", "for", "to", "with", "by", "from", "vs"}
WORKS = ("show", "program", "programme", "podcast", "series", "miniseries", "film", "movie",
         "documentary", "book", "memoir", "novel", "play", "musical", "song", "album", "column", "op-ed",
         "essay", "headline", "segment", "episode", "sitcom", "newsletter", "exhibit", "exhibition",
         "titled", "entitled")
"""Nouns (and participles) right before a quoted title: ``the podcast “So, That Happened.”``."""
WORK_BEFORE = re.compile(rf"\b(?:{'|'.join(WORKS)})\s*$")
WORK_COMMA_BEFORE = re.compile(rf"\b(?:{'|'.join(WORKS)}),\s*$")
ROLE_AFTER = re.compile(r"^\s*(?:star|stars|co-star|actor|actress|host|author|creator|showrunner|"
                        r"director|producer|writer|cast|alum|singer|hitmaker)\b")
"""A role after a quoted title: ``the “Orange Is the New Black” star``."""
BYLINE_AFTER = re.compile(r"^\s*by\s+(?:the\s+)?[A-Z]")
"""A byline after a quoted headline: ``“The club to close,” by the Times’ Ben Sisario``."""
DATED_AFTER = re.compile(r"^\s*\((?:[^()]{0,60}\s)?(?:1[89]|20)\d\d\)")
"""A year in parentheses after a quote dates a work or a slogan: ``“Jaws” (1975)``, ``(poster, 2003)``."""
ON_BEFORE = re.compile(r"\b(?:on|with|in|perform(?:s|ed|ing)?|sang|sings|singing|watch(?:es|ed|ing)?)\s*$")
"""Words before a title-shaped quote that make it a work: ``on “Meet the Press.”``, ``an interview
with “Fox News Sunday.”``, ``performed “Bridge Over Troubled Water.”``."""
LABEL_BEFORE = re.compile(r"\b(?:click(?:s|ed|ing)?|tap(?:s|ped|ping)?|press(?:ed|ing)?|select(?:ed|ing)?)"
                          r"(?:\s+(?:on|the|a))*\s*$", re.IGNORECASE)
"""A button or a link to act on: ``click “sign up.”``, ``clicking the “subscribe” button``."""
LANGUAGES = ("Latin", "Greek", "French", "Spanish", "German", "Italian", "Portuguese", "Arabic", "Hebrew",
             "Yiddish", "Russian", "Chinese", "Mandarin", "Japanese", "Korean", "Persian", "Farsi", "Turkish",
             "Hindi", "Urdu")
GLOSS_BEFORE = re.compile(rf"\b(?:(?:{'|'.join(LANGUAGES)}) for|which means|translated as|"
                          r"translates (?:as|to))\s*,?\s*$")
"""A translation: ``“Si vis pacem, para bellum,” Latin for “if you want peace, prepare for war.”``."""
SO_CALLED = re.compile(r"\bso-\s?called\s*$", re.IGNORECASE)
"""``so-called “closed” primaries``: the writer distancing a term, nobody's words."""
SENTENCE_END = re.compile(r"[.!?]\s|\n")
NEXT_QUOTE = re.compile(r"[“\"‘«„]")
POSSESSIVE_END = re.compile(r"\b[A-Z][\w.&-]*(?:’s|'s)\s*$")
MAX_TITLE_WORDS = 10


def not_speech(before: str, quoted: str, after: str) -> bool:
    """Whether the ``quoted`` text (marks left out; ``before`` and ``after`` it in its paragraph)
    names a work or is a heading rather than someone's words."""
    text = quoted.strip(" ,")
    if not text:
        return False
    if title_shaped(text) or heading(before, text, after) or ROLE_AFTER.match(after) \
            or DATED_AFTER.match(after) or SO_CALLED.search(before[-12:]) \
            or LABEL_BEFORE.search(before[-24:]) or GLOSS_BEFORE.search(before[-24:]):
        return True
    capitalised = next((char.isupper() for char in text if char.isalpha()), False)  # ‘Hamilton’ to ...
    if capitalised and BYLINE_AFTER.match(after.lstrip(",")) and (quoted.rstrip().endswith(",")
                                                                   or after.startswith(",")):
        return True  # "“The club to close,” by X" (not "“anointed” by God")
    words = len(text.split())
    if capitalised and words <= MAX_TITLE_WORDS and WORK_BEFORE.search(before[-40:]):
        return True
    named = title_shaped(text.rstrip(".")) or (words == 1 and text[:1].isupper())
    return named and bool(WORK_COMMA_BEFORE.search(before[-40:]) or POSSESSIVE_END.search(before[-40:])
                          or ON_BEFORE.search(before[-16:]))


def title_shaped(text: str) -> bool:
    """A quoted title ("The House of Hidden Meanings"): a few words, every one but the small ones
    capitalised, no sentence punctuation."""
    words = text.split()
    if not 1 < len(words) <= MAX_TITLE_WORDS or text[-1] in ".!?,;:" or text.isupper():
        return False
    if any(w[-1] in ".!?" and len(w) > 4 for w in words[:-1]):
        return False  # sentences: “Like Oakland. Or Ferguson,” (not “Mr. Smith Goes to Washington”)
    content = [w for w in words if w.lower() not in SMALL_WORDS]
    return bool(content) and all(w[0].isupper() or not w[0].isalpha() for w in content)


def heading(before: str, text: str, after: str) -> bool:
    """An all-capitals quote in an all-capitals line, a heading: ``3. FOR AFGHAN WOMEN ‘GLASS IS
    HALF FULL.’`` (not a chant in a sentence: ``“USA! USA!” the crowd chanted``)."""
    if not text.isupper() or len(text.split()) < 2:
        return False
    around = SENTENCE_END.split(before[-80:])[-1] + NEXT_QUOTE.split(after[:80], maxsplit=1)[0]
    return not any(char.islower() for char in around)
