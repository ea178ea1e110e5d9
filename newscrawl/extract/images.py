"""Editorial images: the lead image and in-body images with caption, credit and alt.

Lazy loading is resolved (``data-src`` and kin, the largest ``srcset`` candidate, a
``<noscript>`` fallback); logos, icons, SVG drawings, avatars, author portraits and thumbnails
of other articles are not editorial. A caption is a ``figcaption``, else the short text right
after the image (see ``captions``)."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit

from lxml import html

from newscrawl.extract.boilerplate import SKIP_TAGS, marked
from newscrawl.extract.captions import CAPTION_CLASSES, caption_and_credit, caption_box
from newscrawl.extract.credits import clean_credit, split_credit, without_credit
from newscrawl.extract.figures import declared
from newscrawl.extract.image_urls import IMAGE_FILE, image_url, join_url
from newscrawl.extract.jsonld_images import complete_from_json_ld, picture_key
from newscrawl.extract.placement import after_the_story
from newscrawl.extract.state_images import complete_from_state
from newscrawl.items import Image

NOT_EDITORIAL = re.compile(r"logo|icon|avatar|sprite|spacer|pixel|badge|emoji|placeholder|blank\.gif|"
                           r"newsletter|\.svg(?:[?#]|$)", re.IGNORECASE)  # SVG files: interface drawings
MEDIA_NAMES = re.compile(r"image|img|photo|picture|figure|media|gallery|caption|credit|slide|carousel",
                         re.IGNORECASE)
WRAPPER_SHARE = 0.5
FURNITURE = SKIP_TAGS - {"figure", "figcaption", "noscript", "button"}  # a button: click to enlarge
IMAGE_FURNITURE = re.compile(r"author|autor|profile|avatar|\bjobs?\b|career|newsletter|promo|playlist|"
                             r"\bdialog|cookie|consent|\blogin\b|sign-?in\b|app-?(?:download|banner|promo)|"
                             r"download-?app|(?:^|[\s_-])(?:shop|shopping|deals?)(?:$|[\s_-])",
                             re.IGNORECASE)  # pictures of people writing, of ads, of widgets and pop-ups
AUTHOR_CAPTION = ".//address|.//a[contains(concat(' ', @rel, ' '), ' author ')]"
TEASER_NAMES = re.compile(r"teaser", re.IGNORECASE)  # a box presenting another article
PLAYER_NAMES = re.compile(r"video|player", re.IGNORECASE)  # a poster frame is not an editorial image
ENLARGE_NAMES = re.compile(r"zoom|lightbox|enlarge|expand|fullscreen", re.IGNORECASE)  # opening the picture
PATH_TOKEN = re.compile(r"[A-Za-z0-9]+")
PICTURE_ID = re.compile(r"(?=.*[A-Za-z])(?=.*\d)\w{8,}|\d{9,}")  # "OYT1I50202", "409956049"; no date


def _wrapper(node: html.HtmlElement, page_text: int, sizes: dict[html.HtmlElement, int]) -> bool:
    if node not in sizes:
        sizes[node] = len(node.text_content())
    return sizes[node] >= WRAPPER_SHARE * page_text


@lru_cache(maxsize=4096)
def _name_marks(names: str) -> tuple[bool, bool, bool, bool]:
    """Do an element's names read as media, image furniture, a player, a teaser? (The same
    ancestors are asked about for every image under them.)"""
    return (bool(MEDIA_NAMES.search(names)), bool(IMAGE_FURNITURE.search(names)),
            bool(PLAYER_NAMES.search(names)), bool(TEASER_NAMES.search(names)))


def _furniture(img: html.HtmlElement, stop: html.HtmlElement, page_text: int,
               sizes: dict[html.HtmlElement, int], body: html.HtmlElement | None = None) -> bool:
    """Inside navigation, a share bar, related links, a video player...? Boxes named for media are
    not furniture, nor the parts of such a box ("widget--image" > "widget__contents"), nor the
    article's ``body`` container and what holds it, nor a box holding most of the page's text (a
    wrapper with an unlucky name), nor a player whose picture has a caption of its own."""
    figure = next(img.iterancestors("figure"), None)
    captioned = figure is not None and figure.find(".//figcaption") is not None
    ancestors = []
    for node in img.iterancestors():
        if node is stop or node is body:
            break
        ancestors.append(node)
    marks = [_name_marks(_names(node)) for node in ancestors]
    media = max((i for i, (named_media, _, _, _) in enumerate(marks) if named_media), default=-1)
    if _portrait(img, figure):
        return True
    for i, node in enumerate(ancestors):
        _, furniture, player, teaser = marks[i]
        if node.tag in FURNITURE or furniture or _popup(node) \
                or (player and not (captioned or _named_caption(img))):
            return True
        boxed = marked(node) or teaser
        if i > media and boxed and not _wrapper(node, page_text, sizes):
            return True
    return False


def _named_caption(img: html.HtmlElement) -> bool:
    """Does the picture have a caption box named as one ("c-article-caption") beside it? Then a
    "video" box holding it shows the picture, not a player's poster frame."""
    caption = caption_box(img)[1]
    return caption is not None and bool(CAPTION_CLASSES.search(_names(caption)))


def _popup(node: html.HtmlElement) -> bool:
    """A dialog drawn over the page (cookies, login, app download), or a box a script shows later
    (``x-cloak``): not the article's."""
    return node.get("role") in ("dialog", "alertdialog") or node.get("aria-modal") == "true" \
        or node.get("x-cloak") is not None


