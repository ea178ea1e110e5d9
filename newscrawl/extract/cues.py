"""Speech cues and speaker phrases: the verbs that attribute a quote (English, French, German,
Spanish), and the patterns of who speaks before or after a quote. A speaker phrase may hold
honorifics and initials (``Mr. Rove``, ``George H.W. Bush``), a party tag (``(R-Neb.)``) and one
apposition between commas (``Margarita Simonyan, the editor in chief of RT, wrote``)."""

from __future__ import annotations

import re

from newscrawl.extract.sentences import HONORIFICS

PARTICIPLES = ("calling", "describing", "dubbing", "labeling", "labelling", "stating", "telling", "insisting",
               "arguing", "claiming", "warning", "noting", "accusing", "declaring", "writing", "tweeting",
               "asking", "dismissing", "branding", "deriding", "decrying", "hailing", "touting", "boasting",
               "mocking", "slamming", "blasting", "praising", "criticizing", "criticising", "denouncing",
               "condemning", "urging", "vowing", "promising", "predicting", "suggesting", "complaining",
               "explaining", "recalling", "acknowledging", "admitting", "conceding", "lamenting", "joking",
               "quipping", "responding", "replying", "answering", "charging", "pointing out")
"""Cues whose speaker is the subject of the sentence: "Trump hit back, calling him a “liar”"."""
SUBJECT_CUES = frozenset(("adding", "saying", *PARTICIPLES))
ENGLISH = (
    "said", "says", "say", "told", "tells", "tell", "added", "adds", "adding", "stated", "noted",
    "warned", "warns", "asserted", "asserts", "claimed", "claims", "declared", "declares",
    "explained", "explains", "wrote", "writes", "tweeted", "posted", "insisted", "insists",
    "stressed", "stresses",
    "emphasi[sz]ed", "announced", "announces", "argued", "argues", "continued", "continues", "urged", "urges",
    "asked", "asks", "replied", "replies", "remarked", "concluded", "concludes", "acknowledged",
    "acknowledges",
    "admitted", "admits", "pointed out", "points out", "recalled", "recalls", "cautioned", "vowed", "vows",
    "pledged", "affirmed", "underlined", "underscored", "described", "describes", "called", "calls",
    "according to", "saying", "responded", "responds", "joked", "jokes", "quipped", "complained", "complains",
    "charged", "conceded", "concedes", "countered", "testified", "predicted", "predicts", "suggested",
    "suggests", "promised", "boasted", "boasts", "accused", "accuses", "referred to",
    "refers to",
    "labeled", "labelled", "dubbed", "branded", "mocked", "blasted", "slammed", "praised", "criticized",
    "criticised", "denounced", "dismissed", "lamented", "answered", "shouted", "chanted",
    "yelled", "reported", "observed", "observes", "agreed", "agrees",
    "repeated", "repeats", "reiterated", "echoed", "thundered", "mused", "deadpanned", "confirmed",
    "denied", "disputed", "proclaimed", "predicted", "tweeted", "texted", "emailed", "wondered",
    "opined", "exclaimed", "offered", "interjected", "went on", "goes on", "put it", "puts it",
    "casts", "identified", "identifies", "condemned", "decried", "derided", "hailed", "touted", "accuse",
    "describe", "portray", "portrays", "portrayed", "portraying",
    *PARTICIPLES,
)
OTHER_LANGUAGES = ("a déclaré", "a affirmé", "a dit", "a ajouté", "a estimé", "selon", "sagte", "erklärte",
                   "betonte", "dijo", "afirmó", "añadió", "según")
