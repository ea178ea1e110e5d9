"""Credentials masked in URLs, free text and settings (newscrawl.secrets)."""

from __future__ import annotations

from newscrawl.secrets import is_secret_name, mask_settings, mask_text, mask_url


def test_mask_url_hides_password_and_secret_query_values() -> None:
    url = "postgresql://crawler:s3cr@t@db:5432/news?sslmode=require&password=hunter2#f"
    masked = mask_url(url)
    assert masked == "postgresql://crawler:***@db:5432/news?sslmode=require&password=***#f"
    assert "s3cr" not in masked and "hunter2" not in masked


def test_mask_url_keeps_urls_without_credentials() -> None:
    for url in ("postgresql://crawler@db/news", "sqlite:///output/x.db", "https://a.example/?q=1"):
        assert mask_url(url) == url


def test_mask_text_masks_every_url_and_conninfo_pair() -> None:
    text = "connect to postgresql://u:pw1@127.0.0.1:1/x failed; password=pw2 token=pw3 author=Ann"
    masked = mask_text(text)
    assert "pw1" not in masked and "pw2" not in masked and "pw3" not in masked
    assert "author=Ann" in masked and "127.0.0.1:1/x" in masked


def test_mask_settings_hides_secret_names_and_nested_urls() -> None:
    settings = {"NEWSCRAWL_STORE": "postgresql://a:pw@h/d", "NEWSCRAWL_MONITOR_WEBHOOK_TOKEN": "tok",
                "NEWSCRAWL_EXTRACT_AUTHORS": "x", "LIST": ["http://u:pw@h/"], "N": 3}
    masked = mask_settings(settings)
    assert masked == {"NEWSCRAWL_STORE": "postgresql://a:***@h/d", "NEWSCRAWL_MONITOR_WEBHOOK_TOKEN": "***",
                      "NEWSCRAWL_EXTRACT_AUTHORS": "x", "LIST": ["http://u:***@h/"], "N": 3}
    assert is_secret_name("DB_PASSWORD") and is_secret_name("api_key") and not is_secret_name("PASSAGE")
