"""Article keys of stored articles, kept up to date with the site's article pattern.

A site's key (``Site.article_key``: the article pattern's first group, an id, so a renamed URL
is the same row) is computed when an article is saved. Articles stored before keys existed
(schema version 4), or under another pattern, get theirs here: the store extension calls
``rekey_articles`` when a crawl of the site opens, with the site as the crawl has it (a
user's own sites file included). The pattern each site's keys were computed with is recorded
(``article_key_patterns``), so a store whose keys are current is not read again.
"""

from __future__ import annotations

from collections.abc import Callable

from newscrawl.storage.base import StoreBase

RECORD_PATTERN = ("INSERT INTO article_key_patterns (site, pattern) VALUES (?, ?) "
                  "ON CONFLICT (site) DO UPDATE SET pattern = excluded.pattern")


class KeyStore(StoreBase):
    def rekey_articles(self, site: str, pattern: str, key_of: Callable[[str], str]) -> int:
        """Recompute the key of every stored article of ``site`` unless its keys were computed
        with ``pattern`` already; how many rows changed. A key equal to the URL is stored as
        NULL, as ``save_articles`` does. One transaction, rows read 500 at a time."""
        with self.transaction() as cur:
            row = self._one(cur, "SELECT pattern FROM article_key_patterns WHERE site = ?", (site,))
            if row is not None and row[0] == pattern:
                return 0
            changed, last = 0, 0
            while True:
                cur.execute(self.sql("SELECT id, url, article_key FROM articles WHERE site = ? AND id > ? "
                                     "ORDER BY id LIMIT 500"), (site, last))
                rows = cur.fetchall()
                if not rows:
                    break
                last = int(rows[-1][0])
                for article_id, url, old in rows:
                    key: str | None = key_of(str(url))
                    key = key if key and key != url else None
                    if key != old:
                        cur.execute(self.sql("UPDATE articles SET article_key = ? WHERE id = ?"),
                                    (key, article_id))
                        changed += 1
            cur.execute(self.sql(RECORD_PATTERN), (site, pattern))
            return changed
