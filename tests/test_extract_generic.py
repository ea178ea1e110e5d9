"""Generic layers added for issue 4: caption parts, teasers, srcset, article classes, hidden text,
standfirst, list articles, closing lines. Small synthetic pages, one behaviour each."""

from __future__ import annotations

from newscrawl.extract import parse_article
from newscrawl.extract.credits import split_credit

URL = "https://example.org/news/2024/story"
PARAGRAPH = "This sentence is long enough to count as a paragraph of the article body text. "


def _page(body: str, head: str = "") -> str:
    return (f"<html><head>{head}</head><body><h1>Headline</h1>"
            f"<div class='story'>{body}</div></body></html>")


def _paragraphs(n: int, cls: str = "") -> str:
    attribute = f" class='{cls}'" if cls else ""
    return "".join(f"<p{attribute}>{PARAGRAPH}Number {i}.</p>" for i in range(n))


def test_caption_part_and_credit_remainder() -> None:
    figure = ("<figure><img src='/a.jpg'><figcaption><span class='caption'>Smoke over the town.</span> "
              "<span class='credit'>Photo by JANE DOE</span> /<span>AFP via Getty Images</span>"
              "</figcaption></figure>")
    image = parse_article(_page(figure + _paragraphs(4)), URL).images[0]
    assert image["caption"] == "Smoke over the town."
    assert image["credit"] == "JANE DOE / AFP via Getty Images"


def test_credit_line_after_caption_line() -> None:
    box = "<div><img src='/b.jpg'><div>Fans hold a banner</div><div>REUTERS</div></div>"
    image = parse_article(_page(box + _paragraphs(4)), URL).images[0]
    assert (image["caption"], image["credit"]) == ("Fans hold a banner", "REUTERS")


def test_linked_caption_is_a_teaser() -> None:
    teaser = "<div><img src='/t.jpg'><p><a href='/news/other-story'>Another story entirely</a></p></div>"
    assert parse_article(_page(_paragraphs(4) + teaser), URL).images == []


def test_srcset_urls_with_commas() -> None:
    img = "<img srcset='/w_120,c_limit/x.jpg 120w, /w_640,c_limit/x.jpg 640w'>"
    images = parse_article(_page(img + _paragraphs(4)), URL).images
    assert images[0]["url"] == "https://example.org/w_640,c_limit/x.jpg"


def test_labelled_credit_forms() -> None:
    assert split_credit("Fire. Bild: Andreas Seidel/Archiv") == ("Fire.", "Andreas Seidel/Archiv")
    assert split_credit("A yearbook. Photo by Handout/AFP") == ("A yearbook.", "Handout/AFP")
    assert split_credit("On sale. (Bespoke Real Estate)") == ("On sale.", "Bespoke Real Estate")
    assert split_credit("Trump at a rally (Archivbild)") == ("Trump at a rally (Archivbild)", "")


def test_article_paragraph_class_that_sounds_like_boilerplate() -> None:
    page = _page(_paragraphs(6, "paywall") + "<div class='share'><p>" + PARAGRAPH + "Share me.</p></div>")
    body = parse_article(page, URL).body
    assert body.count("Number") == 6 and "Share me" not in body


def test_hidden_text_is_not_body() -> None:
    hidden = "<p>" + PARAGRAPH + "<span style='display:none'>secret tracking text</span></p>"
    assert "secret" not in parse_article(_page(_paragraphs(4) + hidden), URL).body


def test_standfirst_after_headline_is_the_lead() -> None:
    page = ("<html><head><meta name='description' content='SEO text'></head><body><h1>Headline</h1>"
            "<h2>The standfirst sums the story up in one sentence.</h2>"
            f"<div class='story'>{_paragraphs(4)}</div></body></html>")
    article = parse_article(page, URL)
    assert article.lead == "The standfirst sums the story up in one sentence."
    assert article.sources["lead"] == "generic"


def test_list_article_is_found() -> None:
    items = "".join(f"<li>Nominee {i}</li>" for i in range(40))
    page = (f"<html><body><header><p>{PARAGRAPH}</p></header>"
            f"<div class='nominees'><ul>{items}</ul></div></body></html>")
    assert "Nominee 39" in parse_article(page, URL).body


def test_closing_line_cuts_teasers() -> None:
    teasers = "<h3>More from Example</h3><p>Short teaser one.</p>"
    body = parse_article(_page(_paragraphs(8) + teasers), URL).body
    assert "More from" not in body and "teaser" not in body


def test_paragraphs_marked_up_as_spans_in_bare_divs() -> None:
    spans = "".join(f"<div class='block'><div class='c'><span>{PARAGRAPH}Number {i}.</span></div></div>"
                    for i in range(6))
    page = ("<html><body><div class='warning'><span>Your web browser is no longer supported. Update it "
            "here for a better experience of our site.</span></div><h1>Headline</h1>"
            f"<div class='story'>{spans}</div></body></html>")
    body = parse_article(page, URL).body
    assert body.count("Number") == 6 and "browser" not in body


