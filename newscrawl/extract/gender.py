"""The grammatical gender an article gives a person, for ``he``/``she`` to agree with: from an
honorific the article uses (``Mr. Rove``, ``Mrs. Clinton``, ``Ms. Lopez``), else from a common
first name. Unknown stays unknown (agrees with either pronoun)."""

from __future__ import annotations

import re

MALE_TITLES = {"mr", "mister", "sir", "lord", "king", "prince", "father", "brother", "messrs", "monsieur",
               "herr", "señor", "sheikh", "ayatollah"}
FEMALE_TITLES = {"mrs", "ms", "miss", "madam", "madame", "mme", "lady", "dame", "queen", "princess", "sister",
                 "frau", "señora"}
_MALE_NAMES = """
aaron adam adrian alan albert alex alexander andrew anthony antonio arthur barack ben
benjamin bernard bernie bill billy bob bobby brad bradley brandon brian bruce carl carlos charles
charlie chris christian christopher chuck cory craig dan daniel danny darrell dave david dennis dick don
donald doug douglas dylan ed eddie edward eric ernest frank fred gary george gerald greg gregory harold
harry henry howard ian jack jacob jake james jason jay jeb jeff jeffrey jeremy jerry jesse jim jimmy joe
joel john johnny jon jonathan jordan jorge jose joseph josh joshua juan justin keith ken kenneth kevin
kurt larry lawrence lee leo louis luis marco mark martin matt matthew michael mike mitch mitt nathan
neil newt nicholas nick noah oliver patrick paul peter phil philip ralph randy ray raymond reince
richard rick rob robert roger ron ronald ross roy russell ryan sam samuel scott sean sergei stephen
steve steven ted terry thomas tim timothy todd tom tony victor vincent vladimir walter wayne william
willie
"""
MALE_NAMES = frozenset(_MALE_NAMES.split())
_FEMALE_NAMES = """
# noqa: SIM905 abigail alice alicia alison amanda amber amy andrea angela ann anna anne
barbara betty beverly brenda carla carly carol caroline catherine cheryl christina christine claire
cynthia dana deborah debbie denise diana diane donna doris dorothy elizabeth ellen emily emma evelyn
frances gloria grace hannah heather helen hillary huma irene jackie jane janet janice jean jennifer
jessica jill joan joyce judith judy julia julie karen kate katherine kathleen kathy kayleigh kelly
kellyanne kim kimberly laura lauren linda lisa lois lori louise lynn margaret maria marie marilyn martha
mary megan megyn melania melissa michelle nancy natalie nicole nikki olivia pamela patricia paula rachel
rebecca rose ruth sandra sara sarah sharon shirley sophia stephanie susan teresa theresa tiffany
victoria virginia wendy
"""
FEMALE_NAMES = frozenset(_FEMALE_NAMES.split())
FIRST_NAMES = MALE_NAMES | FEMALE_NAMES
_HONORIFIC_NAME = re.compile(r"\b(Mr|Mrs|Ms|Miss|Sir|Lady|Dame)\.?\s+((?:[A-Z][\w’'-]+\s+)*[A-Z][\w’'-]+)")


def of_words(words: list[str]) -> str:
    """"m", "f" or "" for a name (its title or first word)."""
    for word in words[:2]:
        key = word.lower().strip(".")
        if key in MALE_TITLES:
            return "m"
        if key in FEMALE_TITLES:
            return "f"
    first = next((w.lower() for w in words if w.strip(".").lower() not in MALE_TITLES | FEMALE_TITLES), "")
    return "m" if first in MALE_NAMES else "f" if first in FEMALE_NAMES else ""


def by_surname(paragraphs: list[str]) -> dict[str, str]:
    """Surname -> gender, from every ``Mr. X``/``Mrs. X``/``Ms. X`` of the article (one pass)."""
    found: dict[str, str] = {}
    for text in paragraphs:
        for match in _HONORIFIC_NAME.finditer(text):
            gender = of_words([match.group(1)])
            surname = match.group(2).split()[-1]
            found[surname] = gender if found.get(surname, gender) == gender else ""
    return found


def agrees(pronoun: str, gender: str) -> bool:
    """Whether ``he``/``she`` may stand for a person of ``gender`` (any other pronoun: yes)."""
    wanted = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f"}.get(pronoun.lower())
    return not wanted or not gender or wanted == gender
