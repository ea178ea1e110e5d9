"""End-to-end: the real CLI crawls the mock Press TV site into the store and JSON lines."""

from __future__ import annotations

from collections import Counter

from newscrawl.testing.mocksite.seed import seed_expected
from tests.e2e import MockPressTV

SEED = seed_expected()


def test_crawl_collects_every_article_once_with_seed_extraction(mock_presstv: MockPressTV) -> None:
    run = mock_presstv.crawl()
    assert run.returncode == 0, run.stderr[-3000:]
    assert Counter(run.urls) == Counter(mock_presstv.expected_urls)  # all, none twice
    seed = next(i for i in run.items if i["headline"] == SEED["headline"])
    assert seed["breadcrumb"] == SEED["breadcrumb"] and seed["section"] == SEED["section"]
    assert seed["body"].startswith(SEED["body_starts_with"])
    assert seed["body"].endswith(SEED["body_ends_with"])
    for boilerplate in SEED["not_in_body"]:
        assert boilerplate not in seed["body"]
    assert seed["mirror"] == mock_presstv.server.origins[0] == seed["url"][: len(seed["mirror"])]
    assert "newscrawl summary for presstv (finished)" in run.stdout
    # each article page was downloaded once, though listings link slug variants and mirrors
    article_hits = [r for r in mock_presstv.server.requests if r.path.startswith("/Detail/")]
    assert len(article_hits) == len(mock_presstv.site.manifest)


def test_second_run_adds_no_rows(mock_presstv: MockPressTV) -> None:
    first = mock_presstv.crawl()
    assert first.returncode == 0, first.stderr[-3000:]
    count = mock_presstv.stored("SELECT COUNT(*) FROM articles")[0][0]
    assert count == len(mock_presstv.site.manifest)
    second = mock_presstv.crawl("-s", "NEWSCRAWL_REFRESH=True")
    assert second.returncode == 0, second.stderr[-3000:]
    assert mock_presstv.stored("SELECT COUNT(*) FROM articles")[0][0] == count


def test_an_article_whose_slug_and_body_changed_is_a_revision(mock_presstv: MockPressTV) -> None:
    """The site renames an article (new slug, same Press TV id) and adds a paragraph: the next
    crawl stores a second revision of the same article, under its new URL, not a new article
    and not a near-duplicate dropped."""
    first = mock_presstv.crawl()
    assert first.returncode == 0, first.stderr[-3000:]
    count = mock_presstv.stored("SELECT COUNT(*) FROM articles")[0][0]
    record = mock_presstv.site.manifest[-1]  # the oldest: outside the refresh window
    renamed = mock_presstv.site.rename(record.id, "Renamed-after-an-update",
                                       "The ministry confirmed the figures in a statement on Friday evening.")
    mock_presstv.server.republish()
    second = mock_presstv.crawl()
    assert second.returncode == 0, second.stderr[-3000:]
    assert mock_presstv.stored("SELECT COUNT(*) FROM articles")[0][0] == count
    primary = mock_presstv.server.origins[0]
    rows = mock_presstv.stored(f"SELECT a.url, COUNT(*) FROM articles a JOIN revisions r "
                               f"ON r.article_id = a.id WHERE a.article_key = '{record.id}' GROUP BY a.url")
    assert rows == [(primary + renamed.path, 2)]


def test_max_articles_stops_cleanly(mock_presstv: MockPressTV) -> None:
    run = mock_presstv.crawl("--max-articles", "5")
    assert run.returncode == 0, run.stderr[-3000:]
    assert len(run.items) == 5 and len(set(run.urls)) == 5
    assert "(max_articles)" in run.stdout
    assert mock_presstv.stored("SELECT COUNT(*) FROM articles")[0][0] == 5


def test_since_skips_older_articles(mock_presstv: MockPressTV) -> None:
    dates = sorted({record.date for record in mock_presstv.site.manifest})
    since = dates[len(dates) // 2]
    run = mock_presstv.crawl("--since", since)
    assert run.returncode == 0, run.stderr[-3000:]
    primary = mock_presstv.server.origins[0]
    expected = {primary + r.path for r in mock_presstv.site.manifest if r.date >= since}
    assert set(run.urls) == expected and expected


def test_bad_sites_file_is_one_clear_line(mock_presstv: MockPressTV) -> None:
    mock_presstv.sites_file.write_text("[sites.presstv]\narticle_pattern = '(unclosed'\n")
    run = mock_presstv.crawl()
    assert run.returncode == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "sites.toml: site 'presstv': 'article_pattern' is not a valid regex" in lines[0]
