"""Captions and credits from signals that hold across publishers (issue 15): what the markup
declares (custom figure elements, microdata, aria, data attributes), JSON-LD images matched by
picture across size variants, and the shape of a credit. One signal per test, on hand-written
pages that none of the rules was tuned on."""

from __future__ import annotations

import json

import pytest

from newscrawl.extract import parse_article
from newscrawl.extract.credits import credit_shaped, split_credit
from newscrawl.extract.jsonld_images import picture_key
from newscrawl.items import Image

URL = "https://www.example-news.test/world/2025/03/04/storm-hits-coast"
TEXT = "".join(f"<p>This sentence is long enough to count as a paragraph of the story, number {i}.</p>"
               for i in range(6))


def _images(article_html: str, head: str = "") -> list[Image]:
    page = (f"<html><head>{head}</head><body><article><h1>Storm hits the coast</h1>"
            f"<div class='story-body'>{TEXT}{article_html}{TEXT}</div></article></body></html>")
    return parse_article(page, URL).images


def _captions(images: list[Image]) -> list[tuple[str, str]]:
    return [(image["caption"], image["credit"]) for image in images]


def test_a_custom_figure_element_with_a_custom_caption_element() -> None:
    figure = ("<x-image-block><x-image-caption>Waves break over the pier. Photo: Jane Roe/AP"
              "</x-image-caption><div class='frame'><img src='/img/storm-1.jpg'></div>"
              "<div class='tools'>Share</div></x-image-block>")
    assert _captions(_images(figure)) == [("Waves break over the pier.", "Jane Roe/AP")]


def test_role_figure_with_a_caption_slot() -> None:
    figure = ("<div role='figure'><span slot='caption'>Residents fill sandbags.</span>"
              "<picture><img src='/img/storm-2.jpg'></picture><div class='tools'>Share</div></div>")
    assert _captions(_images(figure)) == [("Residents fill sandbags.", "")]


def test_microdata_image_object_caption_and_copyright_holder() -> None:
    figure = ("<div itemscope itemtype='https://schema.org/ImageObject'><img src='/img/storm-3.jpg'>"
              "<div><span itemprop='caption'>A flooded street in the old town.</span>"
              "<meta itemprop='copyrightHolder' content='Reuters'></div></div>")
    assert _captions(_images(figure)) == [("A flooded street in the old town.", "Reuters")]


def test_aria_describedby_names_the_caption() -> None:
    figure = ("<div class='pic'><img src='/img/storm-4.jpg' aria-describedby='cap-4'></div>"
              f"{TEXT}<p id='cap-4'>Fallen trees block the coast road.</p>")
    assert _captions(_images(figure)) == [("Fallen trees block the coast road.", "")]


def test_data_attributes_of_a_carousel_slide() -> None:
    slides = "".join(f"<li class='slide' data-caption='&lt;p&gt;Scene {i} of the storm.&lt;/p&gt;' "
                     f"data-credit='Foto: dpa'><img data-src='/img/slide-{i}.jpg'></li>" for i in (1, 2))
    assert _captions(_images(f"<ul class='carousel'>{slides}</ul>")) == [
        ("Scene 1 of the storm.", "dpa"), ("Scene 2 of the storm.", "dpa")]


def test_an_article_level_data_attribute_is_not_the_pictures() -> None:
    page = (f"<html><body><article data-author='Max Muster' aria-labelledby='h'><h1 id='h'>Storm</h1>"
            f"<div class='story-body'>{TEXT}<div class='pic'><img src='/img/storm-5.jpg'></div>{TEXT}"
            f"<img src='/img/storm-6.jpg'></div></article></body></html>")
    assert [image["credit"] for image in parse_article(page, URL).images] == ["", ""]


def _ld(data: object) -> str:
    return f"<script type='application/ld+json'>{json.dumps(data)}</script>"


