"""Scheduled crawls: ``newscrawl schedule --config FILE`` and ``newscrawl runs``.

- ``config``: the TOML schedule file, checked whole before anything runs.
- ``triggers``: durations, APScheduler triggers, the turns of a job (when it is due).
- ``schema``: the ``schedule`` component of the store (run history, job leases).
- ``lease``: the per-job lock in the store, held by a heartbeat while the crawl runs.
- ``history``: turns claimed, runs started, ended or skipped; ``listing``: ``newscrawl runs``.
- ``turns``: due turns claimed and planned (jitter, catch-up); ``waits``: what the loop waits for.
- ``child``: one run as a ``newscrawl crawl`` (or ``monitor``) subprocess with its log;
  ``active``: a run under way and how it ended.
- ``runner``: the scheduler's loop; ``alerts``: webhook posts; ``settings``; ``command``: the CLI.
"""
