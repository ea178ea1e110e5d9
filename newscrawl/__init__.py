"""newscrawl: a Scrapy news crawler with mirror failover."""