def test_json_ld_caption_and_credit_fill_a_picture_shown_in_another_size() -> None:
    ld = _ld({"@type": "NewsArticle", "headline": "Storm",
              "image": {"@type": "ImageObject",
                        "url": "https://cdn.example-news.test/2025/03/storm-lead-1200x675.jpg",
                        "caption": "The storm reaches the coast on Tuesday.",
                        "creditText": "STR/AFP via Getty Images"}})
    figure = "<div class='pic'><img src='https://cdn.example-news.test/2025/03/storm-lead-600x338.webp?w=600'></div>"
    assert _captions(_images(figure, head=ld)) == [("The storm reaches the coast on Tuesday.",
                                                    "STR/AFP via Getty Images")]


def test_json_ld_copyright_holder_is_the_credit_of_a_captioned_picture() -> None:
    ld = _ld({"@context": "https://schema.org", "@graph": [
        {"@type": "ImageObject", "contentUrl": "https://cdn.example-news.test/i/9f8e7d6c5b4a.jpg",
         "copyrightHolder": {"@type": "Organization", "name": "picture alliance"}}]})
    figure = ("<figure><img src='https://cdn.example-news.test/i/w_800,c_fill/9f8e7d6c5b4a.jpg'>"
              "<figcaption>Boats pulled ashore.</figcaption></figure>")
    assert _captions(_images(figure, head=ld)) == [("Boats pulled ashore.", "picture alliance")]


def test_json_ld_gallery_pictures_the_markup_renders_late_are_added() -> None:
    ld = _ld({"@type": "NewsArticle", "headline": "Storm",
              "image": {"url": "https://cdn.example-news.test/share/storm-social.jpg",
                        "caption": "Share picture."},
              "associatedMedia": [{"@type": "ImageObject", "url": "https://cdn.example-news.test/g/storm-g1.jpg",
                                   "caption": "The harbour at dawn.", "author": {"name": "Ana Lima"}}]})
    assert _captions(_images("", head=ld)) == [("The harbour at dawn.", "Ana Lima")]


def test_size_variants_of_one_picture_have_one_key() -> None:
    variants = ["https://img.example.test/c:1200:675/rs:fill:615:0/plain/2024/05/74c9cd9c-f3cf.jpeg",
                "https://img.example.test/c:1200:675/rs:fill:1600:0/plain/2024/05/74c9cd9c-f3cf.jpeg",
                "https://img.example.test/i/abc=/800x0/smart/file/uploads/ED_583616.jpg",
                "https://img.example.test/uploads/ED_583616_1200.webp"]
    assert picture_key(variants[0]) == picture_key(variants[1])
    assert picture_key(variants[2]) == picture_key(variants[3])
    assert picture_key("https://i.test/a/384x216_cmsv2_c8dc7a25-8368274.jpg") == picture_key(
        "https://i.test/a/1440x810_cmsv2_c8dc7a25-8368274.jpg")
    assert picture_key("https://a.test/x/abc/image.jpg") != picture_key("https://a.test/x/def/image.jpg")
    proxy = "https://cdn.test/images/dims?quality=85&image_uri=https%3A%2F%2Fs.test%2Fup%2F{}.jpeg&signature=1"
    assert picture_key(proxy.format("pier-a1b2c3")) != picture_key(proxy.format("storm-d4e5f6"))
    assert picture_key(proxy.format("pier-a1b2c3")) == picture_key("https://s.test/up/pier-a1b2c3-1200x800.jpeg")


SHAPES = [
    ("STR/AFP via Getty Images", ("", "STR/AFP via Getty Images")),
    ("Protesters in Kyiv. STR/AFP via Getty Images", ("Protesters in Kyiv.", "STR/AFP via Getty Images")),
    ("A protest. (STR/AFP via Getty Images)", ("A protest.", "STR/AFP via Getty Images")),
    ("A protest. Jim Watson/AFP/Getty Images", ("A protest.", "Jim Watson/AFP/Getty Images")),
    ("Crowds gather. REUTERS/Evelyn Hockstein", ("Crowds gather.", "REUTERS/Evelyn Hockstein")),
    ("Der Kanzler in Berlin. / dpa", ("Der Kanzler in Berlin.", "dpa")),
    ("Le président à Paris. Photo : Ludovic Marin / AFP", ("Le président à Paris.", "Ludovic Marin / AFP")),
    ("記者会見する首相（写真：共同）", ("記者会見する首相", "共同")),
    ("A man walks. Photo via Reuters", ("A man walks.", "Reuters")),
    ("A fire. Credit...Jane Doe for The New York Times", ("A fire.", "Jane Doe for The New York Times")),
    ("Illustration by Arina Kokoreva", ("", "Arina Kokoreva")),
    ("The minister in Shah Alam — Picture by Yusof Mat Isa", ("The minister in Shah Alam", "Yusof Mat Isa")),
]


