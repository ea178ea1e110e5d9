"""Default settings of newscrawl: Scrapy's, plus every ``NEWSCRAWL_*`` default in one place."""

BOT_NAME = "newscrawl"
SPIDER_MODULES = ["newscrawl.spiders"]
SPIDER_LOADER_CLASS = "newscrawl.spiderloader.SiteSpiderLoader"

USER_AGENT = (
    "Mozilla/5.0 (compatible; newscrawl/0.1; news archiving crawler; "
    "+https://github.com/newscrawl/newscrawl)"
)

# Safety: Scrapy 2.19's remote-control server executes code; the telnet console is a shell.
REMOTE_CONTROL_ENABLED = False
TELNETCONSOLE_ENABLED = False

# Politeness: obey robots.txt, few parallel requests per domain, a delay that adapts.
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
# A page yields one article (or links, handled at once): Scrapy's default of 100 starts 100
# tasks per response to process its output in parallel, a third of the crawler's CPU.
CONCURRENT_ITEMS = 1
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0

# A domain answering with a certificate for another name is not the site (tls_error):
# Scrapy's default (False) accepts it with a warning.
DOWNLOAD_VERIFY_CERTIFICATES = True

# A dead host must not cost minutes per URL (Scrapy defaults: 180 s timeout, 2 retries).
DOWNLOAD_TIMEOUT = 20
DNS_TIMEOUT = 10
RETRY_TIMES = 1

# Bounded bodies (Scrapy's default is 1 GiB): the limit holds for the decompressed body too
# (HttpCompressionMiddleware stops inflating past it), so a gzip bomb costs at most this.
# Extraction keeps 8 MiB of a page; a sitemap may have 50 MiB (the protocol's own limit).
# A body over its limit is skipped, counted (newscrawl/dropped/too_large) and logged, not failed over.
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 8 * 1024 * 1024
NEWSCRAWL_SITEMAP_MAXSIZE = 50 * 1024 * 1024  # DOWNLOAD_MAXSIZE of sitemap requests

TWISTED_DNS_RESOLVER = "newscrawl.resolver.PinnedResolver"
REQUEST_FINGERPRINTER_CLASS = "newscrawl.dedup.fingerprinter.MirrorAgnosticFingerprinter"
LOG_INSTALL_ROOT_HANDLER = True
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"

DOWNLOADER_MIDDLEWARES = {
    # before robots.txt (100): requests for an open domain are moved before they wait on its
    # robots.txt; the gate looks again after it (a domain may have opened meanwhile). Retry
    # (550) and Redirect (600) leave site requests to failover (dont_retry, dont_redirect).
    "newscrawl.failover.middleware.FailoverMiddleware": 50,
    "newscrawl.failover.gate.FailoverGate": 150,
    # which pages go through the browser (newscrawl.render): decided right before download
    "newscrawl.render.middleware.RenderMiddleware": 40,
    # Scrapy's decompression, counting bodies over DOWNLOAD_MAXSIZE (newscrawl.sizelimit)
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
    "newscrawl.sizelimit.BodySizeLimit": 590,
    # next to the downloader: every response as it came, to WARC (--warc; off by default)
    "newscrawl.warc.WarcWriterMiddleware": 900,
    # Scrapy's response counters, a winning hedge's answer counted once (newscrawl/failover/hedgestats.py)
    "scrapy.downloadermiddlewares.stats.DownloaderStats": None,
    "newscrawl.failover.hedgestats.HedgeDownloaderStats": 850,
}
DOWNLOAD_HANDLERS = {
    "http": "newscrawl.failover.hedging.HedgingDownloadHandler",
    "https": "newscrawl.failover.hedging.HedgingDownloadHandler",
}
ITEM_PIPELINES = {
    "newscrawl.pipelines.ValidationPipeline": 100,
    "newscrawl.pipelines.NormalizationPipeline": 200,
    "newscrawl.pipelines.StoragePipeline": 300,
}
EXTENSIONS = {
    # the crawl's store: opened, run begun and finished, closed last (newscrawl/storeext.py)
    "newscrawl.storeext.StoreExtension": 100,
    "newscrawl.quietlog.QuietScrapyLog": 0,  # on a terminal, Scrapy's boilerplate INFO left out
    "newscrawl.summary.RunSummary": 500,
    "newscrawl.progress.ProgressLine": 510,  # a live line on a terminal, a log line every 30 s otherwise
    # a feed that cannot be written stops the crawl in one line (newscrawl/feedguard.py)
    "scrapy.extensions.feedexport.FeedExporter": None,
    "newscrawl.feedguard.GuardedFeedExporter": 0,
    "newscrawl.logmask.CredentialMasking": 0,  # credentials masked in every log record
    "newscrawl.gcfreeze.FreezeStartupObjects": 0,  # startup objects out of the GC's walks
    "scrapy.extensions.corestats.CoreStats": None,  # response_received_count: a hedge's answer once
    "newscrawl.failover.hedgestats.HedgeCoreStats": 0,
}
FEED_EXPORT_ENCODING = "utf-8"
# CSV feeds neutralise cells that start like a spreadsheet formula (newscrawl/csvsafe.py).
FEED_EXPORTERS = {"csv": "newscrawl.csvsafe.SafeCsvItemExporter"}
LOG_LEVEL = "INFO"

