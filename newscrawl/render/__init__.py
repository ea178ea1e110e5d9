"""Pages that need a browser (scrapy-playwright over Debian's Chromium), only where needed:
``planner`` decides per page, ``shell`` recognises script-built pages, ``patterns`` learns
which URL patterns need the browser, ``handler`` is the download handler under failover."""
