"""``build_mock_site``: a deterministic Press TV-like site with a manifest of its articles."""

from __future__ import annotations

import math
import random
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, timezone

from newscrawl.testing.mocksite.article_html import render_article
from newscrawl.testing.mocksite.feeds import render_robots, render_rss, render_sitemap
from newscrawl.testing.mocksite.links import article_path, noisy_href, slug_variants, slugify
from newscrawl.testing.mocksite.listing_html import render_home, render_section_page
from newscrawl.testing.mocksite.model import ArticleRecord, MockSite
from newscrawl.testing.mocksite.seed import load_seed, seed_expected
from newscrawl.testing.mocksite.text import SECTION_NAMES, Prose, Quote

TEHRAN = timezone(timedelta(hours=3, minutes=30))
SEED_SECTION = 104
SEED_POSITION = 2
"""The seed article is the third newest: on the first listing page and in the feed."""
_WEIGHTS = {101: 4, 10101: 2, 10102: 2, 10106: 1, 102: 4, 103: 2, 104: 2, 105: 1, 106: 1, 107: 1, 108: 1}
_CAPTIONS = ["People walk past closed shops in {place} on {when}.",
             "A general view of {place} is seen on {when}.",
             "Officials attend a meeting in {place} on {when}.",
             "Security forces stand guard in {place} on {when}."]


def _dc_date(moment: datetime) -> str:
    hour = moment.hour % 12 or 12
    return (f"{moment.month}/{moment.day}/{moment.year} {hour}:{moment:%M:%S} "
            f"{'AM' if moment.hour < 12 else 'PM'}")


