"""Dates as pages print them -> ISO 8601, with the UTC offset when it is known."""

from __future__ import annotations

import contextlib
import re
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_US_CLOCK = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?$")
_PRINTED = re.compile(r"(?:\w{3}\s+)?(\w{3,9})\s+(\d{1,2}),\s+(\d{4})\s+(\d{1,2}):(\d{2})\s*([AaPp][Mm])")
_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}


def _hour(hour: int, meridiem: str | None) -> int:
    if not meridiem:
        return hour
    hour %= 12
    return hour + 12 if meridiem.lower() == "pm" else hour


def _printed(raw: str) -> datetime | None:
    """A US clock ("12/03/2024 10:05 PM") or a printed date ("Dec 3, 2024 10:05 PM")."""
    match = _US_CLOCK.match(raw)
    if match:
        month, day, year, hour, minute, second, meridiem = match.groups()
        return datetime(int(year), int(month), int(day), _hour(int(hour), meridiem), int(minute),
                        int(second or 0))
    printed = _PRINTED.search(raw)
    if printed and printed.group(1)[:3].lower() in _MONTHS:
        name, day, year, hour, minute, meridiem = printed.groups()
        return datetime(int(year), _MONTHS[name[:3].lower()], int(day), _hour(int(hour), meridiem),
                        int(minute))
    return None


def parse_date(raw: str, zone: str = "") -> str:
    """ISO 8601 for ``raw`` ('' when unparseable). A time printed without a zone is read in
    the site's ``zone`` (IANA name, e.g. "Asia/Tehran": +03:30, +04:30 in summers before
    2023), else left without offset."""
    raw = " ".join(raw.split())
    if not raw:
        return ""
    moment: datetime | None = None
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        with contextlib.suppress(ValueError, OverflowError):  # "13/45/2024": no such day
            moment = _printed(raw)
    if moment is None:
        try:
            from email.utils import parsedate_to_datetime

            moment = parsedate_to_datetime(raw)
        except (TypeError, ValueError, IndexError):
            return ""
    if moment.tzinfo is None and zone:
        with contextlib.suppress(ZoneInfoNotFoundError, ValueError):
            moment = moment.replace(tzinfo=ZoneInfo(zone))
    return moment.isoformat()
