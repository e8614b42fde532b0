"""Precision, recall and F1 of control claims on the hand-labelled corpus.

    python bench/claims.py            # real gazetteer if one is built, else fixture mentions
    python bench/claims.py -v         # and every miss and false positive, per article
    python bench/claims.py --fixture  # always the literal-name fixture mentions

A claim matches a label when place (any known spelling), kind and controller agree.
tests/claims/corpus/articles.json was labelled while the rules were written. holdout.json and
holdout2.json were labelled before the rules first ran on them; their first scores were
P 0.80 / R 0.57 (14 claims) and P 0.50 / R 0.38 (8 claims), before the gaps they showed
were fixed. Read the totals with that in mind.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.claims import (  # noqa: E402
    CORPUS_FILES,
    Score,
    corpus_items,
    corpus_places,
    run_corpus,
    score,
    split,
)


def real_mention_finder() -> tuple[Callable | None, str]:
    """The gazetteer's mention finder when it is importable and already built, with a note."""
    try:
        from briefing.places import BUILD_VERSION, MentionFinder, open_gazetteer
    except ImportError as exc:
        return None, f"briefing.places is not usable yet ({exc})"
    cache = Path(os.environ.get("SITREP_TEST_CACHE", Path.home() / ".cache" / "sitrep-tests"))
    path = cache / f"gazetteer-{BUILD_VERSION}.db"
    if not path.exists():
        return None, f"no gazetteer built at {path} (run the test suite once to build it)"
    gazetteer = open_gazetteer(path, ROOT / "seeds" / "places.csv")
    build = getattr(MentionFinder, "for_gazetteer", None)
    finder = build(gazetteer) if build else MentionFinder(gazetteer)
    return finder.find, f"real mention finder, gazetteer {path.name}"


def sentence_splitter() -> tuple[Callable[[str], list[str]], str]:
    try:
        from briefing.sentences import split_sentences
    except ImportError:
        return split, "test regex splitter"
    return split_sentences, "briefing.sentences"


def report(score: Score, label: str) -> str:
    return (
        f"{label:<12} precision {score.precision:.3f}  recall {score.recall:.3f}  "
        f"F1 {score.f1:.3f}  (tp {score.true_positives}, fp {len(score.false_positives)}, "
        f"missed {len(score.misses)})"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="list misses per article")
    parser.add_argument("--fixture", action="store_true", help="use fixture mentions only")
    args = parser.parse_args(argv)

    finder, note = (None, "fixture mentions (--fixture)") if args.fixture else real_mention_finder()
    if finder is None and not args.fixture:
        note = f"fixture mentions: {note}"
    splitter, split_note = sentence_splitter()
    print(f"mentions: {note}; sentences: {split_note}")
    print(f"articles: {len(corpus_items())} in {', '.join(CORPUS_FILES)}")

    total, results = run_corpus(find_mentions=finder, sentences=splitter)
    _, spellings = corpus_places()
    for name in CORPUS_FILES:
        ids = {item.id for item in corpus_items(name)}
        part = score([result for result in results if result[0].id in ids], spellings)
        print(report(part, name.removesuffix(".json")))
    print(report(total, "all"))

    if args.verbose:
        for item_id, triple in sorted(total.misses):
            print(f"  missed          {item_id}: {triple}")
        for item_id, triple in sorted(total.false_positives):
            print(f"  false positive  {item_id}: {triple}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
