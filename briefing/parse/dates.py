"""Publication dates: read the forms sources write, find dates in URLs, pick the one to trust.

A briefing that says "as of 9 July" must be able to say where that date came from, and a
wrong date is worse than none: nothing here ever falls back to "now". The order of trust is
the source's own metadata, then a date the user gave, then a date in the document's URL,
then a date in a URL quoted inside the text (a report whose only date is in a video link).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime

log = logging.getLogger(__name__)

EARLIEST = date(1990, 1, 1)

# Each pattern names its parts; they are tried in this order, first plausible match wins.
_URL_DATE_PATTERNS = [
    # /2021/07/09/ or /2021/7/9 (path segments)
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)/(?P<m>\d{1,2})/(?P<d>\d{1,2})(?!\d)"),
    # 2021-07-09, 2021_07_09, 2021.07.09
    re.compile(
        r"(?<!\d)(?P<y>(?:19|20)\d\d)(?P<sep>[-_.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?!\d)"
    ),
    # 09.07.2021: day first, as European sites write it
    re.compile(r"(?<![\d.])(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>(?:19|20)\d\d)(?!\d)"),
    # 20210709, only standing apart from letters and digits (not inside a hash or an id)
    re.compile(r"(?<![0-9A-Za-z])(?P<y>(?:19|20)\d\d)(?P<m>[01]\d)(?P<d>[0-3]\d)(?![0-9])"),
]
_URL_IN_TEXT = re.compile(r"https?://[^\s<>\"'()\[\]{}]+", re.IGNORECASE)
_ISO_START = re.compile(r"\d{4}-\d\d")


def as_utc(moment: datetime) -> datetime:
    """Timezone-aware UTC; a naive value is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def start_of_day(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _plausible(day: date) -> bool:
    return EARLIEST <= day <= date.today() + timedelta(days=1)


def parse_timestamp(value: str | None) -> datetime | None:
    """Read an RFC 822 (RSS) or ISO 8601 / W3CDTF (Atom, dc:date, HTML meta) timestamp.

    Returns aware UTC, or None when the value is missing, unreadable, incomplete
    (`2021-07` names no day) or earlier than 1990 (feeds write the epoch for "unknown").
    """
    if not value:
        return None
    text = value.strip()
    if not text:
        return None
    parsed: datetime | None = None
    if _ISO_START.match(text):
        candidate = text.replace("t", "T").replace("z", "Z")
        if candidate.endswith((" UTC", " GMT")):
            candidate = candidate[:-4] + "Z"
        try:
            parsed = datetime.fromisoformat(candidate)
        except ValueError:
            parsed = None
    if parsed is None:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            log.debug("unreadable date %r", text)
            return None
    if parsed.date() < EARLIEST:
        return None
    return as_utc(parsed)


def _url_dates(url: str) -> Iterator[date]:
    for pattern in _URL_DATE_PATTERNS:
        for match in pattern.finditer(url):
            try:
                day = date(int(match["y"]), int(match["m"]), int(match["d"]))
            except ValueError:
                continue
            if _plausible(day):
                yield day


def date_from_url(url: str) -> date | None:
    """The publication date a URL spells out (`/2021/07/09/`, `2021-07-09`, `09.07.2021`,
    `2021_07_09`, a standalone `20210709`), if it is a real day between 1990 and tomorrow."""
    return next(_url_dates(url), None)


def date_from_urls_in_text(text: str) -> date | None:
    """The first date found in a URL quoted inside `text`."""
    for match in _URL_IN_TEXT.finditer(text):
        day = date_from_url(match.group())
        if day is not None:
            return day
    return None


def resolve_published(
    found: datetime | None,
    found_from: str,
    *,
    option: datetime | None,
    option_overrides: bool,
    url: str | None,
    text: str,
) -> tuple[datetime | None, str | None]:
    """Pick the publication date and say where it came from.

    `found` is the document's own metadata date (`found_from` is "feed" or "page").
    `option` is the date the user passed; it overrides the metadata when
    `option_overrides` (a single page or report the user vouches for) and otherwise only
    fills in for items without one (the many items of a feed).
    """
    if option is not None and option_overrides:
        return as_utc(option), "option"
    if found is not None:
        return as_utc(found), found_from
    if option is not None:
        return as_utc(option), "option"
    day = date_from_url(url) if url else None
    if day is not None:
        return start_of_day(day), "url"
    day = date_from_urls_in_text(text) if text else None
    if day is not None:
        return start_of_day(day), "url-in-text"
    return None, None
