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
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0

# A dead host must not cost minutes per URL (Scrapy defaults: 180 s timeout, 2 retries).
DOWNLOAD_TIMEOUT = 20
DNS_TIMEOUT = 10
RETRY_TIMES = 1

DNS_RESOLVER = "newscrawl.resolver.PinnedResolver"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"

ITEM_PIPELINES = {
    "newscrawl.pipelines.ValidationPipeline": 100,
    "newscrawl.pipelines.NormalizationPipeline": 200,
    "newscrawl.pipelines.StoragePipeline": 300,
}
EXTENSIONS = {
    "newscrawl.summary.RunSummary": 500,
}
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"

# --- newscrawl ---
NEWSCRAWL_SITES_FILE = ""          # TOML file adding or overriding sites (--sites)
NEWSCRAWL_RESOLVE: list[str] = []  # ["host:ip", ...] pinned addresses (--resolve)
NEWSCRAWL_STORE = "sqlite:///output/newscrawl.db"  # --store
NEWSCRAWL_STORE_ENABLED = True
NEWSCRAWL_STORE_BATCH = 50         # articles written per transaction
NEWSCRAWL_STORE_FLUSH_SECONDS = 1.0  # a partial batch is written after this long
NEWSCRAWL_MAX_ARTICLES = 0         # stop after this many articles (0: no limit)
NEWSCRAWL_SINCE = ""               # ISO date: skip articles published before it
NEWSCRAWL_EXTRACT_WORKERS = 1      # extraction processes beside the crawler (0: in-process)
