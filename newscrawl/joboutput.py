"""The JSON lines of a ``--job`` are the job's, across every run of it: a resumed run appends
to the same file and never loses a line.

A run killed with SIGKILL leaves its JSON lines behind the store: Scrapy's feed is buffered,
the store commits batches on its own thread, so articles the store holds may be missing from
the file, and its last line may be cut in the middle. So before a run resumes a job that did
not end (``running``; after a clean stop the feed was closed whole, steps 1-2 are skipped):

1. a last line without its newline is cut off (the article it held is restored by step 2
   if it was stored, else fetched again by the crawl);
2. every article of the site that the store holds, fetched (``fetched_at``) since the
   interrupted run started, and not yet in the file is appended;
3. the resumed run's feed appends (``overwrite`` off) and skips the articles already in the
   file (``SkipWritten``), so the file holds each article of the job once.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from itemadapter import ItemAdapter
from scrapy.extensions.feedexport import ItemFilter

from newscrawl.storage import open_store

logger = logging.getLogger(__name__)

OUTPUT_OPTION = "newscrawl_output"
"""Feed option naming the file whose lines ``SkipWritten`` reads."""


def feed_options(output: str, resumed: bool) -> dict[str, Any]:
    """The FEEDS entry of the crawl's JSON lines: a new file, or the job's file appended."""
    options: dict[str, Any] = {"format": "jsonlines", "encoding": "utf-8", "overwrite": not resumed}
    if resumed:
        options.update({"item_filter": f"{__name__}.SkipWritten", OUTPUT_OPTION: output})
    return options


def trim_partial_line(path: Path) -> int:
    """Cut what follows the last newline (a line a killed run did not finish); returns the
    number of bytes cut."""
    if not path.exists():
        return 0
    with path.open("rb+") as handle:
        end = handle.seek(0, 2)
        position = end
        while position > 0:
            start = max(0, position - 65536)
            handle.seek(start)
            newline = handle.read(position - start).rfind(b"\n")
            if newline >= 0:
                keep = start + newline + 1
                handle.truncate(keep)
                return end - keep
            position = start
        handle.truncate(0)
        return end


def written_urls(path: Path) -> set[str]:
    """The ``url`` of every complete line of the file."""
    urls: set[str] = set()
    if not path.exists():
        return urls
    with path.open(encoding="utf-8", errors="replace") as handle:
        for line in handle:
            try:
                url = json.loads(line).get("url")
            except (ValueError, AttributeError):
                continue
            if isinstance(url, str):
                urls.add(url)
    return urls


def reconcile_output(output: str, store_url: str | None, site: str, since: str) -> int:
    """Steps 1 and 2 above; returns how many stored articles were appended."""
    path = Path(output)
    cut = trim_partial_line(path)
    if cut:
        logger.warning("job output %s: cut %d bytes of a line the interrupted run left unfinished",
                       path, cut)
    if not store_url:
        return 0
    written = written_urls(path)
    added = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    store = open_store(store_url)
    try:
        with path.open("a", encoding="utf-8") as out:
            for article in store.iter_fetched_since(site, since):  # filtered in SQL
                if article.get("url") in written or str(article.get("fetched_at") or "") < since:
                    continue
                article.pop("revision", None)
                article.pop("is_revision", None)
                out.write(json.dumps(article, ensure_ascii=False) + "\n")
                added += 1
    finally:
        store.close()
    if added:
        logger.warning("job output %s: %d stored articles of the interrupted run were missing; "
                       "appended from the store", path, added)
    return added


class SkipWritten(ItemFilter):
    """Feed filter of a resumed job: an article already in the job's file is not written again."""

    def __init__(self, feed_options: dict[str, Any] | None) -> None:
        super().__init__(feed_options)
        output = (feed_options or {}).get(OUTPUT_OPTION)
        self.written = written_urls(Path(output)) if output else set()

    def accepts(self, item: Any) -> bool:
        url = str(ItemAdapter(item).get("url") or "")
        if url in self.written or not super().accepts(item):
            return False
        self.written.add(url)
        return True
