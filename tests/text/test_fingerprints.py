"""`fingerprints` is `content_hash` and `minhash` of the joined text, the words folded once."""

from __future__ import annotations

import random

from briefing.dedup import content_hash, fingerprints, minhash

# Compatibility forms, combining marks, case folds that change length, apostrophes.
PIECES = list("abcXYZ '’-.\n\t") + ["e\u0301", "\u0301", "ß", "ﬁ", "Ⅻ", "İ", "ſ", "ǅ", "①", "’s"]


def test_fingerprints_equal_the_two_hashes_they_replace():
    rng = random.Random(11)
    for _ in range(3000):
        title = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 8)))
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 40)))
        assert fingerprints(title, text) == (content_hash(title, text), minhash(f"{title}\n{text}"))
