"""The quality bar on the hand-labelled corpus (see `bench/claims.py` for the details)."""

from tests.claims import run_corpus


def test_control_claims_meet_the_quality_bar():
    score, _ = run_corpus()
    assert (score.precision >= 0.9, score.recall >= 0.8) == (True, True), (
        score.false_positives,
        score.misses,
    )