# plural nouns as often as verbs ("in 11 states", "his notes") are left out: states, notes, reports, reads
CUES = "|".join((r"told(?: [A-Z][\w.-]*(?: [A-Z][\w.-]*){0,3})?", *ENGLISH, *OTHER_LANGUAGES))
CUE = re.compile(rf"(?<![\w-])({CUES})\b")  # "so-called" is not a cue
CUE_AT_END = re.compile(rf"(?<![\w-])({CUES})\s*[,:]?\s*$")
ABBREVIATED = rf"\b(?:{'|'.join(HONORIFICS)}|[A-Z])\.|\b(?:[A-Z]\.){{2,3}}|\([^()]{{1,30}}\)"
"""Pieces of a speaker phrase with a period in them: ``Mr.``, ``H.W.``, ``U.S.``, ``(R-Neb.)``."""
WHO_CHAR = rf"(?:{ABBREVIATED}|[^.,;!?\"“”(])"
AFTER = re.compile(
    rf"^[\s,.]*(?:(?P<cue1>{CUES})\s+(?P<who1>{WHO_CHAR}{{2,80}})"
    rf"|(?P<who2>{WHO_CHAR}{{2,80}}?(?:(?:,{WHO_CHAR}{{2,120}}?){{1,2}},)?)\s+(?P<cue2>{CUES})(?=[\s.,;:!?]|$))")
WHO_ENDS = re.compile(r"\s+(?:on|in|at|during|after|before|when|while|as|to|from|via|earlier|later|last|"
                      r"this|yesterday|today|tonight|late|early|of|who|for|about|with|,)\b.*$")
"""Where the speaker named after a cue stops: "said Maria Lopez on Tuesday" -> "Maria Lopez"."""
AT_END = re.compile(rf",\s+(?P<who>(?:[A-Z][\w’'.-]*\s+){{0,3}}[A-Z][\w’'-]+|(?:the|a|an)\s+[a-z][\w’'-]*"
                    rf"(?:\s+[a-z][\w’'-]*)?|he|she|they)\s+(?P<cue>{CUES})(?![\w-])(?:\s+[\w’'-]+){{0,4}}\s*$")
"""A trailing attribution: ", Hollande said Tuesday" (at most a few words after the cue)."""
ACCORDING = re.compile(r"^\s*According to (?P<who>[^,]{3,120}),")
INVERTED_CUES = "|".join(sorted({v.capitalize() for v in ENGLISH
                                 if v.isalpha() and v.endswith(("s", "d", "wrote"))}))
"""The one-word cues of ENGLISH in the past or third person, capitalised: "Says X:", "Wrote X:"."""
INVERTED = re.compile(rf"^\s*(?P<cue>{INVERTED_CUES})\s+(?P<who>{WHO_CHAR}{{2,80}}?)\s*[:,]?\s*$")
"""A cue before its speaker at the start of the sentence: "Says Tamara Abraham: “...”"."""
SUBJECT = re.compile(rf"^\s*(?:(?:But|And|So|Yet|Still|Now|Then|Also|Later|Earlier),?\s+)?"
                     rf"(?P<who>(?:(?:{'|'.join(HONORIFICS)})\.\s+)?[A-Z][\w’'-]+(?:\s+(?:[A-Z]\.|[A-Z][\w’'-]+))*"
                     rf"|He|She|They)(?:\s*\([^()]{{1,30}}\))?(?:’s|'s)?(?:,[^,“”\"]{{2,80}},)?"
                     rf"\s+(?:[a-z][\w’'-]*\b)")
"""The subject that opens a sentence holding a partial quote: "Bush referred to Rubio as “...”"."""
NOT_SUBJECTS = {"And", "But", "Or", "So", "Yet", "Then", "Now", "Still", "Also", "The", "A", "An", "In", "On",
                "At", "It", "This", "That", "There", "These", "Those", "If",
                "When", "While", "After", "Before", "As", "For", "With", "From", "By", "To", "Of", "What",
                "Why", "How", "Some", "Many", "Most", "All", "Other", "Such", "One", "No", "Not", "We", "I",
                "You", "His", "Her", "Their", "Its", "Our", "My", "Your", "Instead", "Just", "Last", "Sign",
                "Thanks", "Part", "Several", "Hours", "Take", "Perhaps", "Maybe"}
