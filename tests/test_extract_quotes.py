"""Quote forms of everyday news copy beyond the seed: where a sentence starts, who speaks when a
name is followed by more words, a speaker going on, pronouns after an unnamed speaker, scare
quotes after "so-called", and speech verbs of other languages."""

from __future__ import annotations

import time

from newscrawl.extract.quotes import find_quotes
from newscrawl.items import Quote


def _one(paragraphs: list[str]) -> Quote:
    quotes = find_quotes(paragraphs)
    assert len(quotes) == 1, quotes
    return quotes[0]


def test_a_quote_opening_a_sentence_mid_paragraph_is_whole() -> None:
    quote = _one(["Keir Starmer said on Monday that the government would act. “We will not stand by "
                  "while this happens,” Starmer told reporters in London."])
    assert (quote["speaker"], quote["cue"], quote["partial"]) == ("Keir Starmer", "told", False)


def test_the_name_after_the_cue_stops_at_its_apposition_or_time() -> None:
    quotes = find_quotes(["“It was a disaster,” said Maria Lopez, a local resident.",
                          "“I am very happy,” said Tom Berg on Tuesday."])
    assert [q["speaker"] for q in quotes] == ["Maria Lopez", "Tom Berg"]


def test_an_unattributed_quote_right_after_another_continues_its_speaker() -> None:
    quotes = find_quotes(["“It was a disaster,” said Maria Lopez. “Nobody came to help us.”",
                          "“We waited for days.”",
                          "The mayor's office did not reply.",
                          "Later that week, a statement followed.",
                          "“Everyone is safe now.”"])
    assert [(q["speaker"], q["partial"]) for q in quotes] == [
        ("Maria Lopez", False), ("Maria Lopez", False), ("Maria Lopez", False), ("", False)]


def test_a_pronoun_after_an_unnamed_speaker_is_that_speaker_unless_someone_was_named() -> None:
    quotes = find_quotes(["An unnamed official told Reuters: “The talks have collapsed.”",
                          "He later added: “There is no going back.”",
                          "Foreign Minister Anna Berg disagreed. She said: “The talks go on.”"])
    assert [(q["speaker"], q["cue"]) for q in quotes] == [
        ("An unnamed official", "told Reuters"), ("An unnamed official", "added"), ("Anna Berg", "said")]


def test_so_called_is_not_a_speech_verb() -> None:
    assert find_quotes(["The so-called “peace plan” was rejected by both sides."]) == []
    quote = _one(["The minister called the report “deeply flawed” and promised a review."])
    assert (quote["speaker"], quote["cue"], quote["partial"]) == ("The minister", "called", True)


def test_speech_verbs_of_other_languages() -> None:
    assert _one(["« Nous sommes prêts », a déclaré Emmanuel Macron."])["speaker"] == "Emmanuel Macron"
    assert _one(["„Wir schaffen das“, sagte Angela Merkel."])["speaker"] == "Angela Merkel"


def test_single_curly_quotes_titles_and_the_clause_that_holds_the_cue() -> None:
    quotes = find_quotes(["‘We are thrilled to be back,’ said Kylie Minogue.",
                          "The book is called “The House of Hidden Meanings” and sold well.",
                          "Addressing her followers on Sunday, Anat Schwartz said: “I understand why people "
                          "were offended.”",
                          "“Offices are empty,” the employee wrote. Treasury sources have admitted: “It was "
                          "hard work.”"])
    assert [(q["speaker"], q["text"][:12]) for q in quotes] == [
        ("Kylie Minogue", "We are thril"), ("Anat Schwartz", "I understand"),
        ("the employee", "Offices are "), ("Treasury sources", "It was hard ")]


def test_first_names_and_a_cue_before_its_speaker() -> None:
    quotes = find_quotes(["Says Tamara Abraham: “This is a look.”", "‘Leopard print is back,’ says Tamara.",
                          "John Smith and John Brown spoke.", "“We are ready,” said John."])
    assert [(q["speaker"], q["cue"], q["partial"]) for q in quotes] == [
        ("Tamara Abraham", "says", False), ("Tamara Abraham", "says", False), ("John", "said", False)]


def _quote_page_seconds(kilobytes: int) -> float:
    unit = ("Minister Ahmad Karimi said, “We will rebuild the bridges and roads of the province soon,” "
            "and he added that “the work is hard,” ")
    paragraph = unit * (kilobytes * 1024 // len(unit.encode()))
    best = float("inf")
    for _ in range(2):
        started = time.perf_counter()
        quotes = find_quotes([paragraph])
        best = min(best, time.perf_counter() - started)
    assert len(quotes) >= kilobytes * 1024 // len(unit.encode())
    return best


def test_a_paragraph_full_of_quotes_takes_linear_time() -> None:
    """A 480 KB paragraph of quotes with no sentence end: eight times the text of 60 KB takes
    about eight times as long (it took 64 times, 84 s, when each quote rescanned the paragraph)."""
    small, large = _quote_page_seconds(60), _quote_page_seconds(480)
    assert large < 10
    assert large / max(small, 1e-3) < 24, (small, large)
