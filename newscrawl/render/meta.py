"""Every request meta key rendering reads or writes, in one place."""

from __future__ import annotations

RENDER = "playwright"  # scrapy-playwright's key: this request goes through the browser
PAGE = "newscrawl_render_page"  # set by the spider: a page the site may render (not a feed, robots.txt)
REASON = "newscrawl_render_reason"  # why it goes through the browser ("" once decided it does not)
MORE = "newscrawl_render_more"  # set by the spider on listings: "load more" steps the browser may take
MORE_DONE = "newscrawl_render_more_done"  # set by the handler: the steps that loaded more links