def _moments(rng: random.Random, count: int, anchor: date) -> list[datetime]:
    """Publication times, newest first, spread over the days before ``anchor``."""
    days = max(10, count // 30)
    start = datetime(anchor.year, anchor.month, anchor.day, 7, tzinfo=TEHRAN) - timedelta(days=days - 1)
    seconds = sorted((rng.randrange(days * 86400) for _ in range(count)), reverse=True)
    return [start + timedelta(days=s // 86400, seconds=(s % 86400) * 16 // 24) for s in seconds]


@dataclass(frozen=True)
class Story:
    """An article's words, before it gets an id, a date and a place on the site."""

    headline: str
    section: str
    blocks: tuple[tuple[str, str], ...]
    quotes: tuple[Quote, ...]
    caption: str
    credit: str


def _generated(rng: random.Random, sid: int, headlines: set[str], when: str) -> Story:
    prose = Prose(rng, sid)
    headline = prose.headline()
    while headline in headlines:
        headline = prose.headline()
    headlines.add(headline)
    paragraphs = rng.randint(5, 15)
    subheads = set(rng.sample(range(2, paragraphs), min(paragraphs - 2, rng.choice([0, 0, 0, 1, 2, 3]))))
    blocks: list[tuple[str, str]] = []
    quotes: list[Quote] = []
    for index in range(paragraphs):
        heading = prose.subheading() if index in subheads else ""
        if heading and all(heading != text for _, text in blocks):
            blocks.append((rng.choice(["h2", "strong"]), heading))
        if index and rng.random() < 0.25:
            text, quote = prose.quote_paragraph()
            quotes.append(quote)
            blocks.append(("p", text))
        else:
            blocks.append(("p", prose.paragraph()))
    return Story(headline, SECTION_NAMES[sid], tuple(blocks), tuple(quotes),
                 prose.fill(rng.choice(_CAPTIONS), when=when), rng.choice(["AP", "Reuters", "AFP"]))


def _seeded() -> Story:
    seed = load_seed()
    quotes = tuple(Quote(q["text"], q["speaker_any"][0]) for q in seed_expected()["quotes"])
    return Story(seed.headline, seed.breadcrumb[-1], seed.blocks, quotes, seed.caption, seed.credit)


def _record(story: Story, rng: random.Random, article_id: int, sid: int, moment: datetime) -> ArticleRecord:
    path = article_path(moment.date().isoformat(), article_id, slugify(story.headline))
    listed = [sid]
    if sid in (10101, 10102, 10106) and rng.random() < 0.6:
        listed.append(101)
    if rng.random() < 0.25:
        listed.append(rng.choice([s for s in SECTION_NAMES if s not in listed]))
    photo = uuid.UUID(int=rng.getrandbits(128))
    image = f"//cdn.presstv.ir/Photo/{moment.year}/{moment.month}/{moment.day}/{photo}.jpg"
    return ArticleRecord(
        id=article_id, path=path, headline=story.headline, section=story.section,
        section_id=sid, listed_in=tuple(listed), published=moment.isoformat(), dc_date=_dc_date(moment),
        body=tuple(" ".join(t.split()) for k, t in story.blocks if k == "p"),
        subheadings=tuple(" ".join(t.split()) for k, t in story.blocks if k != "p"),
        caption=story.caption, credit=story.credit, image=image, quotes=story.quotes,
        blocks=story.blocks, slug_variants=slug_variants(path), jsonld=article_id % 3 == 0)


def _articles(count: int, seed: int, include_seed_article: bool, anchor: date) -> list[ArticleRecord]:
    rng = random.Random(seed)
    sections, weights = list(_WEIGHTS), list(_WEIGHTS.values())
    headlines: set[str] = set()
    records, next_id = [], 776_900 - rng.randrange(300)
    for index, moment in enumerate(_moments(rng, count, anchor)):
        if include_seed_article and index == min(SEED_POSITION, count - 1):
            story, sid = _seeded(), SEED_SECTION
        else:
            sid = rng.choices(sections, weights)[0]
            when = f"{moment:%B} {moment.day}, {moment.year}"
            story = _generated(random.Random(f"{seed}:{index}"), sid, headlines, when)
        records.append(_record(story, rng, next_id, sid, moment))
        next_id -= rng.randint(1, 7)
    return records


def _section_pages(records: list[ArticleRecord], latest: list[ArticleRecord]) -> dict[str, bytes]:
    """Every section's pages: at most three, so each article is on one of the first three
    pages of its ``section_id`` listing."""
    pages: dict[str, bytes] = {}
    for sid in SECTION_NAMES:
        listed = [r for r in records if sid in r.listed_in]
        per_page = max(5, math.ceil(len(listed) / 3))
        last = max(1, math.ceil(len(listed) / per_page))
        for page in range(1, last + 1):
            chunk = listed[(page - 1) * per_page: page * per_page]
            path = f"/Section/{sid}" if page == 1 else f"/Section/{sid}/{page}"
            pages[path] = render_section_page(sid, page, last, chunk, latest)
    return pages


def build_mock_site(articles: int = 36, seed: int = 0, include_seed_article: bool = True,
                    *, anchor: date | None = None) -> MockSite:
    """A deterministic Press TV-like site of ``articles`` articles (the seed article among
    them unless ``include_seed_article`` is false), published over the days up to
    ``anchor`` (default: today, UTC). Same arguments, same site."""
    if articles < 1:
        raise ValueError("the mock site needs at least one article")
    anchor = anchor or datetime.now(UTC).date()
    records = _articles(articles, seed, include_seed_article, anchor)
    rng = random.Random(f"{seed}:related")
    with_related = []
    pages: dict[str, bytes] = {}
    for record in records:
        others = [r for r in rng.sample(records, min(4, len(records))) if r.id != record.id][:3]
        record = replace(record, related=tuple(r.id for r in others))
        with_related.append(record)
        related = [(noisy_href(r, f"related:{record.id}"), r.headline) for r in others]
        pages[record.path] = render_article(record, related)
    latest = with_related[:8]
    by_section = {sid: [r for r in with_related if sid in r.listed_in] for sid in SECTION_NAMES}
    pages["/"] = render_home(with_related, by_section)
    pages.update(_section_pages(with_related, latest))
    pages["/rss.xml"] = render_rss(with_related)
    pages["/sitemap.xml"] = render_sitemap(with_related)
    pages["/robots.txt"] = render_robots()
    return MockSite(with_related, pages, seed)
