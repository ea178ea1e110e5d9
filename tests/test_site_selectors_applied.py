"""Every selector field the sites loader accepts is applied by extraction; the ones it does
not apply (images, caption, credit) are refused when the file is loaded (issue 12)."""

from __future__ import annotations

from pathlib import Path

import pytest

from newscrawl.extract import parse_article
from newscrawl.sites import SiteError, load_sites
from newscrawl.sites.loader import NOT_SELECTABLE, SELECTOR_FIELDS

SELECTORS = {
    "headline": ".hed", "lead": ".dek", "authors": ".who", "published_at": ".when",
    "updated_at": ".changed", "section": ".desk", "breadcrumb": ".trail li", "body": ".story",
    "subheadings": ".story .sub",
}
PAGE = """<html><head><title>Page title | Example</title></head><body>
<h1>A generic headline</h1><ul class="trail"><li>Home</li><li>World</li></ul>
<div class="hed">The site's headline</div><p class="dek">The site's lead.</p>
<span class="who">Ann Writer</span><span class="when">2026-08-15T10:00:00+00:00</span>
<span class="changed">2026-08-16T11:00:00+00:00</span><span class="desk">Middle East</span>
<div class="story"><p>First paragraph of the story, long enough to be a paragraph of prose.</p>
<div class="sub">What happened next</div>
<p>Second paragraph of the story, long enough to be a paragraph of prose too.</p>
<p>Third paragraph of the story: the ministry said talks would go on next week.</p></div>
</body></html>"""
GOOD = """
[sites.example]
domains = ["https://www.example.com"]
sections = ["/world"]
article_pattern = '^/\\d{4}/'
"""


def site_file(tmp_path: Path, selectors: dict[str, str]) -> Path:
    lines = "".join(f'{name} = "{css}"\n' for name, css in selectors.items())
    path = tmp_path / "sites.toml"
    path.write_text(f"{GOOD}[sites.example.selectors]\n{lines}", encoding="utf-8")
    return path


def test_every_accepted_selector_field_is_applied(tmp_path: Path) -> None:
    assert set(SELECTORS) == SELECTOR_FIELDS  # a field added to the loader needs a case here
    site = load_sites(site_file(tmp_path, SELECTORS))["example"]
    article = parse_article(PAGE, "https://www.example.com/2026/story", site)
    assert article.headline == "The site's headline" and article.lead == "The site's lead."
    assert article.authors == ["Ann Writer"] and article.section == "Middle East"
    assert article.published_at.startswith("2026-08-15T10:00") and article.updated_at.startswith("2026-08-16")
    assert article.breadcrumb == ["Home", "World"]
    assert article.subheadings == ["What happened next"]
    assert article.body.startswith("First paragraph") and "Third paragraph" in article.body
    assert {article.sources[name] for name in SELECTORS if name != "body"} == {"site"}
    assert article.sources["body"] == "site"


@pytest.mark.parametrize("name", sorted(NOT_SELECTABLE))
def test_a_selector_extraction_would_not_apply_is_refused_in_one_line(tmp_path: Path, name: str) -> None:
    path = site_file(tmp_path, {name: "figure img"})
    with pytest.raises(SiteError) as refused:
        load_sites(path)
    message = str(refused.value)
    assert f"selector field {name!r} is not supported" in message and str(path) in message
    assert "\n" not in message