def test_a_client_rendered_page_is_read_from_the_html_its_script_ships() -> None:
    import json

    story = "".join(f"<p>{PARAGRAPH}Number {i}.</p>" for i in range(5))
    figure = ("<div class='img-box'><img src='/p.jpg'><div class='caption'>"
              "<p>Leaders salute. 인천=연합뉴스</p></div></div>")
    state = json.dumps({"article": {"contentHtml": figure + story}})
    state = state.replace("<", "\\u003c").replace(">", "\\u003e")
    page = (f"<html><body><div id='app'><h1>Headline</h1><div class='loading'>Loading…</div></div>"
            f"<script>window.__STATE__ = {state};</script>"
            "<script>var broken = \"\\u003cp\\u003e unterminated \\x \";</script></body></html>")
    article = parse_article(page, URL)
    assert article.parser == "embedded" and article.body.count("Number") == 5
    assert [(i["url"], i["caption"], i["credit"]) for i in article.images] == [
        ("https://example.org/p.jpg", "Leaders salute.", "연합뉴스")]


def test_rows_of_a_data_table_in_the_body_are_kept() -> None:
    table = ("<table><tr><th>Parser</th><th>Speed</th></tr><tr><td>simdjson</td><td>2.2 GB/s</td></tr>"
             "<tr><td>json</td><td>0.091 GB/s</td></tr></table>")
    body = parse_article(_page(_paragraphs(4) + table + _paragraphs(2)), URL).body
    assert "Parser Speed" in body and "json 0.091 GB/s" in body
    layout = f"<table><tr><td><p>{PARAGRAPH}Cell.</p></td><td><p>{PARAGRAPH}Other.</p></td></tr></table>"
    body = parse_article(_page(_paragraphs(4) + layout), URL).body  # a layout row: its paragraphs
    assert body.count("Cell.") == 1 and body.count("Other.") == 1


def test_prose_standing_loose_between_blocks_of_the_container_is_kept() -> None:
    loose = (f"Loose opening: {PARAGRAPH}<br><br><h2>A subheading</h2><br>Loose middle:<br>{PARAGRAPH}"
             "<h3>Posted by</h3>Admin")
    body = parse_article(_page(loose + _paragraphs(4)), URL).body
    paragraphs = body.split("\n\n")
    assert paragraphs[0].startswith("Loose opening:") and paragraphs[1] == "A subheading"
    assert paragraphs[2].startswith("Loose middle: This sentence") and paragraphs[-1].endswith("Number 3.")
    assert "Admin" not in body  # a short run that is no sentence


def test_an_opening_beside_link_furniture_in_the_parent_is_kept() -> None:
    """The parent holding the opening also holds a share bar of links: its link density is higher
    than the container's, but the share bar is not collected, so the opening is still kept."""
    intro = f"<p>Opening: {PARAGRAPH}</p>"
    share = "".join(f"<a href='/s{i}'>Share on network number {i}</a> " for i in range(8))
    page = (f"<html><body><h1>Headline</h1><div class='story'>{intro}<div class='text'>{_paragraphs(6)}"
            f"</div><div>{share}</div></div></body></html>")
    article = parse_article(page, URL)
    assert article.body.startswith("Opening: ") and "Number 5." in article.body
    assert "Share on" not in article.body


def test_a_section_whose_id_is_its_heading_anchor_is_text() -> None:
    """``<div id="sharing-with-a-team"><h2>Sharing with a team</h2>`` (a documentation section) is
    not a share bar; an element named "sharing-tools" without such a heading still is."""
    section = (f"<div class='section' id='sharing-with-a-team'><h2>Sharing with a team</h2>"
               f"{_paragraphs(3, 'x')}</div>")
    tools = f"<div id='sharing-tools'><h2>Tools</h2><p>{PARAGRAPH}Tools.</p></div>"
    body = parse_article(_page(_paragraphs(6) + section + tools), URL).body
    assert "Sharing with a team" in body and body.count("Number") == 9
    assert "Tools." not in body


def test_the_rest_of_the_article_behind_a_read_more_expander_is_kept() -> None:
    """A collapsed continuation (``<div id="read-more">`` around a "Read more" link and the rest of
    the article) holds most of the text, in prose: it is the article, not a link to it."""
    rest = "".join(f"<p>{PARAGRAPH}Later {i}.</p>" for i in range(8))
    expander = (f"<div id='read-more'><div id='read-more-link'><a href=''>Read more</a></div>"
                f"<div id='read-more-content'>{rest}</div></div>")
    body = parse_article(_page(_paragraphs(6) + expander), URL).body
    assert body.count("Number") == 6 and body.count("Later") == 8
    teaser = f"<div class='read-more'><p>{PARAGRAPH}Teaser.</p></div>"  # little of the text: furniture
    assert "Teaser." not in parse_article(_page(_paragraphs(6) + teaser), URL).body
