"""One article in, every claim it makes out: control, casualties, events, related places.

`extract` is a pure function of the text, its place mentions and its publication date, so
ingest can run it anywhere and tests can run it without a gazetteer. Each item quotes the
sentence it came from (whitespace collapsed) so an answer can cite it word for word, and
`claim_key` names each item stably so that re-ingesting an article never duplicates it.
"""

from __future__ import annotations

import hashlib
import logging
import re
from bisect import bisect_left
from datetime import date

from briefing.claims.casualties import casualty_reports
from briefing.claims.control import control_claims
from briefing.claims.discourse import Discourse
from briefing.claims.events import events as sentence_events
from briefing.claims.view import KIND_RANK, Slot
from briefing.models import CasualtyReport, ControlClaim, Event, Extraction, Mention, Place

log = logging.getLogger(__name__)

_URL = re.compile(r"(?:https?://|www\.)\S+")
_TWO_LETTERS = re.compile(r"[A-Za-z]{2}")
_WHITESPACE = re.compile(r"\s+")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n")
_RESPACE = re.compile(r"\s{2,}|[^\S ]")  # whitespace that is not a single plain space


def extract(
    text: str, mentions: list[Mention], published: date | None, sentences: list[str] | None = None
) -> Extraction:
    """Everything the article claims, with `published` as the anchor for relative dates.

    `sentences` are the article's sentences in order (as `split_sentences` gives them); they
    are located in `text` to tie each mention to its sentence.
    """
    if sentences is None:
        from briefing.sentences import split_sentences

        sentences = split_sentences(text)
    collapsed, origin = _collapse(text)
    urls = [m.span() for m in _URL.finditer(text)]
    usable = [m for m in mentions if not any(s <= m.start < e for s, e in urls)]
    breaks = [m.start() for m in _PARAGRAPH_BREAK.finditer(text)]
    discourse = Discourse(published, usable)
    result = Extraction()
    seen_events: set[tuple] = set()
    seen_pairs: set[tuple[int, int]] = set()
    cursor = 0
    for index, sentence in enumerate(sentences):
        found = _locate(collapsed, sentence, cursor)
        if found is None:
            log.debug("sentence %d not found in the text; read without its mentions", index)
            quote, local, paragraph = _squash(sentence), [], -1 - index
        else:
            start, end = found
            cursor = end
            quote = collapsed[start:end]
            local = _local_mentions(usable, origin, start, end)
            paragraph = bisect_left(breaks, origin[start])
        if not _readable(quote):
            continue
        view = discourse.read(index, quote, local, paragraph)
        control = control_claims(view)
        casualties = casualty_reports(view)
        happened = [e for e in sentence_events(view) if _first_time(e, seen_events)]
        result.control.extend(control)
        result.casualties.extend(casualties)
        result.events.extend(happened)
        for pair in _pairs(view.places()):
            if (pair[0].id, pair[1].id) not in seen_pairs:
                seen_pairs.update({(pair[0].id, pair[1].id), (pair[1].id, pair[0].id)})
                result.related.append(pair)
        dated = [c.event_date for c in control] + [c.event_date for c in casualties]
        discourse.close(view, dated + [e.event_date for e in happened], paragraph)
    return result


def claim_key(item: ControlClaim | CasualtyReport | Event) -> str:
    """A stable identity for an extracted item: same article, same claim, same key."""
    place = item.place.id if item.place else None
    if isinstance(item, ControlClaim):
        parts = ("claim", place, item.kind, item.controller, item.event_date, item.scope)
    elif isinstance(item, CasualtyReport):
        parts = ("casualty", place, item.killed, item.wounded, item.captured, item.whose)
    else:
        parts = ("event", place, item.kind, item.event_date, item.detail)
    raw = "\x1f".join("" if p is None else str(p) for p in (*parts, item.quote))
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()


def _collapse(text: str) -> tuple[str, list[int]]:
    """`text` with whitespace runs as single spaces, and each kept char's original offset."""
    # Only runs that are not already one plain space change; the text between them is
    # copied whole, so the cost is per run, not per character.
    parts: list[str] = []
    origin: list[int] = []
    cursor = 0
    for match in _RESPACE.finditer(text):
        start = match.start()
        parts.append(text[cursor:start])
        parts.append(" ")
        origin.extend(range(cursor, start + 1))  # the run's one space maps to its start
        cursor = match.end()
    parts.append(text[cursor:])
    origin.extend(range(cursor, len(text)))
    return "".join(parts), origin


def _squash(sentence: str) -> str:
    return _WHITESPACE.sub(" ", sentence).strip()


def _locate(collapsed: str, sentence: str, cursor: int) -> tuple[int, int] | None:
    """Where a (possibly re-spaced) sentence sits in the collapsed text, searching onward."""
    wanted = _squash(sentence)
    if not wanted:
        return None
    at = collapsed.find(wanted, cursor)
    if at < 0:
        at = collapsed.find(wanted)
    return (at, at + len(wanted)) if at >= 0 else None


def _local_mentions(
    mentions: list[Mention], origin: list[int], start: int, end: int
) -> list[Mention]:
    """Mentions inside collapsed [start, end), re-based onto the sentence's own offsets."""
    low, high = origin[start], origin[end - 1] + 1
    local = []
    for m in mentions:
        if low <= m.start and m.end <= high:
            local.append(
                Mention(
                    bisect_left(origin, m.start) - start,
                    bisect_left(origin, m.end) - start,
                    m.surface,
                    m.place,
                )
            )
    return local


def _readable(quote: str) -> bool:
    """Rules ("***") and bare links are not sentences and must not break the topic."""
    if "://" in quote or "www." in quote:
        quote = _URL.sub("", quote)
    return _TWO_LETTERS.search(quote) is not None


def _first_time(event: Event, seen: set[tuple]) -> bool:
    """A sentence that retells an event ("The fighters stormed ...") adds nothing new."""
    key = (event.kind, event.place.id if event.place else None, event.event_date)
    if key in seen:
        return False
    seen.add(key)
    return True


def _pairs(slots: list[Slot]) -> list[tuple[Place, Place]]:
    """Places named together in one sentence and lying in the same country, finer first.

    Lists of countries ("Libya, Syria and Iraq") and far-apart places do not make a place's
    neighbourhood, so pairs across countries are left out.
    """
    places: list[Place] = []
    for slot in slots:
        for place in (slot.place, *slot.members):
            if place is not None and all(p.id != place.id for p in places):
                places.append(place)
    pairs = []
    for i, first in enumerate(places):
        for second in places[i + 1 :]:
            if first.country_code != second.country_code or "country" == first.kind == second.kind:
                continue
            rank = KIND_RANK.get
            pairs.append(
                (first, second) if rank(first.kind, 5) <= rank(second.kind, 5) else (second, first)
            )
    return pairs
