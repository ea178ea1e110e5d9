"""Caption and credit of one image, found by structure.

The box is the image's ``<figure>`` (or a ``figcaption`` right after it), else the short
text right after the image or its wrapper. Inside the caption, a part named like a caption
("caption", "legend", "text") is the caption and what else the caption element says is the
credit ("<span class=caption>...</span> <span class=credit>Photo by X</span> /AFP via Getty");
a part named like a credit, or a short last part ("IMAGO/Nico Herbertz"), is the credit.
Otherwise the credit is split out of the text ("(Photo by AP)", "Foto: dpa"), or out of the
image's ``alt`` as a last resort."""

from __future__ import annotations

import re

from lxml import html

from newscrawl.extract.boilerplate import text_of as plain_text
from newscrawl.extract.credits import LABEL_ONLY, clean_credit, split_credit
from newscrawl.extract.figures import caption_child, figure_like, figure_of

CREDIT_CLASSES = re.compile(r"credit|copyright|byline|source|author|autor|photographer|rights|fotograf|"
                            r"quelle|urheber|licen[cs]e|lizenz",
                            re.IGNORECASE)
PHOTO_CREDIT_CLASSES = re.compile(r"credit|copyright|photographer|rights|fotograf|quelle|urheber|licen[cs]e|"
                                  r"lizenz", re.IGNORECASE)  # not a byline: that names the article's author
CAPTION_CLASSES = re.compile(r"caption|legend|bildunterschrift|beschreibung|description|desc\b|subtitle",
                             re.IGNORECASE)
CAPTION_PART = re.compile(r"(?:caption|legend)(?!\w*(?:credit|author|copyright))|[-_](?:text|title)$",
                          re.IGNORECASE)
NOT_VISIBLE_TAGS = ("button", "script", "style", "svg")  # their text is no part of a caption
MAX_XPATH_DEPTH = 200  # an element deeper than this is read by ``plain_text``
LEFTOVER_LABEL = re.compile(r"\s*(?:[|/–—-]\s*(?:copyright|photo|foto|bild|image|credit)?|©|\(c\)|copyright|"
                            r"(?:photo|foto|bild|image|credit)\s*:)\s*$", re.IGNORECASE)
LINKED_SHARE = 0.6  # a caption this much link text is a teaser's headline
MAX_CAPTION = 600  # characters: longer text next to an image is body, not a caption
MAX_CREDIT = 160
MAX_TAGGED_CREDIT = 80  # a <small>/<cite>/<footer> longer than this is not a bare credit
MAX_WRAPPER_DEPTH = 3
NOT_CAPTION_TAGS = ("img", "amp-img", "noscript", "picture", "script", "button", "source", "style", "svg")


def text_of(element: html.HtmlElement) -> str:
    """Visible text of an element: buttons ("Show more"), scripts and styles inside it left out."""
    depth = sum(1 for _ in element.iterancestors())
    if depth > MAX_XPATH_DEPTH or len(element.text_content()) > MAX_CAPTION:
        return plain_text(element)
    return " ".join(" ".join(_visible_texts(element)).split())


def _not_visible(element: html.HtmlElement) -> bool:
    """A button (by tag, role or class token), script, style or svg."""
    if element.tag in NOT_VISIBLE_TAGS or element.get("role") == "button":
        return True
    names = f" {element.get('class', '')} "
    return " button " in names or " btn " in names


def _visible_texts(element: html.HtmlElement) -> list[str]:
    """The text nodes under ``element`` in document order, those inside a ``_not_visible``
    descendant left out (a tail is the parent's text: kept)."""
    parts = [element.text] if element.text else []
    stack = [(element, iter(element))]
    while stack:
        node, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if stack and node.tail:
                parts.append(node.tail)
        elif isinstance(child.tag, str) and not _not_visible(child):
            if child.text:
                parts.append(child.text)
            stack.append((child, iter(child)))
        elif child.tail:
            parts.append(child.tail)
    return parts


def _names(element: html.HtmlElement) -> str:
    return f"{element.get('class', '')} {element.get('id', '')}"


def _descendants(box: html.HtmlElement) -> list[html.HtmlElement]:
    return [e for e in box.iter()
            if e is not box and isinstance(e.tag, str) and e.tag not in NOT_CAPTION_TAGS]


