"""Extractive, offline summaries: two or three whole sentences picked from the article.

Each usable sentence is scored by three signals that suit news:
- centrality: the weighted degree of the sentence in a graph whose edges are the
  IDF-weighted cosine overlap of stemmed content words (LexRank's continuous degree,
  which ranks like the full eigenvector on short texts but costs one pass over pairs);
- the lead: reporters put the facts first, so earlier sentences weigh more;
- the title: overlap with the headline, when there is one.
The picked sentences come back in their original order. Everything is sets and dicts,
because summarising runs on every article at ingest and must stay well under a
millisecond.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from itertools import chain, compress

from briefing.sentences import split_sentences

__all__ = ["summarise"]

_MAX_SENTENCE_CHARS = 400
_MIN_WORDS = 4
_REDUNDANT = 0.6  # cosine above which a candidate repeats a sentence already picked
_ENOUGH_CHARS = 450  # with two sentences this long, a third would not be read
_W_CENTRAL, _W_LEAD, _W_TITLE = 0.55, 0.25, 0.35
_STEM_CACHE_MAX = 50_000

# Letters of the Latin, Greek, Cyrillic and Arabic blocks; an explicit class is several
# times faster than [^\W\d_], and digits never carry the topic.
_TOKEN = re.compile(r"[a-z\u00df-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u04ff\u0600-\u06ff]{2,}")
_BARE_URL = re.compile(r"\s*<?(?:https?://|www\.)\S+>?\s*", re.IGNORECASE)
# Page furniture. Only short sentences are checked, so prose is never dropped.
_JUNK_PREFIXES = (
    "read more", "read the full", "also read", "see also", "subscribe", "sign up",
    "click here", "follow us", "follow our", "share this", "share on", "copyright", "©",
    "advertisement", "related:", "related articles", "related stories", "related coverage",
    "photo:", "image:", "watch:", "watch the video", "skip to", "listen to this",
)  # fmt: skip
_JUNK_ANYWHERE = ("all rights reserved", "newsletter", "cookies", "getty images")
_JUNK_MAX_WORDS = 25
_LEADING_MARKS = "\"'“‘«([•*–—- "
_STOPWORDS = frozenset(
    """a about above after again against all almost also although am among an and another
    any are around as at be became because been before being below between both but by
    can could did do does doing done down during each either else even ever every few for
    from further had has have having he her here hers herself him himself his how however
    if in into is it its itself just least less like likely made make many may me might
    more most much must my myself near neither no nor not now of off often on once one
    only onto or other others our ours out over own per put rather said same say says
    see seen several she should since so some still such than that the their theirs them
    themselves then there these they this those though through thus to too toward under
    until up upon us very via was we well were what whatever when where whether which
    while who whom whose why will with within without would yet you your yours
    according already told asked added reported th st nd rd""".split()
)
# A sentence opening on a pronoun or connective leans on the one before it ("It said 69
# fighters were killed"), which reads badly when picked alone.
_DANGLING_OPENERS = tuple(
    f"{w} "
    for w in """It He She They This That These Those His Her Its Their Such But And
    Also However, Meanwhile, Instead, Still, Yet""".split()
)
_DANGLING_PENALTY = 0.2
_ENDED = re.compile(r"[.!?…][\"'”’»)\]]*$")
_stem_cache: dict[str, str] = {}


def summarise(
    text: str,
    title: str | None = None,
    max_sentences: int = 3,
    *,
    sentences: list[str] | None = None,
) -> str:
    """Return up to `max_sentences` whole sentences of `text`, joined by a space.

    Junk (bare links, fragments, "Read more" lines) is never picked; sentences longer than
    400 characters are passed over for the next best unless nothing else is usable.
    Deterministic: ties go to the earlier sentence. `sentences` may pass in what
    `split_sentences(text)` returns, when the caller has it already.
    """
    if max_sentences < 1:
        return ""
    split = split_sentences(text) if sentences is None else sentences
    candidates = [s for s in split if _usable(s)]
    # Headlines, captions and bylines carry no closing punctuation; use them only when the
    # text has nothing else.
    sentences = [s for s in candidates if _ENDED.search(s)] or candidates
    if not sentences:
        return ""
    bags = [_content_words(s) for s in sentences]
    scores = _scores(bags, _content_words(title) if title else set())
    for i, sentence in enumerate(sentences):
        if sentence.startswith(_DANGLING_OPENERS):
            scores[i] -= _DANGLING_PENALTY
    order = sorted(range(len(sentences)), key=lambda i: (-scores[i], i))
    picked = _pick(order, sentences, bags, max_sentences)
    return " ".join(sentences[i] for i in sorted(picked))


def _usable(sentence: str) -> bool:
    words = sentence.count(" ") + 1
    if words < _MIN_WORDS or _BARE_URL.fullmatch(sentence):
        return False
    if words > _JUNK_MAX_WORDS:
        return True
    lowered = sentence.lower().lstrip(_LEADING_MARKS)
    if lowered.startswith(_JUNK_PREFIXES):
        return False
    return not any(phrase in lowered for phrase in _JUNK_ANYWHERE)


def _content_words(text: str) -> set[str]:
    """Lowercased, lightly stemmed words minus stopwords."""
    global _stem_cache
    if len(_stem_cache) > _STEM_CACHE_MAX:
        _stem_cache = {}  # replaced, not cleared: another thread may be reading the old one
    cache = _stem_cache
    words = set(_TOKEN.findall(text.lower()))
    for word in words.difference(cache):
        cache[word] = "" if word in _STOPWORDS else _stem(word)
    out = set(map(cache.__getitem__, words))
    out.discard("")
    return out


def _stem(word: str) -> str:
    """Fold plural, past and -ing forms together ("fighters", "fighting" -> "fight")."""
    n = len(word)
    if n > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif n > 5 and word.endswith("ing"):
        word = word[:-3]
    elif n > 4 and word.endswith("ed"):
        word = word[:-2]
    elif n > 4 and word.endswith("es"):
        word = word[:-2]
    elif n > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    if len(word) > 4 and word.endswith("er"):
        word = word[:-2]
    return word


def _scores(bags: list[set[str]], title: set[str]) -> list[float]:
    """Lead bias plus IDF-weighted degree centrality plus title overlap.

    IDF is counted over the article's own sentences, so a word found everywhere links
    little while the specific subject that several sentences share links a lot.
    """
    n = len(bags)
    df = Counter(chain.from_iterable(bags))
    by_count = [0.0] + [math.log((n + 1) / c) ** 2 for c in range(1, n + 1)]
    weight = dict(zip(df.keys(), map(by_count.__getitem__, df.values()), strict=True))
    get = weight.__getitem__
    norms = [math.sqrt(sum(map(get, bag))) or 1.0 for bag in bags]
    linked = set(compress(df.keys(), map((1).__lt__, df.values())))
    shared_only = [bag & linked for bag in bags]
    degree = [0.0] * n
    for i in range(n):
        bag_i, norm_i = shared_only[i], norms[i]
        if not bag_i:
            continue
        for j in range(i + 1, n):
            shared = bag_i & shared_only[j]
            if shared:
                w = sum(map(get, shared)) / (norm_i * norms[j])
                degree[i] += w
                degree[j] += w
    top = max(degree) or 1.0
    out = [_W_CENTRAL * degree[i] / top + _W_LEAD / (1.0 + 0.25 * i) for i in range(n)]
    if title:
        unseen = by_count[1]
        title_norm = math.sqrt(sum(weight.get(w, unseen) for w in title))
        for i in range(n):
            shared = bags[i] & title
            if shared:
                out[i] += _W_TITLE * sum(map(get, shared)) / (norms[i] * title_norm)
    return out


def _pick(order: list[int], sentences: list[str], bags: list[set[str]], limit: int) -> list[int]:
    picked: list[int] = []
    chars = 0
    for i in order:
        if len(picked) >= limit or (len(picked) >= 2 and chars >= _ENOUGH_CHARS):
            break
        if len(sentences[i]) > _MAX_SENTENCE_CHARS or _repeats(bags[i], picked, bags):
            continue
        picked.append(i)
        chars += len(sentences[i])
    if not picked:
        picked.append(min(order, key=lambda i: (len(sentences[i]), i)))
    return picked


def _repeats(bag: set[str], picked: list[int], bags: list[set[str]]) -> bool:
    for j in picked:
        other = bags[j]
        if bag and other and len(bag & other) / math.sqrt(len(bag) * len(other)) > _REDUNDANT:
            return True
    return False
