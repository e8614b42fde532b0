"""A fast rule-based sentence splitter for news English.

It runs on every article at ingest, so it looks only at candidate boundaries (a full
stop, question or exclamation mark, or ellipsis followed by whitespace) found by one
compiled regex, and decides each with a few set lookups. Text without whitespace (URLs,
e-mail addresses, decimals such as "3.5", file names such as "09.07.2021_IMR.mp4") never
holds a candidate, so it is never cut. A blank line is always a boundary.
"""

from __future__ import annotations

import re

__all__ = ["split_sentences"]

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# Terminal punctuation, any closing quotes or brackets glued to it, then whitespace and
# (captured) the first character of the next sentence after its opening quotes.
_CANDIDATE = re.compile(r"([.!?…]+)([\"'”’»)\]]*)(?=\s+[\"'“‘«(\[]*(\S))")
_NEXT_WORD = re.compile(r"\w+")
_OPENERS = "\"'“‘«(["
# Single letters separated by dots: U.S, U.N, e.g, a.m, Ph.D (the last dot is the
# candidate itself).
_DOTTED = re.compile(r"(?:[^\W\d_]{1,2}\.)+[^\W\d_]{1,2}")

# Abbreviations that never end a sentence: ranks and titles before a name ("Lt. Col.",
# "Dr."), and a few that stand mid-sentence ("vs.", "approx.", "Dept.").
_NEVER_FINAL = frozenset(
    """mr mrs ms mx messrs mme dr drs prof profs gen gens lt col maj capt cpt sgt cpl pvt
    pfc spc adm brig cmdr cdr lieut ens rep reps sen sens gov govs pres rev fr hon rt st
    mt supt insp det amb atty sec
    vs v viz cf approx appx incl excl esp ed eds intl natl assn univ dept""".split()
)
# Words that stand before a number ("No. 5", "Jan. 6", "p. 12").
_BEFORE_NUMBER = frozenset(
    """no nos nr p pp vol vols art arts fig figs ch sec para ca c est tel
    jan feb mar apr jun jul aug sep sept oct nov dec""".split()
)
# After a dotted acronym ("the U.S. The ...") only these words make it a sentence end;
# otherwise the acronym is read as part of a name ("U.S. Army").
_STARTERS = frozenset(
    """the a an in on at it its he she they we i you this that these those there here
    but and or so yet however meanwhile moreover according after before while when as
    if his her their our my no some many most both all one two last earlier later
    also still since despite although though what why how who where officials""".split()
)


def split_sentences(text: str) -> list[str]:
    """Split `text` into sentences, each stripped and in order; blank lines always split."""
    out: list[str] = []
    for para in _PARAGRAPH_BREAK.split(text):
        _split_paragraph(para, out)
    return out


def _split_paragraph(para: str, out: list[str]) -> None:
    start = 0
    for m in _CANDIDATE.finditer(para):
        if _is_boundary(para, m):
            piece = para[start : m.end()].strip()
            if piece:
                out.append(piece)
            start = m.end()
    tail = para[start:].strip()
    if tail:
        out.append(tail)


def _is_boundary(para: str, m: re.Match[str]) -> bool:
    nxt = m.group(3)
    if nxt.islower():
        return False  # "e.g. the", `"Why?" he asked`, "approx. five"
    punct = m.group(1)
    if punct != "." or m.group(2):
        return True  # ! ? … or a closing quote/bracket after the full stop
    dot = m.start(1)
    word = para[para.rfind(" ", 0, dot) + 1 : dot]
    if "\n" in word or "\t" in word:
        word = word.split()[-1] if word.split() else ""
    word = word.lstrip(_OPENERS)
    if not word:
        return True
    lower = word.lower()
    if lower in _NEVER_FINAL:
        return False
    if nxt.isdigit():
        return lower not in _BEFORE_NUMBER
    if len(word) == 1:
        return not word.isupper()  # an initial: "J. R. Smith"
    if "." in word and _DOTTED.fullmatch(word):
        if lower in ("e.g", "i.e"):
            return False
        following = _NEXT_WORD.search(para, m.end())
        return following is not None and following.group().lower() in _STARTERS
    return True
