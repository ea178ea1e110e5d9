"""Every request meta key failover reads or writes, in one place.

Per-request opt-outs (set by whoever makes the request): ``dont_failover`` leaves the request
to Scrapy alone; ``dont_hedge`` keeps failover but never races a mirror for it. The spider
sets ``may_not_exist`` on guessed URLs. Everything else is failover's own bookkeeping.
"""

from __future__ import annotations

DONT_FAILOVER = "dont_failover"   # opt-out: failover leaves the request alone
DONT_HEDGE = "dont_hedge"         # opt-out: no hedge to a mirror for this request
MAY_NOT_EXIST = "may_not_exist"   # set by the spider on guessed URLs: a 404 there is an answer

TRIED = "failover_tried"          # origins this request already failed on, in order
CLASSES = "failover_classes"      # origin -> failure class, for pending records and items
ORIGINAL = "failover_original_url"
MISSING = "failover_missing"      # origins that answered 404/410: if all do, the page is gone

HEDGE_URL = "failover_hedge_url"      # set by the middleware: the same resource on a mirror
HEDGE_AFTER = "failover_hedge_after"  # seconds to wait before asking the mirror
HEDGE_WON = "failover_hedge_won"      # set by the handler: the mirror's answer was used
HEDGE_FIRST_ERROR = "failover_hedge_first_error"  # set by the handler: how the first request failed
HEDGE_LATENCY = "failover_hedge_latency"  # set by the handler: the answering request's own duration
HEDGE_OF = "failover_hedge_of"        # on a hedge sent through the engine: the first request's URL
HEDGE_PASSED = "failover_hedge_passed"  # set by the handler: the winning hedge went through the
# downloader middlewares itself (the engine), so they see its response once already (WARC: archived)

PRIVATE_HEADERS = (b"Cookie", b"Authorization", b"Proxy-Authorization")
"""Headers of a request that never go to another host (a hedge to a mirror drops them)."""
