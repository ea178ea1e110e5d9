"""What is quoted but not said: names of works, headlines, dated slogans; and quote marks that
nest or lose their space. Each rule with a sentence that must give a quote and one that must not."""

from __future__ import annotations

from newscrawl.extract.quotes import find_quotes


def _texts(paragraph: str) -> list[str]:
    return [q["text"] for q in find_quotes([paragraph])]


def test_a_title_after_the_name_of_a_kind_of_work_is_not_a_quote() -> None:
    assert _texts("She won an award for the cooking show “Dinner Rush” last year, Amy Lee said.") == []
    assert _texts("He wrote a memoir, “Gone,” in 2010.") == []
    assert _texts("The school program “is working better than we hoped,” the principal said.") == [
        "is working better than we hoped"]


def test_a_show_after_on_or_a_possessive_is_not_a_quote() -> None:
    assert _texts("“We will win,” the mayor said on “Morning Report.”") == ["We will win"]
    assert _texts("The senator told CBC’s “Politics” that she would run again.") == []
    assert _texts("The senator said on Tuesday that the plan was “dead.”") == ["dead."]


def test_a_title_before_a_role_or_a_byline_is_not_a_quote() -> None:
    assert _texts("The “Lost Harbor” star posted a long message to fans.") == []
    assert _texts("A must-read today: “Why the bridge failed,” by the Ledger’s Ann Cole.") == []
    assert _texts("He said the city had been “abandoned” by Ottawa for years.") == ["abandoned"]


def test_a_dated_slogan_is_not_a_quote() -> None:
    assert _texts("Posters read “Keep the valley green” (2012) and “No more towers” (2014).") == []
    assert _texts("“Keep the valley green,” the activist said in 2012.") == ["Keep the valley green"]


def test_an_all_capitals_heading_is_not_a_quote_but_a_chant_is() -> None:
    assert _texts("4. IN OSLO ‘THE ICE IS THIN.’") == []
    assert _texts("“WE WANT WATER!” the crowd chanted outside the hall.") == ["WE WANT WATER!"]


def test_curly_quotes_inside_a_straight_quote_are_nested_in_it() -> None:
    quotes = find_quotes(['"The minister called it “a disgrace” twice," Omar Haddad said.'])
    assert [(q["text"], q["speaker"]) for q in quotes] == [
        ("The minister called it “a disgrace” twice", "Omar Haddad")]


def test_a_stray_straight_mark_does_not_swallow_the_curly_quote_after_it() -> None:
    quotes = find_quotes(['"Later she interrupted him, “That is not true.” He went on.'])
    assert [q["text"] for q in quotes] == ["That is not true."]


def test_a_closing_curly_mark_with_no_space_after_it_still_closes() -> None:
    quotes = find_quotes(["“We need more nurses,”Dr. Ines Roth said. “We start hiring now.”"])
    assert [(q["text"], q["speaker"]) for q in quotes] == [("We need more nurses", "Ines Roth"),
                                                          ("We start hiring now.", "Ines Roth")]


def test_a_so_called_term_is_not_a_quote_even_in_a_sentence_with_a_subject() -> None:
    assert _texts("Nadia Perez won the so-called “rural vote” by a wide margin.") == []
    assert _texts("Nadia Perez called the result a “rural vote” in her speech.") == ["rural vote"]


def test_a_mark_after_an_equals_sign_opens_no_quote() -> None:
    paragraph = 'Omar Haddad posted <a title="Haddad on the river" href="x">the video</a> on Sunday.'
    assert _texts(paragraph) == []
    assert _texts('Omar Haddad said “the river is rising” on Sunday.') == ["the river is rising"]


def test_a_short_sentence_quoted_right_after_a_speaker_keeps_that_speaker() -> None:
    quotes = find_quotes(["“The budget is gone,” Mayor Lina Park said. “Every cent.”",
                          "“Asylum” is a legal term. “Refuge,” too."])
    assert [(q["text"], q["speaker"]) for q in quotes] == [("The budget is gone", "Lina Park"),
                                                          ("Every cent.", "Lina Park")]


def test_capitalised_sentences_in_quote_marks_are_not_a_title() -> None:
    assert _texts("“Like Boston. Or Denver,” Ray Cole said.") == ["Like Boston. Or Denver"]
    assert _texts("He starred in “Mr. Deeds Goes to Town” in 1936.") == []


def test_an_opening_mark_typed_for_the_closing_one_closes() -> None:
    quotes = find_quotes(["Vera Ilic called the plan “a betrayal“ in a post. “We will appeal,” she said."])
    assert [(q["text"], q["speaker"]) for q in quotes] == [("a betrayal", "Vera Ilic"),
                                                          ("We will appeal", "Vera Ilic")]


def test_a_title_after_with_in_or_a_performing_verb_is_not_a_quote() -> None:
    assert _texts("“We are ready,” Nora Diaz said in an interview with “Sunday Morning Live.”") == [
        "We are ready"]
    assert _texts("The band then performed “Rivers of Gold” to loud cheers.") == []
    assert _texts("Nora Diaz said in an interview that she was “ready for anything.”") == [
        "ready for anything."]


def test_a_button_or_link_label_is_not_a_quote() -> None:
    assert _texts("Enter your email address and click “Sign me up” below.") == []
    assert _texts("Nora Diaz said the form was “a total mess” on Monday.") == ["a total mess"]


def test_a_translation_gloss_is_not_a_quote() -> None:
    quotes = find_quotes(["The motto was “Fiat lux,” Latin for “let there be light,” Ana Ruiz noted."])
    assert "let there be light" not in [q["text"] for q in quotes]


def test_an_elided_word_opens_no_single_quote() -> None:
    quotes = find_quotes(["How ‘bout this line from the Herald: “Floods close the river road.” And "
                          "the mayor’s office said nothing."])
    assert [q["text"] for q in quotes] == ["Floods close the river road."]


def test_a_straight_quote_closed_by_a_turned_mark() -> None:
    quotes = find_quotes(['"The pool is out of balance," the board wrote. "A change is needed now.“'])
    assert [q["text"] for q in quotes] == ["The pool is out of balance", "A change is needed now."]


def test_a_signed_pull_quote_names_its_speaker_and_is_kept_once() -> None:
    body = ["“The river has never been this high,” said Omar Haddad, the harbour master. “We are "
            "closing the docks.”",
            "“The river has never been this high.\nOmar Haddad, harbour master.”",
            "“Nobody here has seen a flood like it.\nLena Berg, Riverside Residents’ Group.”"]
    assert [(q["text"], q["speaker"]) for q in find_quotes(body)] == [
        ("The river has never been this high", "Omar Haddad"), ("We are closing the docks.", "Omar Haddad"),
        ("Nobody here has seen a flood like it.", "Lena Berg")]
    assert [q["text"] for q in find_quotes(["“It rained.\nThen it was over.”"])] == [
        "It rained.\nThen it was over."]


def test_a_sentence_opening_adverb_is_no_speaker_of_a_scare_quote() -> None:
    assert _texts("Perhaps rebels took the “old fort” within a week.") == []
    assert _texts("Rebels took what they called the “old fort” within a week.") == ["old fort"]