# --- newscrawl ---
NEWSCRAWL_SITES_FILE = ""          # TOML file adding or overriding sites (--sites)
NEWSCRAWL_RESOLVE: list[str] = []  # ["host:ip", ...] pinned addresses (--resolve)
NEWSCRAWL_STORE = "sqlite:///output/newscrawl.db"  # --store
NEWSCRAWL_STORE_ENABLED = True
NEWSCRAWL_STORE_BATCH = 50         # articles written per transaction
NEWSCRAWL_STORE_FLUSH_SECONDS = 1.0  # a partial batch is written after this long
NEWSCRAWL_STORE_RETRY_TIMES = 5     # retries of a store call failing on a transient fault
NEWSCRAWL_STORE_RETRY_WAIT = 0.5    # seconds before the first retry, doubled each time...
NEWSCRAWL_STORE_RETRY_MAX_WAIT = 8.0  # ...up to this (0.5+1+2+4+8: about 15 s before giving up)
NEWSCRAWL_STORE_SPOOL_DIR = "output/spool"  # articles a failed store did not take; next run imports
NEWSCRAWL_STORE_STALE_RUN_HOURS = 48.0  # an unfinished run of another host is marked killed after this
# An article whose body's estimated similarity to a stored article of its site reaches this is a
# near-duplicate: not stored, recorded (newscrawl duplicates), not fetched again. 0 = off.
NEWSCRAWL_DEDUP_NEAR_SIMILARITY = 0.5
NEWSCRAWL_PROGRESS = True  # the progress line (newscrawl crawl -q turns it off)
NEWSCRAWL_PROGRESS_INTERVAL = 30.0  # seconds between progress log lines when not on a terminal
NEWSCRAWL_QUIET_SCRAPY_LOG = False  # newscrawl crawl sets it on a terminal without -L
NEWSCRAWL_SUMMARY_LOG = True  # log the end-of-crawl summary (newscrawl crawl prints it once, instead)
NEWSCRAWL_GC_FREEZE = True  # gc.freeze() when the spider opens: the collector skips startup objects
NEWSCRAWL_GC_YOUNG_THRESHOLD = 10000  # while crawling: young collections per 10,000 new objects (0: 700)
NEWSCRAWL_WARC_DIR = ""  # --warc DIR: every response and its request to WARC 1.1 files ("" = off)
NEWSCRAWL_WARC_MAX_SIZE = 1_000_000_000  # bytes; a WARC file past this is closed, the next begins
NEWSCRAWL_REFRESH = False          # re-download articles already stored (--refresh)
NEWSCRAWL_REFRESH_WINDOW_HOURS = 48.0  # ... and always those published this recently
NEWSCRAWL_JOBS_DIR = "output/jobs"  # --job NAME: JOBDIR is <this>/<site>-<NAME>
NEWSCRAWL_MAX_ARTICLES = 0         # stop after this many articles (0: no limit)
NEWSCRAWL_SINCE = ""               # ISO date: skip articles published before it
NEWSCRAWL_EXTRACT_WORKERS = 1      # extraction processes beside the crawler (0: in-process)
NEWSCRAWL_EXTRACT_TIMEOUT = 20.0   # seconds per page; past it the page keeps what was found (0: none)
# Discovery (newscrawl.discovery, spiders/backlog.py): article requests the scheduler holds at
# once (the rest wait as URLs: a 200k-item feed stays small), and how deep sitemap indexes
# may nest below the site's own sitemaps (deeper ones: newscrawl/discovery/sitemap_too_deep).
NEWSCRAWL_DISCOVERY_QUEUE = 200
NEWSCRAWL_SITEMAP_MAX_DEPTH = 3