def _named(box: html.HtmlElement, pattern: re.Pattern[str]) -> html.HtmlElement | None:
    found = (e for e in _descendants(box) if text_of(e) and any(pattern.search(n) for n in _names(e).split()))
    return next(found, None)


def _heading(element: html.HtmlElement) -> bool:
    """A heading, or a box opening with one: a teaser's or a section's headline, not a caption."""
    return element.tag in HEADINGS or (len(element) > 0 and element[0].tag in HEADINGS)


HEADINGS = ("h2", "h3", "h4", "h5", "h6")


def caption_box(img: html.HtmlElement) -> tuple[html.HtmlElement | None, html.HtmlElement | None]:
    """(the box holding image and caption, the caption element) for an image."""
    figure = figure_of(img)
    if figure is not None:
        caption = caption_child(figure)  # an element without children is falsy
        if caption is None:
            caption = _named(figure, CAPTION_CLASSES)
        if caption is not None:
            return figure, caption
        img = figure
    node = img
    while node.getparent() is not None and node.getparent().tag in ("source", "picture", "a", "span"):
        node = node.getparent()  # lxml nests unclosed <source> elements: start from the outermost
    for _ in range(MAX_WRAPPER_DEPTH):
        parent = node.getparent()
        if parent is None:
            break
        for sibling in node.itersiblings():
            if sibling.tag in NOT_CAPTION_TAGS or not isinstance(sibling.tag, str):
                continue
            text = plain_text(sibling)
            if not text:
                continue
            if _heading(sibling) and not CAPTION_CLASSES.search(_names(sibling)):
                return (parent, sibling) if _linked(sibling) else (None, None)  # linked: a teaser's headline
            if sibling.find(".//h1") is not None or sibling.find(".//time") is not None:
                return None, None  # beside the article's header, or a teaser's headline and date
            if 3 <= len(text) <= MAX_CAPTION and (sibling.tag not in ("p", "h1", "h2", "h3")
                                                   or CAPTION_CLASSES.search(_names(sibling))
                                                   or parent.tag != "div" or len(parent) <= 3):
                return parent, sibling
            break
        if len(plain_text(parent)) > MAX_CAPTION:
            break
        node = parent
    return None, None


def _credit_element(box: html.HtmlElement, caption: html.HtmlElement | None) -> html.HtmlElement | None:
    """A credit of its own: an element named like one (outside a ``<figure>``, named for a photo
    credit: a byline beside is the article's), a ``<footer>``/``<cite>``/``<small>`` of the box,
    the short first part of the caption before a line break ("<span>The Yomiuri Shimbun</span>
    <br>..."), or its short last part ("... <span>IMAGO/Nico Herbertz</span>")."""
    inside = _descendants(caption) if caption is not None else []
    figure = figure_like(box) or caption is None
    around = [e for e in _descendants(box) if e not in inside
              and (figure or PHOTO_CREDIT_CLASSES.search(_names(e)))]  # a bigger box: not its byline
    for element in inside + around:  # the caption's own first
        text = text_of(element)
        named = CREDIT_CLASSES.search(_names(element))
        tagged = element.tag in ("footer", "cite", "small") and len(text) <= MAX_TAGGED_CREDIT
        if (named or tagged) and 1 < len(text) <= MAX_CREDIT and not LABEL_ONLY.match(text) \
                and (caption is None or text != text_of(caption)):
            return element
    if caption is not None and len(caption) > 1 and not (caption.text or "").strip():
        first = caption[0]  # "<span>The Yomiuri Shimbun</span><br>The leaders of ..."
        if first.tag in ("span", "em", "i", "small", "b", "strong") and not (first.tail or "").strip() \
                and caption[1].tag == "br" and 1 < len(text_of(first)) <= MAX_TAGGED_CREDIT \
                and (caption[1].tail or "").strip():
            return first
    if caption is not None and len(caption):
        last = caption[-1]
        while len(last) and last.tag in ("div", "p"):
            last = last[-1]  # a wrapper inside the caption: look at its own last part
        tail = (last.tail or "").strip()
        if last.tag in ("span", "em", "i", "small", "b", "strong") and not tail \
                and 1 < len(text_of(last)) <= MAX_CREDIT and text_of(last) != text_of(caption):
            return last
    return None


