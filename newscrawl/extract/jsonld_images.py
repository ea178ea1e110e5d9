"""The article's pictures as its JSON-LD declares them (``image``, ``associatedMedia``, an
``ImageGallery``, a lone ``ImageObject``) with caption and credit (``creditText``,
``copyrightHolder``, ``author``), matched to the page's images by picture: the size variants
of one picture are one picture (``picture_key`` compares the path without size and crop parts)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, unquote, urljoin, urlsplit

from lxml import html

from newscrawl.extract.credits import clean_credit, split_credit, without_credit
from newscrawl.extract.structured import ARTICLE_TYPES
from newscrawl.items import Image

NOT_EDITORIAL = re.compile(r"logo|icon|avatar|placeholder|\.svg(?:[?#]|$)", re.IGNORECASE)

IMAGE_KEYS = ("image", "associatedMedia", "hasPart", "primaryImageOfPage")
IMAGE_TYPES = {"imageobject", "imagegallery", "mediagallery", "photograph"}
SIZE_SEGMENT = re.compile(r"^(?:\d+(?:x\d*)?|[whcqs]{1,2}[_:=-]\d+(?:[,:][\w.:,-]*)?|[\w.-]*[:,][\w.:,-]*|"
                          r"(?:w|h|q|c|crop|fit|fill|resize|thumb|thumbnail|small|medium|large|original|"
                          r"full|smart|filters)\b.*)$", re.IGNORECASE)
SIZE_SUFFIX = re.compile(r"(?:[-_.@](?:\d{2,4}x\d{0,4}|\d{2,4}w|w\d{2,4}|\d{3,4}|\dx|"
                         r"[a-z]?\d{2,4}(?:x\d{2,4})?))+$"
                         r"|[-_](?:thumb|small|medium|large|original|full)$", re.IGNORECASE)
SIZE_PREFIX = re.compile(r"^\d{2,4}x\d{2,4}[-_]")
IMAGE_NAME = re.compile(r"\.(?:jpe?g|png|gif|webp|avif|heic)$", re.IGNORECASE)
EXTENSION = re.compile(r"\.(?:jpe?g|png|gif|webp|avif|heic)$", re.IGNORECASE)
MAX_DEPTH = 8
GALLERY_TYPES = {"imagegallery", "mediagallery"}
LISTING_KEYS = ("associatedMedia", "hasPart")
LISTING = re.compile(r"associatedMedia|hasPart|Gallery")


def picture_key(url: str) -> str:
    """One key for every size variant of a picture: the file name without its extension and size
    suffix ("fire-1200x675.webp" -> "fire"), with the folder above it unless the name alone is
    distinctive; query strings (``?w=600&crop=...``) and size folders ("/800x0/", "/w_120,c_fill/")
    left out. A resizing proxy ("/images/dims?...&image_uri=<picture>") is keyed by the picture it
    serves; a path that names no picture file keeps its query (nothing to unify)."""
    try:
        parts_of = urlsplit(url)
        path = unquote(parts_of.path)
    except ValueError:
        return ""
    segments = [p for p in path.split("/") if p]
    if not segments:
        return ""
    if parts_of.query and not IMAGE_NAME.search(segments[-1]):
        inner = next((v for _, v in parse_qsl(parts_of.query) if IMAGE_NAME.search(urlsplit(v).path)
                      and ("/" in v)), "")
        return picture_key(inner) if inner and inner != url else f"{path}?{parts_of.query}"
    parts = [p for p in segments[:-1] if not SIZE_SEGMENT.match(p)] + segments[-1:]
    name = SIZE_PREFIX.sub("", EXTENSION.sub("", parts[-1].lower()))  # "1440x810_cmsv2_..." -> "cmsv2_..."
    stem = SIZE_SUFFIX.sub("", name) or name
    distinctive = len(stem) >= 12 or (len(stem) >= 6 and any(c.isdigit() for c in stem))
    return stem if distinctive or len(parts) < 2 else f"{parts[-2].lower()}/{stem}"


def _names(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return _names(value.get("name") or "")
    if isinstance(value, list):
        return ", ".join(n for n in (_names(v) for v in value) if n)
    return ""


def _image(obj: dict[str, Any]) -> dict[str, str] | None:
    url = obj.get("contentUrl") or obj.get("url") or ""
    if isinstance(url, list):
        url = url[0] if url else ""
    caption = obj.get("caption") or obj.get("description") or ""
    if isinstance(caption, dict):  # {"@type": "MediaObject", "text": ...}
        caption = caption.get("text") or caption.get("name") or ""
    credit = obj.get("creditText") or _names(obj.get("copyrightHolder")) or _names(obj.get("author")) \
        or _names(obj.get("creator")) or ""
    if not isinstance(url, str) or not url or not isinstance(caption, str) or not isinstance(credit, str):
        return None
    return {"url": url, "caption": " ".join(caption.split()), "credit": " ".join(credit.split())}


def _types(obj: dict[str, Any]) -> set[str]:
    kind = obj.get("@type", "")
    return {str(k).lower() for k in (kind if isinstance(kind, list) else [kind])}


def _walk_images(value: Any, depth: int = 0, listed: bool = False) -> Iterator[dict[str, str]]:
    """Every image object under ``value``; ``listed`` marks those of a gallery or of the article's
    ``associatedMedia`` (pictures of the story, not the one picture chosen for sharing)."""
    if depth > MAX_DEPTH:
        return
    if isinstance(value, list):
        for entry in value:
            yield from _walk_images(entry, depth + 1, listed)
    elif isinstance(value, dict):
        found = _image(value) if _types(value) & IMAGE_TYPES or "contentUrl" in value or "caption" in value \
            else None
        if found is not None:
            yield {**found, "listed": "1" if listed else ""}
        gallery = bool(_types(value) & GALLERY_TYPES)
        for key in IMAGE_KEYS:
            if key in value:
                yield from _walk_images(value[key], depth + 1, listed or gallery or key in LISTING_KEYS)


def _objects(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > MAX_DEPTH:
        return
    if isinstance(data, list):
        for entry in data:
            yield from _objects(entry, depth + 1)
    elif isinstance(data, dict):
        yield data
        for key in ("@graph", "mainEntity", "mainEntityOfPage"):
            if key in data:
                yield from _objects(data[key], depth + 1)


def declared_images(tree: html.HtmlElement) -> dict[str, dict[str, str]]:
    """picture key -> {"url", "caption", "credit"} for the images of the page's articles (and lone
    ``ImageObject``s and galleries), first declaration of a picture first; a publisher's logo is
    none of them."""
    found: dict[str, dict[str, str]] = {}
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text_content().strip() or "null", strict=False)
        except (json.JSONDecodeError, RecursionError):
            continue
        for obj in _objects(data):
            types = _types(obj)
            if types & ARTICLE_TYPES:
                images = [image for key in IMAGE_KEYS if key in obj
                          for image in _walk_images(obj[key], listed=key in LISTING_KEYS)]
            elif types & IMAGE_TYPES:
                images = list(_walk_images(obj))
            else:
                continue
            for image in images:
                key = picture_key(image["url"])
                if key and (image["caption"] or image["credit"]):
                    found.setdefault(key, image)
    return found


def complete_from_json_ld(images: list[Image], region: html.HtmlElement, base: str) -> list[Image]:
    """The page's images with the caption and credit JSON-LD gives their picture where the markup
    gave none; a declared picture with a caption the page does not show (rendered late, by a
    script) is added after them."""
    root = region.getroottree().getroot()
    complete = all(image["caption"] and image["credit"] for image in images)
    if complete and not any(LISTING.search(s.text or "") for s in root.iter("script")
                            if s.get("type") == "application/ld+json"):
        return images  # nothing to fill, nothing to add: no JSON to parse
    declared = declared_images(root)
    if not declared:
        return images
    shown = set()
    for image in images:
        key = picture_key(image["url"])
        shown.add(key)
        said = declared.get(key)
        if said is None:
            continue
        if not image["caption"] and said["caption"]:
            caption, inner = split_credit(said["caption"], alone=not (image["credit"] or said["credit"]))
            image["caption"], image["credit"] = caption, image["credit"] or inner
        if not image["credit"] and said["credit"]:
            image["credit"] = clean_credit(said["credit"])
            image["caption"] = without_credit(image["caption"], image["credit"])
    captions = {image["caption"] for image in images}
    for key, said in declared.items():
        caption, inner = split_credit(said["caption"], alone=not said["credit"])
        if key in shown or not said["listed"] or not caption or caption in captions \
                or NOT_EDITORIAL.search(said["url"]):
            continue
        url = urljoin(base, said["url"])
        images.append(Image(url=url, caption=caption, credit=clean_credit(said["credit"]) if said["credit"]
                            else inner, alt=""))
        captions.add(caption)
    return images
