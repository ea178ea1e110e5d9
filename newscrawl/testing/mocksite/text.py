"""Deterministic news prose for the mock site: headlines, paragraphs, quotes, subheadings.

A small phrase bank per section, filled by a seeded ``random.Random``: the same seed
always gives the same article, different articles get different bodies.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

SECTION_NAMES: dict[int, str] = {
    101: "Iran", 10101: "Politics", 10102: "Economy", 10106: "Defence", 102: "Middle East",
    103: "US", 104: "Asia-Pacific", 105: "Africa", 106: "Europe", 107: "Americas", 108: "UK",
}

# Per section: places, institutions, people as (name, role).
_PLACES = {
    101: ["Tehran", "Isfahan", "Mashhad", "Tabriz", "Shiraz", "Bandar Abbas", "Ahvaz"],
    10101: ["Tehran", "the Majlis", "Qom", "Mashhad"], 10102: ["Tehran", "Bandar Abbas", "Chabahar"],
    10106: ["the Persian Gulf", "the Strait of Hormuz", "Bushehr", "Semnan"],
    102: ["Beirut", "Damascus", "Baghdad", "Gaza", "Sana'a", "Amman", "Doha"],
    103: ["Washington", "New York", "California", "Texas", "Chicago"],
    104: ["Beijing", "Islamabad", "Kabul", "New Delhi", "Jakarta", "Seoul"],
    105: ["Lagos", "Nairobi", "Khartoum", "Addis Ababa", "Dakar", "Pretoria"],
    106: ["Brussels", "Paris", "Berlin", "Rome", "Madrid", "Warsaw"],
    107: ["Caracas", "Havana", "Brasilia", "Mexico City", "La Paz", "Bogota"],
    108: ["London", "Manchester", "Glasgow", "Cardiff", "Belfast"],
}
_INSTITUTIONS = {
    101: ["the Foreign Ministry", "the Interior Ministry", "the Red Crescent Society"],
    10101: ["the parliament", "the Guardian Council", "the presidential office"],
    10102: ["the Central Bank", "the Ministry of Economy", "the Tehran Stock Exchange"],
    10106: ["the Defense Ministry", "the navy", "the army's ground force"],
    102: ["the Arab League", "the health ministry in Gaza", "the Lebanese army"],
    103: ["the State Department", "the Pentagon", "the Senate", "the Federal Reserve"],
    104: ["the foreign ministry in Beijing", "Pakistan's cabinet", "the ASEAN secretariat"],
    105: ["the African Union", "the electoral commission", "the ministry of health"],
    106: ["the European Commission", "the French government", "the German Bundestag"],
    107: ["the Venezuelan government", "Brazil's Supreme Court", "the Organization of American States"],
    108: ["Downing Street", "the Home Office", "the Metropolitan Police", "the House of Commons"],
}
_PEOPLE = [
    ("Hossein Karimi", "a spokesman for the ministry"), ("Maryam Rahimi", "a senior economist"),
    ("Ahmad Vahidi", "the deputy interior minister"), ("Leila Haddad", "a member of parliament"),
    ("John Carver", "a former diplomat"), ("Sara Mendes", "a regional analyst"),
    ("Daniel Okafor", "a spokesman for the commission"), ("Helen Whitmore", "a shadow minister"),
    ("Karim Nasser", "the mayor"), ("Yusuf Abdi", "a local aid worker"),
    ("Elena Rossi", "a university professor"), ("Tomasz Nowak", "a trade union leader"),
]
_TOPICS = [
    "the new trade agreement", "rising food prices", "the water shortage", "the fuel subsidy reform",
    "the ceasefire talks", "the housing programme", "unilateral sanctions", "the rail link project",
    "the upcoming elections", "the refugee crisis", "the vaccination campaign", "port expansion",
    "electricity rationing", "the border dispute", "the drought", "the anti-corruption drive",
]
_EVENTS = ["heavy flooding", "a wave of protests", "a series of air strikes", "a nationwide strike",
           "a major wildfire", "fresh clashes", "a cyberattack on public services", "a fuel shortage"]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_QUOTES = [
    "We will not accept any solution that ignores the rights of ordinary people",
    "This is a decisive moment for the whole region",
    "Our priority is to restore basic services for every family as soon as possible",
    "The sanctions have failed, and everyone can now see that they have failed",
    "Nobody should be under any illusion about the seriousness of the situation",
    "We have asked our partners to honour the commitments they made last year",
    "The people have shown remarkable patience, but patience has its limits",
    "There can be no lasting peace without justice for the victims",
    "We are ready to talk, but we will not negotiate under pressure",
    "The figures speak for themselves: production is up and prices are finally stabilising",
]
_SENTENCES = [
    "{inst} said on {day} that {topic} would remain a priority in the coming months.",
    "Officials in {place} reported that {num} people had been affected by {event} since last week.",
    "The announcement came {num2} days after {event} hit parts of {place}.",
    "Analysts say {topic} could reshape relations between {place} and {place2}.",
    "According to figures released by {inst}, spending on {topic} rose by {num2} percent this year.",
    "Critics argue that {topic} has been badly handled, pointing to repeated delays in {place}.",
    "The move follows months of tense negotiations over {topic}.",
    "Residents of {place} described long queues and closed shops as {event} continued.",
    "{inst} is expected to publish a full report on {topic} by the end of the month.",
    "Observers noted that {topic} had dominated public debate in {place} for weeks.",
    "Delegations from {place} and {place2} are due to meet again on {day} to discuss {topic}.",
    "Several hundred people gathered in central {place} on {day} to voice their concerns.",
    "The government has allocated new funds to cope with the consequences of {event}.",
    "Earlier this year, {inst} warned that {topic} could strain public finances.",
    "Independent monitors said they had recorded {num} incidents linked to {event} in {place}.",
    "The issue is expected to feature prominently when lawmakers return from recess.",
]
_HEADLINES = [
    "{place} braces for {event} as talks on {topic} stall",
    "{last} says {place} will not back down on {topic}",
    "{Inst} warns of {event} over {topic}",
    "{num} displaced by {event} in {place}, officials say",
    "{place} and {place2} agree to expand cooperation on {topic}",
    "Protesters in {place} demand action on {topic}",
    "{place} unveils plan to tackle {topic} after {event}",
    "{Inst} condemns ‘unacceptable’ delays over {topic}",
    "{last} says {place}’s leaders must act on {topic}",
]
_SUBHEADINGS = ["Reactions in {place}", "{last} calls for urgent talks on {topic}",
                "What comes next for {topic}", "{place} residents count the cost of {event}"]


@dataclass(frozen=True)
class Quote:
    """A direct quote inside a paragraph: its words (as written) and who said them (a last
    name or the shortest string an extracted speaker must contain)."""

    text: str
    speaker: str


class Prose:
    """A seeded writer for one article of one section."""

    def __init__(self, rng: random.Random, section_id: int):
        self.rng = rng
        self.section_id = section_id

    def fill(self, template: str, **extra: str) -> str:
        """``template`` with its slots filled from the section's phrase bank (and ``extra``)."""
        r, sid = self.rng, self.section_id
        place, place2 = r.sample(_PLACES[sid], 2) if len(_PLACES[sid]) > 1 else (_PLACES[sid][0],) * 2
        inst = r.choice(_INSTITUTIONS[sid])
        text = template.format(
            inst=inst, Inst=inst[0].upper() + inst[1:], day=r.choice(_DAYS), topic=r.choice(_TOPICS),
            place=place, place2=place2, event=r.choice(_EVENTS), num=r.randint(12, 4800),
            num2=r.randint(2, 40), last=r.choice(_PEOPLE)[0].split()[-1], **extra)
        return text[0].upper() + text[1:]

    def headline(self) -> str:
        return self.fill(self.rng.choice(_HEADLINES))

    def subheading(self) -> str:
        return self.fill(self.rng.choice(_SUBHEADINGS))

    def paragraph(self) -> str:
        count = self.rng.randint(1, 3)
        return " ".join(self.fill(t) for t in self.rng.sample(_SENTENCES, count))

    def quote_paragraph(self) -> tuple[str, Quote]:
        """A paragraph carrying one direct quote with its speaker, in one of three forms."""
        name, role = self.rng.choice(_PEOPLE)
        words = self.rng.choice(_QUOTES)
        form, last = self.rng.randrange(3), name.split()[-1]
        if form == 0:
            return f"“{words},” said {name}, {role}.", Quote(words, last)
        if form == 1:
            return f'{name}, {role}, told reporters, "{words}."', Quote(words + ".", last)
        intro = self.fill(self.rng.choice(_SENTENCES))
        return f"{intro} “{words},” {last} added.", Quote(words, last)
