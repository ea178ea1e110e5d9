"""The site loader: built-in sites, a user's TOML file, and each kind of bad file."""

from __future__ import annotations

from pathlib import Path

import pytest

from newscrawl.sites import SiteError, get_site, load_sites

GOOD = """
[sites.example]
domains = ["https://www.example.com", "https://mirror.example.net:8443"]
sections = ["/world", "/politics"]
article_pattern = '^/\\d{4}/\\d{2}/\\d{2}/'
feeds = ["/rss.xml"]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sites.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_builtin_presstv_follows_the_site_profile() -> None:
    site = load_sites()["presstv"]
    assert site.primary == "https://www.presstv.ir"
    assert site.domains[1:3] == ("https://www.presstv.co.uk", "https://www.presstv.tv")
    assert "/Section/101" in site.sections and "/rss.xml" in site.feeds
    assert site.is_article("https://presstv.ir/Detail/2026/08/15/774416/Iran-Oman-Hormuz-Baghaei")
    assert not site.is_article("https://www.presstv.ir/Section/101/2")
    assert not site.is_article("https://example.com/Detail/2026/08/15/774416/X")


def test_user_file_adds_a_site(tmp_path: Path) -> None:
    sites = load_sites(write(tmp_path, GOOD))
    site = sites["example"]
    assert "presstv" in sites
    assert site.domains == ("https://www.example.com", "https://mirror.example.net:8443")
    assert site.feeds == ("/rss.xml",)
    assert site.is_article("https://mirror.example.net:8443/2026/01/02/story")
    assert site.canonical("https://mirror.example.net:8443/2026/01/02/story#x") == \
        "https://www.example.com/2026/01/02/story"


def test_user_file_overrides_builtin_keys(tmp_path: Path) -> None:
    path = write(tmp_path, '[sites.presstv]\ndomains = ["http://www.presstv.ir:8080"]\nmax_pages = 2\n')
    site = get_site("presstv", path)
    assert site.domains == ("http://www.presstv.ir:8080",)
    assert site.max_pages == 2
    assert "/Section/101" in site.sections  # not overridden: kept from the built-in


def test_article_key_identifies_slug_variants_as_one_article() -> None:
    site = load_sites()["presstv"]
    a = site.article_key("https://www.presstv.ir/Detail/2026/08/15/774397/-Iran-urges-ICRC")
    b = site.article_key("https://presstv.co.uk/Detail/2026/08/15/774397/Iran-urges-ICRC--")
    assert a == b == "774397"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[sites.x\n", "not valid TOML"),
        (GOOD.replace("feeds", "feedz"), "site 'example': unknown key 'feedz'"),
        (GOOD.replace("'^/\\d{4}", "'^/(\\d{4}"), "site 'example': 'article_pattern' is not a valid regex"),
        (GOOD.replace('domains = ["https://www.example.com", "https://mirror.example.net:8443"]',
                      "domains = []"), "site 'example': 'domains' is empty"),
        (GOOD.replace("https://www.example.com", "www.example.com"), "is not an origin"),
        (GOOD.replace('"https://www.example.com"', '"https://www.example.com/news"'),
         "must be an origin without a path"),
        (GOOD.replace('"/world"', '"world"'), "must be a path starting with '/'"),
        (GOOD + "max_pages = 0\n", "'max_pages' must be a positive integer"),
        (GOOD.replace("article_pattern", "#"), "'article_pattern' is missing"),
        ('[other]\nx = 1\n', "unknown top-level key 'other'"),
        (GOOD + '[sites.example.selectors]\nheadlin = "h1"\n', "unknown selector field 'headlin'"),
        (GOOD + 'pagination = "/page"\n', "'pagination' must contain '{page}'"),
        (GOOD.replace(":8443", ":99999"), "Port out of range"),
        (GOOD.replace('"/world"', '"/wor ld"'), "holds a space, quote"),
        (GOOD.replace('"/world"', "\"/wor'ld\""), "holds a space, quote"),
        (GOOD.replace('"/rss.xml"', '"/rss.xml#top"'), "holds a space, quote"),
        (GOOD.replace('"/world"', '"//evil.example/world"'), "must be a path starting with '/'"),
        (GOOD.replace("www.example.com", "www.exa'mple.com"), "has an invalid host name or port"),
        (GOOD.replace("www.example.com", 'www.exa\\"mple.com'), "has an invalid host name or port"),
        (GOOD.replace("www.example.com", "www.exa mple.com"), "has an invalid host name or port"),
        (GOOD.replace("www.example.com", "-bad-.example.com"), "has an invalid host name or port"),
        (GOOD + 'pagination = "{section}/{foo}"\n', "may only use {section} and {page}"),
        (GOOD + 'pagination = "{section}/{page}/{}"\n', "may only use {section} and {page}"),
        (GOOD + 'pagination = "{section}/{page"\n', "is not a valid template"),
        (GOOD + 'pagination = "{page:q}"\n', "is not a valid template"),
        (GOOD + 'pagination = "page/{page}"\n', "must give a path starting with '/'"),
        (GOOD + '[sites.example.path_rewrites]\n'
                '"https://mirror.example.net:8443" = [["^/news/", "/\\\\9"]]\n', "invalid group reference 9"),
        (GOOD + '[sites.example.path_rewrites]\n"https://mirror.example.net:8443" = [["^/n/", "\\\\g<x>"]]\n',
         "unknown group name"),
        (GOOD + '[sites.example.selectors]\nheadline = "h1["\n', "selector headline = 'h1[' does not parse"),
        (GOOD + '[sites.example.selectors]\nbody = "div:nth-child(x)"\n', "does not parse"),
        (GOOD + '[sites.example.selectors]\nlead = "xpath://p[@class="\n', "does not parse"),
    ],
)
def test_bad_file_is_refused_in_one_line_naming_file_and_problem(
        tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(SiteError) as info:
        load_sites(path)
    error = str(info.value)
    assert message in error
    assert str(path) in error
    assert "\n" not in error


def test_missing_file_and_unknown_site_are_clear(tmp_path: Path) -> None:
    with pytest.raises(SiteError, match="cannot read sites file"):
        load_sites(tmp_path / "nope.toml")
    with pytest.raises(SiteError, match=r"unknown site 'nope' \(known: .*presstv"):
        get_site("nope")


def test_per_mirror_path_rewrite(tmp_path: Path) -> None:
    rewrite = r"""'https://mirror.example.net:8443' = [['^/(\d{4})/', '/news/\1/']]"""
    text = f"{GOOD}[sites.example.path_rewrites]\n{rewrite}\n"
    site = load_sites(write(tmp_path, text))["example"]
    url = "https://www.example.com/2026/01/02/story?id=3"
    assert site.on_domain(url, "https://mirror.example.net:8443") == \
        "https://mirror.example.net:8443/news/2026/01/02/story?id=3"
    assert site.on_domain(url, "https://www.example.com") == url


@pytest.mark.parametrize("domain", ["https://bob:hunter2@www.example.com",
                                    "https://bob:hunter2@www.example.com/path?x=1",
                                    "https://:hunter2@www.example.com:8080"])
def test_domain_with_credentials_is_refused_without_echoing_them(tmp_path: Path, domain: str) -> None:
    path = write(tmp_path, GOOD.replace("https://www.example.com", domain))
    with pytest.raises(SiteError) as info:
        load_sites(path)
    assert "user name or password" in str(info.value) and "www.example.com" in str(info.value)
    assert "hunter2" not in str(info.value) and "bob" not in str(info.value)


@pytest.mark.parametrize("domain", ["https://[::1]:8443", "http://127.0.0.1:8080", "https://xn--n3h.example",
                                    "https://bücher.example", "https://a_b.example.com"])
def test_valid_hosts_are_accepted(tmp_path: Path, domain: str) -> None:
    text = GOOD.replace("https://www.example.com", domain) + 'pagination = "{section}/page/{page:02d}"\n'
    site = load_sites(write(tmp_path, text))["example"]
    assert site.page_url("/world", 3).endswith("/world/page/03")
