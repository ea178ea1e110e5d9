"""Deduplication: one URL per resource (``urls``), one record per story (``content``)."""
