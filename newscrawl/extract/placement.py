"""Where a picture sits relative to the article's body container: inside it or before it (the
lead image beside the headline) it is the article's; after the body has ended, with no more of
the story's text below it, it belongs to what follows the article (related stories, promotions,
pop-ups of the site)."""

from __future__ import annotations

from lxml import html

MIN_STORY_PARAGRAPH = 100  # characters: a paragraph this long below a picture is still the story


def after_the_story(region: html.HtmlElement, body: html.HtmlElement | None) -> set[html.HtmlElement]:
    """The ``img`` elements of ``region`` that come after ``body`` (outside it) with no paragraph
    of at least ``MIN_STORY_PARAGRAPH`` characters after them; none when there is no body."""
    if body is None or body is region or region not in body.iterancestors():
        return set()
    inside = set(body.iter())
    seen_body, pending = False, []
    late: set[html.HtmlElement] = set()
    for element in region.iter():
        if element in inside:
            seen_body = True
            continue
        if not seen_body:
            continue
        if element.tag in ("img", "amp-img"):
            pending.append(element)
        elif element.tag == "p" and pending and len(element.text_content().strip()) >= MIN_STORY_PARAGRAPH:
            pending.clear()  # the story goes on below these pictures
    late.update(pending)
    return late