@pytest.mark.parametrize(("text", "parts"), SHAPES)
def test_credit_shapes(text: str, parts: tuple[str, str]) -> None:
    assert split_credit(text) == parts


def test_what_is_not_a_credit_shape() -> None:
    assert split_credit("Berlin/Brandenburg") == ("Berlin/Brandenburg", "")
    assert split_credit("The Prime Minister of Canada. Justin Trudeau")[1] == ""
    assert split_credit("Reuters") == ("Reuters", "")
    assert split_credit("The picture by Monet hangs in the hall")[1] == ""
    assert not credit_shaped("the view from the pier")
    text = "Kyiv/Ukraine via Lviv"
    assert split_credit(text, alone=False)[0] == text  # a credit was found elsewhere: the text is the caption


def test_pictures_of_playlists_pop_ups_and_widgets_are_not_the_articles() -> None:
    story = "<figure><img src='/img/storm-7.jpg'><figcaption>The pier after the storm.</figcaption></figure>"
    widgets = [
        "<div class='clip-playlist'><figure><img src='/img/clip.jpg'><figcaption>Next clip</figcaption>"
        "</figure></div>",
        "<div role='dialog'><img src='/img/consent.jpg'><p>We use cookies to improve the site.</p></div>",
        "<div class='overlay' aria-modal='true'><figure><img src='/img/login.jpg'>"
        "<figcaption>Log in to read on</figcaption></figure></div>",
        "<div class='app-download'><figure><img src='/img/phone.jpg'><figcaption>Get our app</figcaption>"
        "</figure></div>",
        "<div class='shopping-box'><figure><img src='/img/kettle.jpg'><figcaption>A kettle, $20</figcaption>"
        "</figure></div>",
    ]
    for widget in widgets:
        assert _captions(_images(story + widget)) == [("The pier after the storm.", "")], widget


def test_a_headline_beside_a_picture_is_no_caption() -> None:
    linked = ("<div class='card'><div class='pic'><img src='/img/other.jpg'></div>"
              "<h3><a href='/world/2025/03/03/other-story'>Another storm last year</a></h3></div>")
    assert _images(linked) == []  # a teaser of another article
    beside = ("<div class='media'><div class='pic'><img src='/img/storm-8.jpg'></div>"
              "<h3>What happens next</h3></div>")
    assert _captions(_images(beside)) == [("", "")]  # a heading follows the picture: no caption


def test_a_declared_credit_is_cut_from_the_caption_that_repeats_it() -> None:
    figure = ("<figure itemscope itemtype='http://schema.org/ImageObject'><img src='/img/orchid.jpg'>"
              "<figcaption>Orchid in foam oasis (Lucy Akins)</figcaption>"
              "<meta itemprop='author' content='Lucy Akins'></figure>")
    only = ("<div data-credit='Mark Stout/iStock/Getty Images'><img src='/img/stout.jpg'>"
            "<span>Mark Stout/iStock/Getty Images</span></div>")
    assert _captions(_images(figure)) == [("Orchid in foam oasis", "Lucy Akins")]
    assert _captions(_images(only)) == [("", "Mark Stout/iStock/Getty Images")]


def test_embedded_state_fills_a_caption_the_markup_renders_late() -> None:
    state = {"props": {"pageProps": {"article": {
        "url": URL, "description": "The lead of the article, not a caption.",
        "media": [{"src": "https://cdn.example-news.test/photos/harbour-77f3a1-1600x900.jpg",
                   "caption": "<p>The harbour wall gave way at noon.</p>",
                   "credit": "Photo: Ana Lima/Reuters"}]}}}}
    head = f"<script id='__NEXT_DATA__' type='application/json'>{json.dumps(state)}</script>"
    figure = ("<div class='pic'><img src='https://cdn.example-news.test/photos/harbour-77f3a1-800x450.jpg'>"
              "</div>")
    assert _captions(_images(figure, head=head)) == [("The harbour wall gave way at noon.",
                                                      "Ana Lima/Reuters")]


