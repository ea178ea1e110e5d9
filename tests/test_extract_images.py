"""Which images are the article's, and how captions and credits are told apart: one behaviour
per test, on small synthetic pages shaped like the real layouts that needed each rule."""

from __future__ import annotations

from newscrawl.extract import parse_article
from newscrawl.extract.credits import clean_credit, split_credit
from newscrawl.items import Image

URL = "https://news.example.org/politics/2024/10/13/leaders-debate"
TEXT = "".join(f"<p>This sentence is long enough to count as a paragraph of the story, number {i}.</p>"
               for i in range(6))


def _images(article_html: str, around: str = "") -> list[Image]:
    page = f"<html><body>{around}<article><h1>Leaders debate</h1>{article_html}</article></body></html>"
    return parse_article(page, URL).images


def _captions(images: list[Image]) -> list[tuple[str, str]]:
    return [(image["caption"], image["credit"]) for image in images]


def test_parts_of_a_box_named_for_media_are_not_furniture() -> None:
    widget = ("<div class='widget widget--type-image'><div class='widget__wrapper'>"
              "<div class='widget__contents'><figure><img src='/refinery.jpg'><figcaption>"
              "<span class='caption-text'>A refinery.</span>"
              "<span class='caption-credit'>AP Photo</span></figcaption></figure></div></div></div>")
    assert _captions(_images(f"<div class='body'>{TEXT}{widget}</div>")) == [("A refinery.", "AP Photo")]
    related = ("<div class='related-widget'><div class='item'><img src='/other.jpg'>"
               "<p>Another story</p></div></div>")
    assert _images(f"<div class='body'>{TEXT}{related}</div>") == []


def test_the_body_container_is_never_furniture_whatever_its_name() -> None:
    figure = "<figure><img src='/jump.jpg'><figcaption>FINALE: She jumps. Photo: NTB</figcaption></figure>"
    facts = "<ul class='facts'>" + "<li>One fact beside the story</li>" * 60 + "</ul>"  # most of the text
    images = _images(f"<div class='article-body container-widget-content'>{TEXT}{figure}{TEXT}</div>{facts}")
    assert _captions(images) == [("FINALE: She jumps.", "NTB")]


def test_a_lead_image_beside_the_headline_block_is_the_articles() -> None:
    lead = ("<div class='top'><figure><img src='/lead.jpg'><figcaption>Protest in Nairobi</figcaption>"
            "</figure></div>")
    page = (f"<html><body><article>{lead}<div class='main'><h1>Headline</h1><div class='content'>{TEXT}</div>"
            "</div></article></body></html>")
    assert _captions(parse_article(page, URL).images) == [("Protest in Nairobi", "")]


def test_a_picture_linking_to_its_own_page_is_editorial_another_article_is_a_teaser() -> None:
    def linked(href: str, src: str = "/media/2024/12/20241203-OYT1I50202-1.jpg", rel: str = "") -> str:
        return (f"<figure><a href='{href}' rel='{rel}'><img src='{src}'></a>"
                "<figcaption>People watch the speech on TV</figcaption></figure>")

    own = [linked(URL + "/photo/ABC/"), linked("/pluralphoto/20241203-OYT1I50202/"),
           linked("/attachment/216479/", rel="attachment wp-att-216479")]
    for figure in own:
        assert _captions(_images(TEXT + figure)) == [("People watch the speech on TV", "")], figure
    assert _images(TEXT + linked("/world/20241203-OYT1T50100/")) == []  # same day, another story


def test_author_portraits_are_not_article_images() -> None:
    portrait = ("<figure><img src='/unger.jpg'><figcaption><address>Von <a rel='author' "
                "href='https://people.example.net/unger'>Christian Unger</a>, Redakteur</address>"
                "</figcaption></figure>")
    linked = ("<figure><a rel='author' href='https://people.example.net/unger'><img src='/unger2.jpg'></a>"
              "<figcaption>Christian Unger</figcaption></figure>")
    assert _images(portrait + linked + TEXT) == []


