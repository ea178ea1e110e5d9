"""Body candidates (extract/candidates.py, bodyscore.py, choose.py): a page whose voted
container is not its article still gives the article, the item says which candidate did,
``--explain`` shows the weighing; entities in structured text are decoded."""

from __future__ import annotations

from pathlib import Path

import pytest

from newscrawl.cli import main
from newscrawl.extract import parse_article
from newscrawl.extract.choose import generic_body
from newscrawl.extract.document import parse_document

URL = "https://blog.example/2024/05/a-post.html"
SENTENCE = "The river rose overnight and the town council met at dawn to plan the response. "
TEASER = "A long teaser sentence about a different story that runs on for quite a while here. "


def _teasers(n: int) -> str:
    return "".join(f"<p>{TEASER}{i}</p>" for i in range(n))


def _article_after_teasers() -> str:
    """An article of four paragraphs at the headline, then a block of eight teaser paragraphs
    (more paragraph text than the article: the vote goes to them)."""
    article = "".join(f"<p>{SENTENCE}Part {i}.</p>" for i in range(4))
    return ("<html><head><meta name='description' content='The river rose overnight and the town "
            "council met at dawn to plan the response.'></head><body>"
            f"<main><h1>Floods</h1><section>{article}</section></main>"
            f"<div class='next-posts'>{_teasers(8)}</div></body></html>")


def test_teasers_outvoting_the_article_lose_to_it() -> None:
    article = parse_article(_article_after_teasers(), URL)
    assert "Part 3." in article.body and TEASER not in article.body
    assert article.sources["body"] == "generic" and article.sources["body_candidate"] != "container"


def test_text_in_br_runs_is_the_body() -> None:
    runs = "<br><br>".join(f"{SENTENCE}Run {i}." for i in range(6))
    sidebar = "".join(f"<p>About the author of this blog, who writes {i} things.</p>" for i in range(3))
    page = (f"<html><body><h1>A post</h1><table><tr><td class='post'>{runs}</td>"
            f"<td><div class='about'>{sidebar}</div></td></tr></table></body></html>")
    article = parse_article(page, URL)
    assert article.body.count("Run ") == 6 and "About the author" not in article.body
    assert article.sources["body_candidate"] == "br-runs"


def test_a_right_container_is_kept_without_doubt() -> None:
    body = "".join(f"<p>{SENTENCE}Part {i}.</p>" for i in range(8))
    page = (f"<html><head><meta name='description' content='{SENTENCE}'></head><body><h1>Floods</h1>"
            f"<article>{body}</article></body></html>")
    tree = parse_document(page, URL).tree
    assert tree is not None
    choice = generic_body(tree, URL, SENTENCE)
    assert (choice.name, choice.doubts) == ("container", [])
    assert "trafilatura" not in {c.name for c in choice.candidates}  # the fallback did not run


def test_json_ld_and_meta_entities_are_decoded() -> None:
    ld = ('{"@type": "NewsArticle", "headline": "BREAKING NEWS: Chelsea Activate &#163;71.6m clause", '
          '"author": {"name": "Jos&eacute; Ortiz"}, "image": {"url": "https://x.example/a.jpg?a=1&copy=2"}}')
    page = (f"<html><head><script type='application/ld+json'>{ld}</script>"
            "<meta property='og:description' content='Fish &amp;amp; chips'></head>"
            f"<body><p>{SENTENCE * 8}</p></body></html>")
    article = parse_article(page, URL)
    assert article.headline == "BREAKING NEWS: Chelsea Activate £71.6m clause"
    assert article.authors == ["José Ortiz"] and article.lead == "Fish & chips"


