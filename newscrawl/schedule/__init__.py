"""Scheduled crawls: ``newscrawl schedule --config FILE`` and ``newscrawl runs``.

- ``config``: the TOML schedule file, checked whole before anything runs.
- ``triggers``: durations, APScheduler triggers, the turns of a job (when it is due).
- ``schema``: the ``schedule`` component of the store (run history, job leases).
- ``lease``: the per-job lock in the store, held by a heartbeat while the crawl runs.
- ``history``: turns claimed, runs started, finished or skipped; the ``runs`` listing.
- ``child``: one run as a ``newscrawl crawl`` (or ``monitor``) subprocess with its log.
- ``runner``: the scheduler's loop; ``alerts``: webhook posts; ``command``: the CLI.
"""