def _portrait(img: html.HtmlElement, figure: html.HtmlElement | None) -> bool:
    """A picture of the author: linked to the author (``rel=author``), or in a figure whose
    caption is an ``<address>`` or an author link."""
    link = next(img.iterancestors("a"), None)
    if link is not None and "author" in (link.get("rel") or "").split():
        return True
    return figure is not None and bool(figure.xpath(AUTHOR_CAPTION))


def _names(node: html.HtmlElement) -> str:
    return f"{node.get('class', '')} {node.get('id', '')}"


def _teaser(img: html.HtmlElement, page: str, source: str) -> bool:
    """A thumbnail linking to another page of the same site (a related article), not an image of
    this one; a picture linking elsewhere (a product, a source), to its own file or to its own
    page (``rel=attachment``, a zoom link) is editorial."""
    link = next(img.iterancestors("a"), None)
    if link is None or not link.get("href"):
        return False
    target = join_url(page, link.get("href", "")).split("#")[0]
    if not target:
        return False  # a link that is no URL leads nowhere: the picture is this article's
    same_site = urlsplit(target).hostname == urlsplit(page).hostname
    enlarge = "attachment" in (link.get("rel") or "").split() or ENLARGE_NAMES.search(_names(link))
    return same_site and target != page.split("#")[0] and not IMAGE_FILE.search(target) \
        and not enlarge and not _photo_page(target, page, source)


def _photo_page(target: str, page: str, source: str) -> bool:
    """Does a link lead to the picture's own page: under this article's path
    (".../article-id/photo/ID/"), or named by the picture's file ("/pluralphoto/20241203-OYT1I50202/"
    for ".../20241203-OYT1I50202-1.jpg")?"""
    path, own = urlsplit(target).path, urlsplit(page).path.rstrip("/")
    if len(own) > 1 and path.startswith(own + "/"):
        return True
    ids = [t for t in PATH_TOKEN.findall(urlsplit(source).path.rsplit("/", 1)[-1]) if PICTURE_ID.fullmatch(t)]
    return any(token in PATH_TOKEN.findall(path) for token in ids)


def extract_images(region: html.HtmlElement, base: str, lead: dict[str, str] | None = None,
                   body: html.HtmlElement | None = None,
                   failed: list[tuple[str, Exception]] | None = None) -> list[Image]:
    """Editorial images in ``region`` (the article's part of the page, holding the ``body``
    container where one was found), in order; the structured-data ``lead`` image only when the
    page itself shows none. Each image on its own: one that raises is left out (a caption that
    raises leaves its image without caption), and ``(part, exception)`` goes to ``failed``."""
    images: list[Image] = []
    seen: set[str] = set()
    page_text = len(region.text_content())
    sizes: dict[html.HtmlElement, int] = {}
    late = after_the_story(region, body)
    pictures: dict[str, int] = {}  # picture key -> index in images
    for img in region.iter("img", "amp-img"):
        if img in late:
            continue
        try:
            image = _image(img, region, base, page_text, sizes, body, seen, failed)
        except Exception as exc:
            if failed is None:
                raise
            failed.append(("image", exc))
            continue
        if image is not None:
            seen.add(image["url"])
            _add(images, image, pictures)
    images = complete_from_state(complete_from_json_ld(images, region, base), region)
    if lead and lead.get("url") and not images:  # the page shows no image: the declared one
        url = join_url(base, lead["url"])
        if url and not NOT_EDITORIAL.search(url):
            caption, credit = split_credit(lead.get("caption", ""))
            images.insert(0, Image(url=url, caption=caption, credit=lead.get("credit") or credit, alt=""))
    return images


def _add(images: list[Image], image: Image, pictures: dict[str, int]) -> None:
    """Append ``image`` unless it is another size of a picture already there saying the same or
    nothing (a carousel's cloned slide, a mobile and a desktop copy): two pictures may share a
    file name, so a copy with a caption of its own is kept."""
    key = picture_key(image["url"])
    earlier = images[pictures[key]] if key in pictures else None
    if earlier is not None and (image["caption"] == earlier["caption"]
                                or not (image["caption"] or image["credit"])):
        return
    if key:
        pictures.setdefault(key, len(images))
    images.append(image)


def _image(img: html.HtmlElement, region: html.HtmlElement, base: str, page_text: int,
           sizes: dict[html.HtmlElement, int], body: html.HtmlElement | None, seen: set[str],
           failed: list[tuple[str, Exception]] | None) -> Image | None:
    """One ``img`` as an editorial image, or None when it is not one."""
    url = image_url(img, base)
    if not url or url in seen or NOT_EDITORIAL.search(url) \
            or _furniture(img, region, page_text, sizes, body) or _teaser(img, base, url):
        return None
    width = img.get("width", "")
    if width.isdigit() and int(width) < 100:
        return None
    try:
        found = caption_and_credit(img)
    except Exception as exc:
        if failed is None:
            raise
        failed.append(("captions", exc))
        found = ("", "")
    if found is None:
        return None  # a teaser of another article
    caption, credit = found
    if not caption or not credit:  # what the markup declares: microdata, aria, data attributes
        said_caption, said_credit = declared(img)
        if not caption and said_caption:
            caption, inner = split_credit(said_caption, alone=not (credit or said_credit))
            credit = credit or inner
        credit = credit or (clean_credit(said_credit) if said_credit else "")
        caption = without_credit(caption, credit)
    return Image(url=url, caption=caption, credit=credit, alt=(img.get("alt") or "").strip())
