"""Metadata on pages of unknown sites: the headline the page shows, authors in any script and
behind URLs, JSON-LD that CMS templates wrap or type in their own way."""

from __future__ import annotations

import json

from newscrawl.extract import parse_article
from newscrawl.extract.metadata import clean_authors

BODY = "".join(f"<p>Paragraph {i} of the story says something long enough to count as text.</p>"
               for i in range(6))


def _page(head: str, body: str = "") -> str:
    return f"<html><head>{head}</head><body>{body}<div class='story'>{BODY}</div></body></html>"


def test_json_ld_in_a_cdata_guard_and_a_tech_article_type_is_read() -> None:
    data = json.dumps({"@type": "TechArticle", "headline": "Guarded headline",
                       "datePublished": "2018-04-05T06:00", "author": {"name": "Ann Example"}})
    page = _page(f'<script type="application/ld+json">\n  //<![CDATA[\n{data}\n//]]>\n</script>'
                 "<title>Guarded headline | Example</title>")
    article = parse_article(page, "https://example.org/a")
    assert (article.headline, article.published_at[:10], article.authors) == (
        "Guarded headline", "2018-04-05", ["Ann Example"])
    assert article.sources["headline"] == "structured"


def test_authors_in_other_scripts_and_with_home_pages_are_kept() -> None:
    assert clean_authors(["肖春芳"]) == ["肖春芳"]
    assert clean_authors(["Bradley M. Kuhn (http://ebb.org/bkuhn/)"]) == ["Bradley M. Kuhn"]
    assert clean_authors(["https://www.example.org/auteur/2005-afp"]) == []


def test_authors_that_are_only_profile_urls_give_way_to_the_byline_in_the_page() -> None:
    page = _page('<meta property="article:author" content="https://www.facebook.com/profile.php?id=1">',
                 '<h1>Headline of the story</h1><span class="byline">By César Salza</span>')
    article = parse_article(page, "https://example.org/a")
    assert article.authors == ["César Salza"]
    assert article.sources["authors"] == "generic"


def test_a_logo_h1_gives_way_to_the_title_that_names_the_article() -> None:
    page = _page("<title>Babies Who Eat Peanuts Early May Avoid Allergy - Health News</title>",
                 "<h1>Allergies Health Center</h1>")
    headline = parse_article(page, "https://example.org/a").headline
    assert headline == "Babies Who Eat Peanuts Early May Avoid Allergy"


def test_the_h1_the_title_names_wins_over_a_first_h1_that_is_a_logo() -> None:
    page = _page("<title>Ninth provincial capital falls | Example News</title>",
                 "<h1>Example News</h1><h1>Ninth provincial capital falls</h1>")
    assert parse_article(page, "https://example.org/a").headline == "Ninth provincial capital falls"


def test_a_structured_title_with_the_site_name_is_not_cut_to_a_logo_h1() -> None:
    page = _page('<meta property="og:title" content="Ninth provincial capital falls | Example News">'
                 "<title>Ninth provincial capital falls | Example News</title>", "<h1>Example News</h1>")
    assert parse_article(page, "https://example.org/a").headline == "Ninth provincial capital falls"


def test_a_title_that_is_only_the_site_name_leaves_the_h1() -> None:
    page = _page("<title>Example News</title>", "<h1>Ninth provincial capital falls</h1>")
    assert parse_article(page, "https://example.org/a").headline == "Ninth provincial capital falls"


def test_a_json_ld_headline_the_page_does_not_show_gives_way_to_its_name() -> None:
    data = json.dumps({"@type": "Article", "name": "New Zealand",
                       "headline": "constitutional monarchy in Oceania"})
    page = _page(f'<script type="application/ld+json">{data}</script><title>New Zealand - Wikipedia</title>',
                 "<h1>New Zealand</h1>")
    assert parse_article(page, "https://example.org/a").headline == "New Zealand"


def test_a_structured_headline_alone_stays_even_when_the_page_differs() -> None:
    page = _page('<meta property="og:title" content="Social headline">', "<h1>Printed headline</h1>")
    article = parse_article(page, "https://example.org/a")
    assert (article.headline, article.sources["headline"]) == ("Social headline", "structured")


def test_the_site_name_as_og_title_gives_way() -> None:
    page = _page('<meta property="og:title" content="Example News"><meta property="og:site_name" '
                 'content="Example News"><title>Ninth provincial capital falls - Example News</title>',
                 "<h1>Ninth provincial capital falls</h1>")
    assert parse_article(page, "https://example.org/a").headline == "Ninth provincial capital falls"


def test_soft_hyphens_and_zero_width_spaces_leave_the_text_and_it_is_nfc() -> None:
    words = ("Sans recherche auto\xadnome, nous n\u2019avons pas d\u2019ave\u200bnir, dit la chercheuse "
             "en fin de texte.")
    page = _page("<title>Recherche</title>", f"<h1>Recherche</h1><div class='story'><p>{words}</p>"
                 f"<p>সকাল সা\u09dcে ৭টার ghi\u200cjkl {BODY}</p></div>")
    body = parse_article(page, "https://example.org/a").body
    assert "Sans recherche autonome, nous n\u2019avons pas d\u2019avenir" in body
    assert "সকাল সা\u09a1\u09bcে" in body  # NFC: U+09DC is never composed
    assert "ghi\u200cjkl" in body  # a zero-width non-joiner is part of how the word is written


def test_ruby_readings_are_not_read_into_the_text() -> None:
    sentence = "".join(f"<ruby>{c}<rt>よみ</rt><rp>(</rp></ruby>" for c in "子ども")
    sentence += "への虐待をなくすための法律ができました。"
    page = _page("<title>法律</title>", f"<h1>法律</h1><div class='story'><p>{sentence * 3}</p>{BODY}</div>")
    body = parse_article(page, "https://example.org/a").body
    assert "子どもへの虐待をなくすための法律ができました。" in body
    assert "よみ" not in body


def test_a_script_or_style_inside_a_paragraph_is_not_read_as_its_text() -> None:
    code = "<script>var related_video_info = { vid: 'x033633yrm8' };</script><style>p { color: red }</style>"
    page = _page("<title>Story</title>", f"<h1>Story</h1><div class='story'><p>Last line of the story."
                 f"{code}</p>{BODY}<p><span>{code}</span></p></div>")
    body = parse_article(page, "https://example.org/a").body
    assert "Last line of the story." in body and "Paragraph 5" in body
    assert "related_video_info" not in body and "color: red" not in body


def test_json_ld_inside_a_paragraph_is_still_read() -> None:
    data = json.dumps({"@type": "NewsArticle", "headline": "Story of the day"})
    page = _page("<title>Story of the day</title>",
                 f"<h1>Story of the day</h1><p><script type='application/ld+json'>{data}</script></p>")
    assert parse_article(page, "https://example.org/a").sources["headline"] == "structured"


def test_a_json_ld_name_that_is_no_text_is_no_headline() -> None:
    data = json.dumps({"@type": "Article", "name": {"@value": "New Zealand"},
                       "headline": "constitutional monarchy in Oceania"})
    page = _page(f'<script type="application/ld+json">{data}</script><title>New Zealand - Wikipedia</title>',
                 "<h1>New Zealand</h1>")
    assert "@value" not in parse_article(page, "https://example.org/a").headline
