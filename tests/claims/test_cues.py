"""The cue prefilter: a pattern may be skipped only when it could not have matched."""

from __future__ import annotations

import importlib
import json
import random
import re
from pathlib import Path

import pytest

from briefing.claims.cues import CueTable, required_sets
from briefing.sentences import split_sentences

CORPUS = Path(__file__).parent / "corpus"
extract_module = importlib.import_module("briefing.claims.extract")


def _selectors():
    """Every selector the claims engine registered, by name."""
    names = {
        "actors": "briefing.claims.actors",
        "dates": "briefing.claims.dates",
        "casualties": "briefing.claims.casualties",
        "events": "briefing.claims.events",
        "sources": "briefing.claims.sources",
        "discourse": "briefing.claims.discourse",
    }
    found = {name: importlib.import_module(module)._CUES for name, module in names.items()}
    found["control rules"] = importlib.import_module("briefing.claims.control")._RULE_CUES
    return found


def _corpus_texts() -> list[str]:
    texts = [(CORPUS / "seed_badghis.txt").read_text(encoding="utf-8")]
    for path in sorted(CORPUS.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        items = data if isinstance(data, list) else data.get("articles", [])
        texts += [item["text"] for item in items if isinstance(item, dict) and "text" in item]
    return texts


def _assert_never_skips_a_match(selector, texts: list[str]) -> None:
    for text in texts:
        chosen = selector.select(text)
        for item, pattern in zip(selector._items, selector.patterns, strict=True):
            if pattern.search(text):
                assert any(c is item for c in chosen), (pattern.pattern[:60], text)


def test_a_pattern_runs_only_when_its_words_are_there():
    taliban, digits, either = re.compile("taliban", re.I), re.compile(r"\d+"), re.compile("a|b")
    cues = CueTable().register([taliban, digits, either])
    assert cues.select("The TALIBAN said") == [taliban, digits, either]
    assert cues.select("nothing here but 5") == [digits, either]
    assert required_sets(taliban) == [frozenset({"taliban"})]
    assert required_sets(re.compile(r"(?:the\s+)?(?:captured|seized) it", re.I)) == [
        frozenset({"captured", "seized"}),
        frozenset({" it"}),
    ]
    assert required_sets(re.compile(r"\w+|x")) == []  # an alternative with no literal


def test_characters_that_fold_to_ascii_letters_still_select_their_patterns():
    # re.I matches the Kelvin sign to k, long s to s and both Turkish i's to i.
    cues = CueTable().register([re.compile("kill", re.I), re.compile("sis", re.I)])
    assert len(cues.select("\u212aILL")) == 1
    assert len(cues.select("\u017fI\u017f")) == 1
    assert len(cues.select("S\u0130S")) == 1
    assert len(cues.select("s\u0131s")) == 1


@pytest.mark.parametrize("name", sorted(_selectors()))
def test_no_match_is_ever_skipped_on_the_corpus_sentences(name, mention_finder, monkeypatch):
    selector = _selectors()[name]
    texts = [s for text in _corpus_texts() for s in split_sentences(text)]
    if name == "control rules":  # they read templates ("@P0 fell to @A1"), not sentences
        templates: list[str] = []
        original = extract_module.control_claims

        def recording(view):
            templates.append(view.template)
            return original(view)

        monkeypatch.setattr(extract_module, "control_claims", recording)
        for text in _corpus_texts():
            extract_module.extract(text, mention_finder.find(text), None)
        texts = templates
    _assert_never_skips_a_match(selector, texts)


@pytest.mark.parametrize("name", sorted(_selectors()))
def test_no_match_is_ever_skipped_on_random_word_salad(name):
    """Sentences stitched from the patterns' own words, so that many patterns nearly match."""
    selector = _selectors()[name]
    words = sorted({w for p in selector.patterns for w in re.findall(r"[A-Za-z@']+", p.pattern)})
    words += ["@P0", "@A1", "@D2", "Kunduz", "7", "600", ",", ".", "the", "of"]
    rng = random.Random(20210709)
    texts = [" ".join(rng.choice(words) for _ in range(rng.randint(1, 14))) for _ in range(3000)]
    _assert_never_skips_a_match(selector, texts)
