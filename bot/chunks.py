"""Splitting long reply text into pieces a platform accepts, never mid-word or mid-link.

Discord embeds and Slack sections both cap their text; both renderers cut here, each naming
the spans of its own markup that must stay whole (a `[label](url)` link, a `<url|label>`
link, an `&amp;` entity).
"""

from __future__ import annotations

import re
from collections.abc import Callable

Atoms = Callable[[str], list[tuple[int, int]]]


def no_atoms(text: str) -> list[tuple[int, int]]:
    return []


def atoms_matching(pattern: re.Pattern[str]) -> Atoms:
    """Spans of every match of `pattern`: markup that must not be split."""
    return lambda text: [m.span() for m in pattern.finditer(text)]


def cut_point(text: str, limit: int, atoms: list[tuple[int, int]] = ()) -> int:
    """Where to end the first piece of `text` so that it is at most `limit` characters.

    A paragraph break is preferred, then a line break, then a space, as long as the piece
    stays at least half full; never a position inside an atom. Only a single word (or atom)
    longer than `limit` is cut in the middle.
    """
    spans = [(start, end) for start, end in atoms if start <= limit]

    def inside(pos: int) -> bool:
        return any(start < pos < end for start, end in spans)

    best = 0
    for separator in ("\n\n", "\n", " "):
        pos = text.rfind(separator, 0, limit + 1)
        while pos > 0 and inside(pos):
            pos = text.rfind(separator, 0, pos)
        if pos >= limit // 2:
            return pos
        best = max(best, pos)
    if best > 0:
        return best
    for start, end in spans:
        if 0 < start < limit < end:
            return start
    return limit


def split_text(text: str, limit: int, atoms: Atoms = no_atoms) -> list[str]:
    """Split text into pieces of at most `limit` characters at natural boundaries."""
    pieces: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        cut = cut_point(rest, limit, atoms(rest))
        piece = rest[:cut].rstrip()
        if piece:
            pieces.append(piece)
        rest = rest[cut:].strip()
    if rest:
        pieces.append(rest)
    return pieces