def test_parse_explain_prints_candidates_and_verdict(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "page.html"
    page.write_text(_article_after_teasers(), encoding="utf-8")
    assert main(["parse", str(page), "--url", URL, "--explain"]) == 0
    out = capsys.readouterr().out
    assert "doubts about the voted container: holds" in out
    assert "container" in out and "winner: " in out and " scores " in out


def test_text_no_paragraph_votes_for_comes_from_the_library() -> None:
    rows = "".join(f"<tr><td>{SENTENCE * 3}Row {i}.</td></tr>" for i in range(5))
    article = parse_article(f"<html><body><h1>Floods</h1><table>{rows}</table></body></html>", URL)
    assert article.body.count("Row ") == 5 and article.sources["body_candidate"] == "trafilatura"


def _split_opening(after: bool) -> str:
    """An article whose opening paragraph sits in the parent of the block holding the rest
    (``after``: the parent's extra paragraph comes after that block instead)."""
    intro = "<p>Opening: the storm reached the coast on Monday night and the first towns were flooded.</p>"
    rest = "".join(f"<p>{SENTENCE}Part {i}.</p>" for i in range(8))
    inner = f"<div class='text'>{rest}</div>"
    return (f"<html><body><h1>Floods</h1><div class='story'>{inner + intro if after else intro + inner}"
            "</div></body></html>")


def test_an_opening_set_apart_before_the_container_is_kept() -> None:
    article = parse_article(_split_opening(after=False), URL)
    assert article.body.startswith("Opening: the storm") and "Part 7." in article.body
    assert article.sources["body_candidate"] == "parent"
    after = parse_article(_split_opening(after=True), URL)  # after the block: not an opening
    assert "Opening" not in after.body and after.sources["body_candidate"] == "container"


def test_a_list_container_is_in_doubt() -> None:
    """A list of teaser paragraphs outvotes the article: a container that is a list is doubted,
    so the candidates outside it (the article among them) are weighed."""
    teasers = "".join(f"<li><p>{TEASER}{i}</p></li>" for i in range(12))
    story = "".join(f"<p>{SENTENCE}Part {i}.</p>" for i in range(5))
    page = (f"<html><body><h1>Floods</h1><div class='story'>{story}</div>"
            f"<ul class='x'>{teasers}</ul></body></html>")
    tree = parse_document(page, URL).tree
    assert tree is not None
    choice = generic_body(tree, URL)
    assert choice.doubts == ["a <ul> list"]
    assert any("Part 4." in c.body.text for c in choice.candidates if c.name.startswith("rival"))


def _story_around_a_gallery(headed: bool) -> str:
    """Five article paragraphs, a gallery of twelve slides nested three blocks deep (more
    paragraph text than the article; each slide a heading and a caption when ``headed``), then
    three more article paragraphs, all in one text block; the description is the article's,
    with a few of the slides' words."""
    slide = "<li><h2><span>{i}/12</span> Another story</h2><p>{text}{i}</p></li>" if headed \
        else "<li><p>{text}{i}</p></li>"
    gallery = "".join(slide.format(i=i, text=TEASER * 4) for i in range(12))
    before = "".join(f"<p>{SENTENCE}Part {i}.</p>" for i in range(5))
    after = "".join(f"<p>{SENTENCE}Part {i}.</p>" for i in range(5, 8))
    nested = f"<div class='w'><div class='atom'><div class='gallery'><ul>{gallery}</ul></div></div></div>"
    return (f"<html><head><meta name='description' content='{SENTENCE}And a different story.'></head>"
            f"<body><h1>Floods</h1><div class='text'>{before}{nested}{after}</div></body></html>")


def test_a_gallery_of_headed_slides_inside_the_text_gives_way_to_the_text_around_it() -> None:
    """The slides outvote the article, and the article's block holds them: the article is that
    block read without the list (``outside-list``); the slides' headings mark them as stories."""
    article = parse_article(_story_around_a_gallery(headed=True), URL)
    assert "Part 0." in article.body and "Part 7." in article.body
    assert TEASER not in article.body and "Another story" not in article.body
    assert article.sources["body_candidate"] == "outside-list"
    tree = parse_document(_story_around_a_gallery(headed=True), URL).tree
    assert tree is not None
    choice = generic_body(tree, URL, SENTENCE + "And a different story.")
    assert "Another story" in tree.text_content()  # the list is back in the page after the reading
    assert next(c for c in choice.candidates if c.name == "container").why["headed_items"] == 1


def test_a_list_of_plain_paragraphs_is_not_taken_for_stories() -> None:
    """The same list without headings in its items is not marked, and it outscores the text
    around it (the library extractor, asked for the doubt about the description, wins here)."""
    tree = parse_document(_story_around_a_gallery(headed=False), URL).tree
    assert tree is not None
    choice = generic_body(tree, URL, SENTENCE + "And a different story.")
    scores = {c.name: c for c in choice.candidates}
    assert "headed_items" not in scores["container"].why
    assert scores["container"].score > scores["outside-list"].score and choice.name != "outside-list"


def test_a_bigger_story_outside_the_headlines_article_gives_way_to_the_article() -> None:
    article = "".join(f"<p>{SENTENCE}Part {i}.</p>" for i in range(5))
    other = "".join(f"<p>{TEASER}Training programme paragraph {i}.</p>" for i in range(7))
    page = (f"<html><body><article class='post'><header><h1>Floods</h1></header>"
            f"<div class='entry-content'>{article}</div></article>"
            f"<div class='feature'><h2>Another story</h2>{other}</div></body></html>")
    tree = parse_document(page, URL).tree
    assert tree is not None
    choice = generic_body(tree, URL)
    assert "outside the headline's <article>" in choice.doubts
    assert "Part 4." in choice.body.text and "Training programme" not in choice.body.text


def test_a_headline_in_no_article_puts_no_candidate_outside_one() -> None:
    body = "".join(f"<p>{SENTENCE}Part {i}.</p>" for i in range(8))
    page = (f"<html><body><h1>Floods</h1><div class='story'>{body}</div>"
            "<article><p>Teaser.</p></article></body></html>")
    tree = parse_document(page, URL).tree
    assert tree is not None
    choice = generic_body(tree, URL)
    assert (choice.name, choice.doubts) == ("container", []) and "Part 7." in choice.body.text
