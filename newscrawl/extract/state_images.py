"""Captions and credits the page's embedded state gives (``__NEXT_DATA__``, ``window.__STATE__ =
{...}``, Astro/Nuxt islands) for pictures the markup shows without them (a script renders the
caption late). An image object of the state is a JSON object with its own picture URL (``url``,
``src``, ``contentUrl``...) and a caption or credit key; it is matched to the page's images by
picture (``picture_key``). The state only fills what the markup left empty: it adds no image."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from lxml import html

from newscrawl.extract.credits import clean_credit, split_credit, without_credit
from newscrawl.extract.figures import plain
from newscrawl.extract.jsonld_images import picture_key
from newscrawl.items import Image

URL_KEYS = ("url", "src", "contentUrl", "imageUrl", "image_url", "originalUrl", "original", "source_url",
            "file", "href")
CAPTION_KEYS = ("caption", "captionText", "caption_text", "imageCaption", "legend", "description")
CREDIT_KEYS = ("credit", "creditText", "credits", "copyright", "copyrightHolder", "photographer",
               "imageCredit", "credit_text")
CAPTION_OR_CREDIT = frozenset(CAPTION_KEYS + CREDIT_KEYS)
IMAGE_URL = re.compile(r"^(?:https?:)?//|^/", re.IGNORECASE)
IMAGE_FILE = re.compile(r"\.(?:jpe?g|png|gif|webp|avif)(?:[?#]|$)|/image", re.IGNORECASE)
HINT = re.compile(r'"(?:caption|credit|copyright)', re.IGNORECASE)
MAX_SCRIPT = 5_000_000
MAX_NODES = 200_000
MAX_CAPTION = 600


def _value(value: Any) -> Any:
    """A value, unwrapped from a serialiser's ``[0, value]`` pair (Astro islands)."""
    if isinstance(value, list) and len(value) == 2 and isinstance(value[0], int):
        return value[1]
    return value


def _text(value: Any) -> str:
    value = _value(value)
    if isinstance(value, dict):
        value = _value(value.get("name") or value.get("text") or "")
    return plain(value) if isinstance(value, str) else ""


def _first(obj: dict[str, Any], keys: tuple[str, ...]) -> str:
    return next((text for text in (_text(obj[k]) for k in keys if k in obj) if text), "")


def _nodes(data: Any) -> Iterator[dict[str, Any]]:
    """Every object in ``data`` (depth first, at most ``MAX_NODES`` containers)."""
    stack, seen = [data], 0
    while stack and seen < MAX_NODES:
        node = _value(stack.pop())
        seen += 1
        if isinstance(node, dict):
            yield node
            stack.extend(v for v in node.values() if isinstance(v, dict | list))
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, dict | list))


def _documents(tree: html.HtmlElement, needles: set[str]) -> Iterator[Any]:
    """The JSON documents of the page's scripts that name one of ``needles`` (the file names of
    the pictures to complete) and hold a caption or credit key."""
    decoder = json.JSONDecoder(strict=False)
    for script in tree.iter("script"):
        text = script.text or ""
        kind = (script.get("type") or "").lower()
        if script.get("src") or "ld+json" in kind or len(text) > MAX_SCRIPT \
                or not any(needle in text for needle in needles) or not HINT.search(text):
            continue
        starts = sorted(i for i in (text.find("{"), text.find("[")) if i >= 0)
        for start in starts[:1]:
            try:
                yield decoder.raw_decode(text, start)[0]
            except (ValueError, RecursionError):
                continue


def state_images(tree: html.HtmlElement, needles: set[str]) -> dict[str, tuple[str, str]]:
    """picture key -> (caption, credit) of the image objects in the page's embedded state (the
    scripts naming one of ``needles``)."""
    found: dict[str, tuple[str, str]] = {}
    for document in _documents(tree, needles):
        for obj in _nodes(document):
            if not (obj.keys() & CAPTION_OR_CREDIT):
                continue
            url = _first(obj, URL_KEYS)
            if not url or not IMAGE_URL.match(url) or not IMAGE_FILE.search(url):
                continue
            caption, credit = _first(obj, CAPTION_KEYS), _first(obj, CREDIT_KEYS)
            key = picture_key(url)
            if key and (caption or credit) and len(caption) <= MAX_CAPTION:
                found.setdefault(key, (caption, credit))
    return found


def _file_stem(url: str) -> str:
    """The start of the picture's file name as written in the URL, before any size suffix
    ("harbour-77f3a1-800x450.jpg" -> "harbour-77f3a1"): what a script naming the picture, in any
    size, holds."""
    name = url.split("?")[0].rstrip("/").rsplit("/", 1)[-1]
    stem = SIZE_TAIL.sub("", name.rsplit(".", 1)[0])
    return stem[:NEEDLE] if len(stem) >= 6 else ""


SIZE_TAIL = re.compile(r"[-_.@]\d{2,4}x\d{0,4}$")
NEEDLE = 16  # characters: size suffixes written after them do not matter


def complete_from_state(images: list[Image], region: html.HtmlElement) -> list[Image]:
    """The page's images with the caption and credit the embedded state gives where both markup
    and JSON-LD gave none."""
    needles = {_file_stem(image["url"]) for image in images if not (image["caption"] and image["credit"])}
    needles.discard("")
    if not needles:
        return images
    state = state_images(region.getroottree().getroot(), needles)
    for image in images:
        said = state.get(picture_key(image["url"]))
        if said is None:
            continue
        caption, credit = said
        if not image["caption"] and caption:
            image["caption"], inner = split_credit(caption, alone=not (image["credit"] or credit))
            image["credit"] = image["credit"] or inner
        if not image["credit"] and credit:
            image["credit"] = clean_credit(credit)
            image["caption"] = without_credit(image["caption"], image["credit"])
    return images