def test_embedded_state_of_an_island_serialiser_gives_the_credit() -> None:
    island = {"attachments": [1, [[0, {"url": [0, "https://cdn.example-news.test/u/ED_583616.jpg"],
                                       "description": [0, "Traders at the market."],
                                       "copyright": [0, "Gallo Images"]}]]]}
    head = f"<script>window.__STATE__ = {json.dumps(island)};</script>"
    figure = "<div class='pic'><img src='https://cdn.example-news.test/i/800x0/smart/u/ED_583616.jpg'></div>"
    assert _captions(_images(figure, head=head)) == [("Traders at the market.", "Gallo Images")]


def test_a_picture_after_the_story_has_ended_is_not_the_articles() -> None:
    promo = ("<div class='after'><img src='/img/app-promo.jpg'><div>Save stories to read later in the app,"
             " on every device you are signed in on.</div></div>")
    middle = "<figure><img src='/img/storm-9.jpg'><figcaption>The beach at low tide.</figcaption></figure>"
    page = (f"<html><body><article><h1>Storm</h1><div class='story-body'>{TEXT}{middle}{TEXT}</div>"
            f"{promo}</article></body></html>")
    assert _captions(parse_article(page, URL).images) == [("The beach at low tide.", "")]
    more = "<p>" + "The story goes on below the picture, outside the container of the rest. " * 2 + "</p>"
    page = (f"<html><body><article><h1>Storm</h1><div class='story-body'>{TEXT}{TEXT}</div>"
            f"{middle}{more}</article></body></html>")
    assert _captions(parse_article(page, URL).images) == [("The beach at low tide.", "")]


def test_a_box_a_script_shows_later_is_not_the_articles() -> None:
    cloaked = ("<div x-cloak><figure><img src='/img/login-wall.jpg'><figcaption>Sign up to keep reading"
               "</figcaption></figure></div>")
    story = ("<figure><img src='/img/storm-10.jpg'><figcaption>Sandbags on the promenade.</figcaption>"
             "</figure>")
    assert _captions(_images(cloaked + story)) == [("Sandbags on the promenade.", "")]


def test_a_gallery_loaders_own_source_attribute_and_its_cloned_slides() -> None:
    slide = ("<div class='slide'><img src='data:image/gif;base64,R0lGOD' "
             "data-flickity-lazyload-src='https://cdn.example-news.test/g/pier-{size}.jpg'>"
             "<p class='caption'>The pier at night.</p></div>")
    gallery = f"<div class='gallery'>{slide.format(size='1200x800')}{slide.format(size='600x400')}</div>"
    images = _images(gallery)
    assert [(image["url"], image["caption"]) for image in images] == [
        ("https://cdn.example-news.test/g/pier-1200x800.jpg", "The pier at night.")]


def test_a_picture_in_a_video_box_with_a_named_caption_is_shown_not_a_poster_frame() -> None:
    lead = ("<div class='article-image-video'><div class='frame'><img src='/img/police.jpg'></div>"
            "<div class='article-caption'><span class='caption-text'>Swedish police officer "
            "<span>- </span><span class='caption-copyright'>Copyright </span>"
            "<span class='caption-credit'>Fredrik Persson/AP</span></span></div></div>")
    poster = "<div class='video-player'><img src='/img/poster.jpg'></div>"
    assert _captions(_images(lead + poster)) == [("Swedish police officer", "Fredrik Persson/AP")]


def test_the_credit_element_is_cut_where_it_ends_the_caption() -> None:
    figure = ("<figure><img src='/img/refinery.jpg'><figcaption>The refinery on Sunday. (AP Photo/Matias "
              "Delacroix) - Copyright <span class='credit'>AP Photo</span></figcaption></figure>")
    assert _captions(_images(figure)) == [("The refinery on Sunday. (AP Photo/Matias Delacroix)", "AP Photo")]
