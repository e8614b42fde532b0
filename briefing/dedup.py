"""Recognise the same article and the same story: canonical URLs, content hashes, MinHash.

Three levels, cheapest first: the same URL once tracking junk is gone, the same text once
spacing, quotes and punctuation are folded, and the same story rewritten, estimated by
MinHash over 3-word shingles and found through LSH band keys stored in SQLite.

The MinHash is one-permutation hashing with densification (Shrivastava and Li): each
shingle is hashed once with CRC-32 (stable across processes, unlike `hash()`), the hash
modulo `num_perm` picks a bin, and each bin keeps its smallest hash. An empty bin borrows
the value of a fixed, pseudo-random other bin. Two signatures then agree in a bin with
probability close to the Jaccard similarity of the shingle sets, for one hash per
shingle instead of `num_perm`, which keeps it fast in plain Python.
"""

from __future__ import annotations

import hashlib
import re
import struct
import unicodedata
import zlib
from array import array
from collections.abc import Iterable, Sequence
from functools import lru_cache
from operator import eq
from urllib.parse import urlsplit, urlunsplit

__all__ = [
    "BANDS",
    "SAME_STORY",
    "canonical_url",
    "content_hash",
    "fingerprints",
    "lsh_keys",
    "minhash",
    "similarity",
    "stored_similarities",
]

# Estimated Jaccard of 3-word shingles at or above which two articles tell the same story.
# Wire copy re-run with a new intro, reordered paragraphs, light edits and other
# boilerplate lands around 0.4-0.8; separate stories on the same topic stay under 0.1,
# since they share names but rarely three words in a row. 0.3 leaves room for heavier
# rewrites and for the estimate's noise (about +-0.06 with 64 values).
SAME_STORY = 0.3
# 32 bands of 2 values: a pair at the threshold shares a key with probability 0.95, one
# at 0.5 with probability 0.9999, and an unrelated pair (about 0.02) with 0.013.
BANDS = 32

_EMPTY = 1 << 32  # larger than any 32-bit hash: marks a text with no words

_TRACKING_PARAMS = frozenset(
    """fbclid gclid dclid gclsrc msclkid mc_cid mc_eid ref ref_src ref_url igshid _ga _gl
    yclid spm cmpid cmp icid ocid mkt_tok at_medium at_campaign wt.mc_id s_cid smid
    ito __twitter_impression""".split()
)
_TRACKING_PREFIXES = ("utm_", "ns_", "pk_", "mtm_", "hsa_", "oly_")
_DEFAULT_PORTS = (80, 443)  # both drop: every URL becomes https
_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_NEEDS_ESCAPE = re.compile(r"[^A-Za-z0-9\-._~!$&'()*+,;=:@/?%]")
_WORDS = re.compile(r"\w+")


def canonical_url(url: str) -> str:
    """One spelling per page, so the same article linked from two feeds is stored once.

    https, lowercase scheme and host, no default port, no fragment (except `#!` routes),
    no tracking parameters, the rest of the query sorted, no trailing slash except the
    root, and percent-escapes normalised. Non-http(s) strings come back stripped.
    """
    url = url.strip()
    if not url.lower().startswith(("http://", "https://")):
        return url
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url
    host = (parts.hostname or "").rstrip(".")
    if ":" in host:
        host = f"[{host}]"  # IPv6 literal
    if port is not None and port not in _DEFAULT_PORTS:
        host = f"{host}:{port}"
    if parts.username is not None:
        cred = parts.username + (f":{parts.password}" if parts.password is not None else "")
        host = f"{cred}@{host}"
    path = _remove_dot_segments(_normalise_escapes(parts.path)) or "/"
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    query = "&".join(sorted(_kept_params(parts.query), key=lambda p: p.split("=", 1)))
    fragment = parts.fragment if parts.fragment.startswith("!") else ""
    return urlunsplit(("https", host, path, query, _normalise_escapes(fragment)))


def _kept_params(query: str) -> list[str]:
    kept = []
    for pair in query.split("&"):
        if not pair:
            continue
        key = pair.split("=", 1)[0].lower()
        if key in _TRACKING_PARAMS or key.startswith(_TRACKING_PREFIXES):
            continue
        kept.append(_normalise_escapes(pair))
    return kept


def _normalise_escapes(part: str) -> str:
    """Decode escapes of unreserved characters, uppercase the rest, escape what must be."""

    def fix(m: re.Match[str]) -> str:
        byte = int(m.group(1), 16)
        return chr(byte) if byte in _UNRESERVED else f"%{byte:02X}"

    part = _ESCAPE.sub(fix, part)
    return _NEEDS_ESCAPE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode()), part)


def _remove_dot_segments(path: str) -> str:
    if "/." not in path:
        return path
    out: list[str] = []
    for segment in path.split("/"):
        if segment == "..":
            if len(out) > 1:
                out.pop()
        elif segment != ".":
            out.append(segment)
    if path.endswith(("/.", "/..")):
        out.append("")
    return "/".join(out)


