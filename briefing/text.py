"""Turn messy plain text (PDF extracts, pasted reports) into clean paragraphs.

Real input arrives hard-wrapped, with double spaces from justified PDF lines, decorative
rules, bare video links and stray control characters. Every later stage (sentences,
summaries, claims) assumes one paragraph per block and one space between words, so the
cleaning happens once, here. Quotes and dashes are kept exactly: claims quote the text.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["clean_report", "paragraphs", "plain_quotes"]


def _control_table() -> dict[int, str | None]:
    """Line breaks of every flavour become newlines; other controls vanish.

    C1 controls (0x80-0x9f) almost always come from Windows-1252 bytes decoded as
    Latin-1, so they are mapped back to the character the author typed (0x92 -> ’).
    """
    table: dict[int, str | None] = {c: None for c in range(0x20) if c not in (9, 10)}
    table.update({0x7F: None, 0x200B: None, 0x2060: None, 0xFEFF: None})
    for c in range(0x80, 0xA0):
        table[c] = bytes([c]).decode("cp1252", errors="ignore") or None
    table.update({0x0B: "\n", 0x0C: "\n\n", 0x0D: "\n", 0x2028: "\n", 0x2029: "\n\n"})
    return table


_CONTROLS = _control_table()
# str.translate looks up every character; scan first, since most text has nothing to fix.
_HAS_CONTROLS = re.compile("[" + "".join(re.escape(chr(c)) for c in _CONTROLS) + "]")
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_RULE = re.compile(r"(?:[*\-_=~#•·–—]\s*){3,}")
_URL_LINE = re.compile(r"<?(?:https?://|www\.)\S+?>?", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*$")
_HEADING_END = re.compile(r"[\w)\]\"'”’?!:]$")
_BULLET = re.compile(r"[•▪◦●‣]\s")
_BLANK_LINE = re.compile(r"\n\s*\n")
_LETTERS = re.compile(r"[^\W\d_]+")
_QUOTES = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u02bc": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"',
        "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    }
)  # fmt: skip

# First halves that usually begin a real compound ("self-defence", "well-known",
# "twenty-five"), so a line ending in one of them keeps its hyphen.
_COMPOUND_HEADS = frozenset(
    "self well ex non anti pro semi multi cross half all ill vice so far near long short "
    "twenty thirty forty fifty sixty seventy eighty ninety".split()
)
# Wrapping below this share of the line width means the author broke the line, not the
# layout: greedy wrapping only moves a word down when it would not fit.
_FIT_SHARE = 0.75


def plain_quotes(s: str) -> str:
    """Map curly quotes, apostrophes and guillemets to ASCII, one character for one.

    Used for matching only (the stored text keeps its quotes); the length is unchanged so
    offsets found in the plain copy are valid in the original.
    """
    return s.translate(_QUOTES)


def paragraphs(text: str) -> list[str]:
    """Split on blank lines, dropping empty blocks."""
    return [p for p in (b.strip() for b in _BLANK_LINE.split(text)) if p]


def clean_report(raw: str) -> str:
    """Return `raw` as clean paragraphs separated by one blank line.

    A paragraph ends at a blank line, a decorative rule, a line that is only a URL (kept
    as its own paragraph), an indented line after a sentence end, a bullet, or a short
    line that plainly was not wrapped (see `_author_break`); in text that was never
    wrapped at all, at every line break. Inside a paragraph, lines are joined with one
    space, or de-hyphenated as `_join_lines` explains.
    """
    text = unicodedata.normalize("NFC", raw).replace("\r\n", "\n")
    if _HAS_CONTROLS.search(text):
        text = text.translate(_CONTROLS)
    lines = [(line[:1] in (" ", "\t", "\u00a0"), _SPACES.sub(" ", line).strip())
             for line in text.split("\n")]  # fmt: skip
    contents = [content for _, content in lines]
    width = None if _one_line_per_paragraph(contents) else _wrap_width(contents)
    blocks: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            blocks.append(_join_lines(current, text))
            current.clear()

    for indented, content in lines:
        if not content or _RULE.fullmatch(content):
            flush()
        elif _URL_LINE.fullmatch(content):
            flush()
            blocks.append(content)
        else:
            if current and _starts_paragraph(current[-1], content, indented, width):
                flush()
            current.append(content)
    flush()
    return "\n\n".join(blocks).replace("\u00ad", "")  # soft hyphens left mid-line are noise


def _one_line_per_paragraph(contents: list[str]) -> bool:
    """True for text that was never wrapped (one paragraph per line, as pasted from a page).

    Wrapped lines mostly end mid-sentence; when most lines followed by another line end a
    sentence instead, every line break is a paragraph break.
    """
    followed = [a for a, b in zip(contents, contents[1:], strict=False) if a and b]
    ended = sum(1 for line in followed if _SENTENCE_END.search(line))
    return len(followed) >= 2 and ended >= 0.6 * len(followed)


def _wrap_width(contents: list[str]) -> int:
    """The width the text was wrapped at, read as the 90th percentile of line lengths."""
    lengths = sorted(len(c) for c in contents if c and not _URL_LINE.fullmatch(c))
    if not lengths:
        return 0
    return lengths[min(len(lengths) - 1, int(len(lengths) * 0.9))]


def _starts_paragraph(prev: str, line: str, indented: bool, width: int | None) -> bool:
    if width is None:
        return True  # never wrapped: every line is a paragraph
    ends_sentence = _SENTENCE_END.search(prev) is not None
    if indented and ends_sentence:
        return True
    if _BULLET.match(line):
        return True
    return _author_break(prev, line, ends_sentence, width)


def _author_break(prev: str, line: str, ends_sentence: bool, width: int) -> bool:
    """True when `prev` ended early although the next word would have fit on it.

    Only sentence ends and heading-like lines (no closing punctuation, next line
    capitalised) qualify, and only with a clear margin, because proportional fonts make
    character counts a rough measure of width.
    """
    if width < 30:
        return False
    first_word = line.split(" ", 1)[0]
    if len(prev) + 1 + len(first_word) >= width * _FIT_SHARE:
        return False
    if ends_sentence:
        return True
    return line[0].isupper() and prev[0].isupper() and _HEADING_END.search(prev) is not None


def _join_lines(lines: list[str], doc: str) -> str:
    """Join the lines of one paragraph.

    De-hyphenation rule: a line ending in `piece-` is joined to the next line without the
    hyphen ("gov-" + "ernment" -> "government") only when `piece` is two or more
    lowercase letters, the next line starts with a lowercase letter, `piece` is not part
    of a longer hyphenated word ("Qala-e-" keeps its hyphen, as do "-e-"/"-i-"
    connectors), `piece` is not a usual compound head ("well-", "self-", "twenty-"),
    and the document does not spell the word with the hyphen elsewhere. In every other
    case the hyphen stays and the halves are joined without a space. A soft hyphen at a
    line end is always a split; an em or en dash glued to a word joins without a space.
    """
    out = lines[0]
    for nxt in lines[1:]:
        if out.endswith("\u00ad"):
            out = out[:-1] + nxt
        elif out.endswith("-") and not out.endswith(" -") and len(out) > 1:
            out = out[:-1] + nxt if _is_split_word(out, nxt, doc) else out + nxt
        elif out.endswith(("—", "–")) and not out.endswith((" —", " –")):
            out += nxt
        else:
            out += " " + nxt
    return out


def _is_split_word(line: str, nxt: str, doc: str) -> bool:
    token = line[line.rfind(" ") + 1 : -1]
    if not nxt[:1].islower() or "-" in token:
        return False
    if len(token) < 2 or not (token.isalpha() and token.islower()):
        return False
    if token in _COMPOUND_HEADS:
        return False
    tail = _LETTERS.match(nxt)
    return tail is None or f"{token}-{tail.group()}" not in doc
