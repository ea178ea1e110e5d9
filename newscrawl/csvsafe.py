"""CSV cells a spreadsheet cannot run: formula injection neutralised the way OWASP recommends.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (or their
full-width forms, which some spreadsheets read the same way) is prefixed with a single quote
``'``, so Excel, LibreOffice and Google Sheets show it as text instead of evaluating it.
Used by ``newscrawl export --format csv`` and by every CSV feed export (``FEED_EXPORTERS``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from scrapy.exporters import CsvItemExporter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
"""First characters that make a spreadsheet treat a cell as a formula (OWASP, CSV Injection)."""


def safe_cell(text: str) -> str:
    """``text``, with a leading ``'`` when it starts like a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class SafeCsvItemExporter(CsvItemExporter):
    """Scrapy's CSV exporter, every text cell passed through ``safe_cell``; lists and records
    (authors, images, quotes, sources) as compact JSON, as ``newscrawl export`` writes them;
    no second header line when it appends to a file that has one (``-o`` on an existing CSV)."""

    def __init__(self, file: Any, **kwargs: Any) -> None:
        try:
            appending = file.tell() > 0
        except (AttributeError, OSError, ValueError):
            appending = False
        if appending:
            kwargs["include_headers_line"] = False
        super().__init__(file, **kwargs)

    def serialize_field(self, field: Mapping[str, Any], name: str, value: Any) -> Any:
        if isinstance(value, list | tuple | dict) and "serializer" not in field:
            return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
        serialized = super().serialize_field(field, name, value)
        return safe_cell(serialized) if isinstance(serialized, str) else serialized