def _next_credit(caption: html.HtmlElement) -> str:
    """A short line right after a caption found next to an image ("<div>REUTERS</div>")."""
    sibling = caption.getnext()
    text = text_of(sibling) if sibling is not None and isinstance(sibling.tag, str) else ""
    return text if 1 < len(text) <= MAX_TAGGED_CREDIT and not text.endswith(".") and len(sibling) <= 2 else ""


def _remove(text: str, part: str) -> str:
    """``text`` without the last ``part`` in it (a credit ends a caption: "... (AP Photo/Jane Doe) -
    Copyright AP Photo"); a closing bracketed group holding it goes with it ("... (AP Photo/X)")."""
    if not part:
        return text
    start = _closing_group(text, part)
    if start is not None:
        return text[:start].strip(" |-–—/")
    at = text.rfind(part)
    if at < 0:
        return text
    return " ".join(f"{text[:at]} {text[at + len(part):]}".split()).strip(" |-–—/")


def _closing_group(text: str, part: str) -> int | None:
    """Where the bracketed group that ends ``text`` and holds ``part`` starts, the space before
    it included (a search for ``\\s*\\([^()]*part[^()]*\\)\\s*$`` without compiling one
    pattern per part); None when there is none."""
    if "(" in part or ")" in part:
        group = re.search(rf"\s*\([^()]*{re.escape(part)}[^()]*\)\s*$", text)
        return group.start() if group else None
    end = text.rstrip()
    opening = end.rfind("(", 0, len(end) - 1)
    if not end.endswith(")") or opening < 0 or ")" in end[opening:-1] or part not in end[opening + 1:-1]:
        return None
    return len(end[:opening].rstrip())


def caption_and_credit(img: html.HtmlElement) -> tuple[str, str] | None:
    """Caption and credit of an image ('' for each one not found); None when the text next to
    the image is a link (the image is a teaser of another article)."""
    box, caption = caption_box(img)
    if caption is not None and _linked(caption):
        return None
    caption_text, credit = _caption_and_credit(img, box, caption)
    return LEFTOVER_LABEL.sub("", caption_text), credit


def _button(element: html.HtmlElement) -> bool:
    """A link drawn as a button ("$285 at REI"): not caption text."""
    classes = element.get("class", "").split()
    return element.get("role") == "button" or "button" in classes or "btn" in classes


def _linked(caption: html.HtmlElement) -> bool:
    text = text_of(caption)
    linked = sum(len(text_of(a)) for a in caption.iter("a") if not _button(a))
    in_link = caption.tag != "figcaption" and next(caption.iterancestors("a"), None) is not None
    if caption.tag == "a" or in_link:
        linked = len(text)
    return bool(text) and linked >= LINKED_SHARE * len(text)


def _caption_and_credit(img: html.HtmlElement, box: html.HtmlElement | None,
                        caption: html.HtmlElement | None) -> tuple[str, str]:
    alt_credit = split_credit(img.get("alt") or "")[1] or split_credit(img.get("title") or "")[1]
    if box is None:
        return "", alt_credit
    text = text_of(caption) if caption is not None else ""
    part = _named(caption, CAPTION_PART) if caption is not None else None
    if part is not None and text_of(part) != text and not CREDIT_CLASSES.search(_names(part)):
        credit = _remove(text, text_of(part))
        own, rest = split_credit(text_of(part), alone=not credit)
        return own, clean_credit(credit) if credit and len(credit) <= MAX_CREDIT else rest or alt_credit
    element = _credit_element(box, caption)
    credit = text_of(element) if element is not None else ""
    if credit:
        rest = _remove(text, credit) if credit in text else text
        own, inner = split_credit(rest, alone=False)
        return (own if inner == clean_credit(credit) or not inner else rest), clean_credit(credit)
    own, credit = split_credit(text, alone=not alt_credit)
    if not credit and caption is not None and caption.tag != "figcaption" and not figure_like(box):
        credit = clean_credit(_next_credit(caption)) if _next_credit(caption) else ""
    return own, credit or alt_credit