# Scheduled crawls (newscrawl.schedule, `newscrawl schedule --config FILE`).
NEWSCRAWL_SCHEDULE_LOGS_DIR = "output/logs"  # each run's log: <this>/<job>/<UTC time>.log
NEWSCRAWL_SCHEDULE_LEASE_SECONDS = 30.0   # a job's lock expires this long after its last heartbeat
NEWSCRAWL_SCHEDULE_STOP_GRACE = 30.0      # SIGTERM, then SIGKILL this long after (timeout, shutdown)
NEWSCRAWL_SCHEDULE_MISFIRE_GRACE = 60.0   # a turn this late still runs under catch_up = "skip"
NEWSCRAWL_SCHEDULE_POLL_SECONDS = 0.5     # how often running children are checked
NEWSCRAWL_SCHEDULE_ALERT_AFTER_EMPTY = 3  # runs in a row that stored nothing before an alert (0: never)
NEWSCRAWL_SCHEDULE_WEBHOOK_ATTEMPTS = 3
NEWSCRAWL_SCHEDULE_WEBHOOK_TIMEOUT = 5.0
NEWSCRAWL_SCHEDULE_RUN = ""  # set by the scheduler on its crawls: its run id (links the two rows)

NEWSCRAWL_FINGERPRINTS_FILE = ""  # extra soft-failure fingerprints (TOML), see newscrawl/classify

# Mirror failover (newscrawl.failover): every request of a site goes to a healthy domain.
NEWSCRAWL_FAILOVER_ENABLED = True
NEWSCRAWL_FAILOVER_THRESHOLD = 3       # consecutive failures that open a domain's breaker
NEWSCRAWL_FAILOVER_COOLDOWN = 60.0     # seconds an open domain rests before one probe request
NEWSCRAWL_FAILOVER_TIMEOUT = 10.0      # download timeout of a site request (connect + response)
# Failures that do not heal by trying again: one is enough to open the domain.
NEWSCRAWL_FAILOVER_INSTANT_CLASSES = [
    "dns_nxdomain", "tls_error", "soft_seized", "soft_parked", "soft_challenge",
    "soft_blockpage", "offsite_redirect", "content_mismatch",
]
NEWSCRAWL_FAILOVER_USE_MONITOR = True  # domains the monitor saw down start open
NEWSCRAWL_FAILOVER_MONITOR_MAX_AGE = 3600.0  # ... when its last probe is this recent (s)
# Hedging: a site request still unanswered after a delay learned from the site's own
# response times (4 x p90, within [MIN, MAX]; INITIAL before any is known) is also sent
# to the next healthy mirror; the first success wins. A blackholed domain then costs
# about one hedge delay instead of one timeout per request.
NEWSCRAWL_FAILOVER_HEDGE = True
NEWSCRAWL_FAILOVER_HEDGE_INITIAL = 1.0
NEWSCRAWL_FAILOVER_HEDGE_MIN = 0.5
NEWSCRAWL_FAILOVER_HEDGE_MAX = 5.0
# the download handler the hedging layer wraps (it is installed for http and https): any
# handler, loaded like DOWNLOAD_HANDLERS' values (e.g. scrapy-playwright's)
NEWSCRAWL_FAILOVER_HEDGE_HANDLER = "scrapy.core.downloader.handlers.http11.HTTP11DownloadHandler"

# Pages that need a browser (newscrawl.render; a site's `render = "auto" | "always" | "never"`).
# A site that may render gets newscrawl.render.handler.RenderDownloadHandler as the handler
# above (scrapy-playwright's, started at the first page that needs it); Debian's Chromium.
NEWSCRAWL_RENDER_CHROMIUM = "/usr/lib/chromium/chromium"
NEWSCRAWL_RENDER_LEARN_AFTER = 3  # pages of a URL pattern rendered, then the rest go to the browser at once
NEWSCRAWL_RENDER_RECHECK_EVERY = 10  # ... but every this-many-th is fetched plainly first (the site changed?)
NEWSCRAWL_RENDER_SETTLE_SECONDS = 5.0  # after load, at most this long for the page's network to go quiet
PLAYWRIGHT_ABORT_REQUEST = "newscrawl.render.handler.skip_heavy_resources"  # no images, fonts, media
PLAYWRIGHT_MAX_CONTEXTS = 1
PLAYWRIGHT_MAX_PAGES_PER_CONTEXT = 4  # pages open at once in the browser

# Availability monitor (newscrawl.monitor): bytes of body kept per response, counted after
# gzip/deflate decoding (a probe inflates incrementally and stops there; --max-body).
NEWSCRAWL_MONITOR_MAX_BODY = 1024 * 1024

# Many workers on Redis (newscrawl.distributed, --redis URL): one crawl over any number of
# processes. Off while the URL is empty.
NEWSCRAWL_REDIS_URL = ""
NEWSCRAWL_REDIS_IDLE_CLOSE = 30.0  # a worker exits once nothing was queued or in flight this long (s)
NEWSCRAWL_REDIS_LEASE_SECONDS = 30.0  # a dead worker's requests return to the queue after this (s)
NEWSCRAWL_REDIS_PREFIX = ""  # set by the crawl: newscrawl:<site>[:<job>], the crawl's Redis keys