def _normal_words(text: str) -> list[str]:
    """Casefolded words with apostrophes folded away ("Naw’s" == "Naw's" == "naws")."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _WORDS.findall(folded.replace("'", "").replace("\u2019", ""))


def content_hash(title: str, text: str) -> str:
    """SHA-1 of title and text with case, spacing, quotes and punctuation folded."""
    folded = " ".join(_normal_words(title)) + "\n" + " ".join(_normal_words(text))
    return hashlib.sha1(folded.encode()).hexdigest()


def fingerprints(title: str, text: str, num_perm: int = 64) -> tuple[str, tuple[int, ...]]:
    """`content_hash(title, text)` and `minhash(f"{title}\\n{text}")`, the words folded once.

    Folding is per character and a line break ends every word and every normalisation
    sequence, so the words of the joined text are the title's followed by the text's.
    """
    title_words, text_words = _normal_words(title), _normal_words(text)
    folded = " ".join(title_words) + "\n" + " ".join(text_words)
    return hashlib.sha1(folded.encode()).hexdigest(), _signature(title_words + text_words, num_perm)


def minhash(text: str, num_perm: int = 64) -> tuple[int, ...]:
    """A `num_perm`-value signature of the text's 3-word shingles (see the module doc).

    Texts of one or two words use the whole text as their only shingle; a text without
    words gets a signature that is similar to nothing.
    """
    return _signature(_normal_words(text), num_perm)


def _signature(words: list[str], num_perm: int) -> tuple[int, ...]:
    if len(words) >= 3:
        shingles = map(" ".join, zip(words, words[1:], words[2:], strict=False))
    elif words:
        shingles = iter([" ".join(words)])
    else:
        return (_EMPTY,) * num_perm
    # All C-level maps: this runs on every article at ingest.
    hashes = sorted(set(map(zlib.crc32, map(str.encode, shingles))), reverse=True)
    # Filled from the largest hash down, each bin ends holding its minimum.
    bins = dict(zip(map(num_perm.__rmod__, hashes), hashes, strict=True))
    if len(bins) == num_perm:
        return tuple(bins[b] for b in range(num_perm))
    donors = _donor_orders(num_perm)
    signature = []
    for b in range(num_perm):
        value = bins.get(b)
        if value is None:
            value = next(bins[d] for d in donors[b] if d in bins)
        signature.append(value)
    return tuple(signature)


@lru_cache(maxsize=8)
def _donor_orders(num_perm: int) -> tuple[tuple[int, ...], ...]:
    """For each bin, the other bins in a fixed pseudo-random order (same in every process)."""
    orders = []
    for b in range(num_perm):
        others = [d for d in range(num_perm) if d != b]
        others.sort(key=lambda d: zlib.crc32(f"{b}:{d}".encode()))
        orders.append(tuple(others))
    return tuple(orders)


def similarity(sig_a: Sequence[int], sig_b: Sequence[int]) -> float:
    """Estimated Jaccard similarity: the share of positions where the signatures agree.

    Any sequence of ints will do (a tuple from `minhash`, or an array read back from
    storage).
    """
    if len(sig_a) != len(sig_b):
        raise ValueError(f"signatures differ in length: {len(sig_a)} and {len(sig_b)}")
    if not len(sig_a) or sig_a[0] == _EMPTY or sig_b[0] == _EMPTY:
        return 0.0
    return sum(map(eq, sig_a, sig_b)) / len(sig_a)


def stored_similarities(mine: bytes, others: Iterable[bytes]) -> list[float]:
    """`similarity` of one stored signature (`array("Q")` bytes) to each of `others`.

    Story grouping scores every candidate sharing a band, dozens per article, so each pair
    is compared whole instead of value by value: the signatures are read as big integers,
    XOR-ed, and the 64-bit lanes that come out zero are the positions that agree. CRC-32
    values fill only the low half of each lane, which lets every lane be folded into its
    lowest bit without touching its neighbour; anything else takes the plain path.
    """
    lanes = len(mine) // 8
    high = _high_halves(lanes)
    a = int.from_bytes(mine, "little")
    fast = lanes > 0 and not len(mine) % 8 and not a & high  # an empty text's marker is high
    scores = []
    for other in others:
        b = int.from_bytes(other, "little") if fast and len(other) == len(mine) else None
        if b is None or b & high:
            scores.append(similarity(array("Q", mine), array("Q", other)))
            continue
        x = a ^ b
        x |= x >> 16
        x |= x >> 8
        x |= x >> 4
        x |= x >> 2
        x |= x >> 1
        scores.append((lanes - (x & _lowest_bits(lanes)).bit_count()) / lanes)
    return scores


@lru_cache(maxsize=8)
def _high_halves(lanes: int) -> int:
    return sum(0xFFFFFFFF << (64 * lane + 32) for lane in range(lanes))


@lru_cache(maxsize=8)
def _lowest_bits(lanes: int) -> int:
    return sum(1 << (64 * lane) for lane in range(lanes))


def lsh_keys(signature: Sequence[int], bands: int = BANDS) -> list[str]:
    """One bucket key per band; articles sharing any key are candidates to compare.

    With `rows` values per band, a pair at Jaccard s shares a key with probability
    1 - (1 - s**rows)**bands (see `BANDS`). The band index is part of the key, so equal
    values in different bands never collide. A text without words gets no keys.
    """
    rows = len(signature) // bands
    if bands < 1 or rows * bands != len(signature):
        raise ValueError(f"{len(signature)} values do not split into {bands} bands")
    if signature[0] == _EMPTY:
        return []
    packed = struct.pack(f"<{len(signature)}Q", *signature)  # each band is a slice of it
    width = rows * 8
    digests = [
        hashlib.blake2b(packed[start : start + width], digest_size=8).hexdigest()
        for start in range(0, bands * width, width)
    ]
    return [f"{band:02d}:{digest}" for band, digest in enumerate(digests)]