def test_interface_drawings_and_newsletter_art_are_not_article_images() -> None:
    drawings = ("<figure><img src='/static/media/zoom-in.f7dae02f.svg'><figcaption>Zoom</figcaption></figure>"
                "<figure><img src='/img/newsletters/newsletter_embed.png'><figcaption>Get our daily email"
                "</figcaption></figure>")
    assert _images(TEXT + drawings) == []


def test_teaser_boxes_and_headers_next_to_a_picture_are_not_captions() -> None:
    teaser = ("<div class='teaser'><div class='teaserimage'><img src='/comet.jpg'></div>"
              "<div class='teaserpadding'><p>A dentist found a comet. <a href='/comet'>mehr</a></p>"
              "</div></div>")
    header = ("<div class='top'><picture><img src='/foden.jpg'></picture><div class='header'>"
              "<h1>Who is Phil Foden's girlfriend</h1><time>22 Apr 2024</time></div></div>")
    assert _images(TEXT + teaser) == []
    assert _captions(_images(header + TEXT)) == [("", "")]


def test_button_links_in_a_caption_are_not_caption_text() -> None:
    product = ("<div class='product-embed'><a href='https://shop.example.com/x'>"
               "<span><img src='/bag.jpg'></span>"
               "<p class='ImageCreditWrapper'>Photograph: Scott Gilbertson</p></a>"
               "<div class='product-embed__content'><div class='hed'>Marmot Ultra Elite 20</div>"
               "<a class='button button--primary' href='https://shop.example.com/x'>$210 at Amazon</a>"
               "</div></div>")
    assert _captions(_images(TEXT + product)) == [("Marmot Ultra Elite 20", "Scott Gilbertson")]


def test_a_byline_beside_a_caption_in_a_big_column_is_not_its_credit() -> None:
    column = (f"<div class='header'><img src='/icj.jpg'><div class='image-caption'>Hearings began on Monday. "
              f"(Photo: UN Photo / Frank van Beek)</div><div><span class='author-name'>By Victoria O'Regan"
              f"</span></div>{TEXT}</div>")
    assert _captions(_images(column)) == [("Hearings began on Monday.", "UN Photo / Frank van Beek")]


def test_credit_element_forms() -> None:
    first = ("<figure><img src='/a.jpg'><figcaption><span>The Yomiuri Shimbun</span><br>The leaders of seven "
             "parties debate in Tokyo.</figcaption></figure>")
    license_part = ("<figure><img src='/b.jpg'><figcaption class='wp-caption-text'>Baking bread in an advert "
                    "<span class='media-license-caption'> – Midjourney</span></figcaption></figure>")
    named = ("<figure><img src='/c.jpg'><figcaption><div class='bildautor'>Bild: SN/APA/KEYSTONE</div>"
             "Mourning day on Friday</figcaption></figure>")
    assert _captions(_images(TEXT + first + license_part + named)) == [
        ("The leaders of seven parties debate in Tokyo.", "The Yomiuri Shimbun"),
        ("Baking bread in an advert", "Midjourney"), ("Mourning day on Friday", "SN/APA/KEYSTONE")]


def test_credit_text_forms() -> None:
    assert split_credit("( Image: Liverpool Echo)") == ("", "Liverpool Echo")
    assert split_credit("Tomer Appelbaum/Haaretz") == ("", "Tomer Appelbaum/Haaretz")
    assert split_credit("Berlin/Brandenburg") == ("Berlin/Brandenburg", "")
    assert split_credit("イスラエルの国旗＝同国で2019年5月") == ("イスラエルの国旗＝同国で2019年5月", "")
    assert split_credit("テレビで見る国民＝ＡＰ") == ("テレビで見る国民", "ＡＰ")
    assert clean_credit("Picture Alliance") == "Picture Alliance"
    assert clean_credit("Picture: Alliance") == "Alliance"
    assert clean_credit("© Anett Seidler | Anett Seidler") == "Anett Seidler"
    assert clean_credit("Arne Dedert/dpa | Arne Dedert") == "Arne Dedert/dpa | Arne Dedert"
