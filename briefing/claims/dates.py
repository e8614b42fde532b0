"""Resolve the date phrases news reports use: "on July 7th", "on Thursday", "two days later".

Reports rarely carry a year ("July 7th") and often count from their own publication day
("yesterday", "on Thursday"), so every phrase is resolved against an anchor: the article's
publication date. A wrong date is worse than none, so vague phrases ("last week", "in recent
days") resolve to nothing, and without an anchor only dates that carry a year resolve.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from briefing.claims.cues import TEXT_CUES

Span = tuple[int, int]

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_SMALL_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip

_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_COUNT = r"(?P<count>\d+|" + "|".join(_SMALL_NUMBERS) + ")"

_ISO = re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<day>[0-3]\d)\b")
_DAY_MONTH = re.compile(rf"\b{_DAY}(?:\s+of)?\s+{_MONTH}(?:,?\s+{_YEAR})?\b", re.I)
_MONTH_DAY = re.compile(rf"\b{_MONTH}\s+{_DAY}\b(?:,?\s+{_YEAR}\b)?", re.I)
_WEEKDAY = re.compile(
    r"\b(?:(?P<mod>last|this|next|past)\s+)?(?P<weekday>" + "|".join(_WEEKDAYS) + r")\b", re.I
)
_DEICTIC = re.compile(
    r"\b(?P<word>yesterday|today|tonight|last night|this (?:morning|afternoon|evening))\b", re.I
)
_DAYS_AGO = re.compile(rf"\b{_COUNT}\s+days?\s+ago\b", re.I)
_RELATIVE = re.compile(
    rf"\b{_COUNT}\s+(?P<unit>days?|weeks?)\s+(?P<direction>later|after(?:wards)?|earlier|before)\b"
    r"|\bthe\s+(?P<next>next|following)\s+day\b|\bthe\s+(?P<prev>previous)\s+day\b"
    r"|\bthe\s+day\s+(?P<side>before|after)\b",
    re.I,
)
# Words that put an undated month-day in the future ("after September 11th") rather than in
# the previous year's past.
_FUTURE_CONTEXT = re.compile(
    r"\b(?:after|until|till|by|before|deadline|will|next|scheduled|expected|due|upcoming)\b", re.I
)
# How far past the anchor an undated month-day may fall before it is read as last year's.
_FUTURE_SLACK = timedelta(days=62)


def find_dates(
    sentence: str, anchor: date | None, *, reference: date | None = None
) -> list[tuple[Span, date]]:
    """Every date phrase in `sentence` with its character span, in reading order.

    `anchor` is the publication date; `reference` is the last date the article mentioned
    before this sentence, which "two days later" and "the next day" count from.
    """
    found: list[tuple[Span, date]] = []
    taken: list[Span] = []
    future: bool | None = None  # only month-days need it
    for pattern, resolver in _CUES.select(sentence):
        if future is None and resolver is _from_month_day:
            future = bool(_FUTURE_CONTEXT.search(sentence))
        for match in pattern.finditer(sentence):
            span = match.span()
            if any(span[0] < end and start < span[1] for start, end in taken):
                continue
            value = resolver(match, anchor, reference, future)
            if value is not None:
                found.append((span, value))
                taken.append(span)
    return sorted(found)


def resolve_date(phrase: str, anchor: date | None, *, reference: date | None = None) -> date | None:
    """The first date `phrase` names, or None when it names none we can pin down."""
    dates = find_dates(phrase, anchor, reference=reference)
    return dates[0][1] if dates else None


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _from_iso(match: re.Match, anchor, reference, future) -> date | None:
    return _safe_date(int(match["year"]), int(match["m"]), int(match["day"]))


def _from_month_day(match: re.Match, anchor, reference, future) -> date | None:
    month = _MONTHS[match["month"][:3].lower()]
    day = int(match["day"])
    if match["year"]:
        return _safe_date(int(match["year"]), month, day)
    if anchor is None:
        return None
    value = _safe_date(anchor.year, month, day)
    if value is not None and value > anchor + _FUTURE_SLACK and not future:
        value = _safe_date(anchor.year - 1, month, day)
    return value


def _from_weekday(match: re.Match, anchor, reference, future) -> date | None:
    if anchor is None:
        return None
    weekday = _WEEKDAYS.index(match["weekday"].lower())
    modifier = (match["mod"] or "").lower()
    if modifier == "next":
        return anchor + timedelta(days=(weekday - anchor.weekday()) % 7 or 7)
    back = (anchor.weekday() - weekday) % 7
    if back == 0 and modifier in ("last", "past"):
        back = 7
    return anchor - timedelta(days=back)


def _from_deictic(match: re.Match, anchor, reference, future) -> date | None:
    if anchor is None:
        return None
    word = match["word"].lower()
    if word in ("yesterday", "last night"):
        return anchor - timedelta(days=1)
    return anchor


def _count(text: str) -> int:
    text = text.lower()
    return int(text) if text.isdigit() else _SMALL_NUMBERS[text]


def _from_days_ago(match: re.Match, anchor, reference, future) -> date | None:
    if anchor is None:
        return None
    return anchor - timedelta(days=_count(match["count"]))


def _from_relative(match: re.Match, anchor, reference, future) -> date | None:
    if reference is None:
        return None
    if match["next"] or match["side"] == "after":
        return reference + timedelta(days=1)
    if match["prev"] or match["side"] == "before":
        return reference - timedelta(days=1)
    days = _count(match["count"]) * (7 if match["unit"].lower().startswith("week") else 1)
    later = match["direction"].lower().startswith(("later", "after"))
    return reference + timedelta(days=days if later else -days)


# Tried in this order; an earlier reader's span blocks any later overlapping one.
_READERS = (
    (_ISO, _from_iso),
    (_DAY_MONTH, _from_month_day),
    (_MONTH_DAY, _from_month_day),
    (_WEEKDAY, _from_weekday),
    (_DEICTIC, _from_deictic),
    (_DAYS_AGO, _from_days_ago),
    (_RELATIVE, _from_relative),
)
_CUES = TEXT_CUES.register(_READERS, lambda reader: reader[0])
