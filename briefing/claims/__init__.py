"""The claims engine: who controls what, casualties, events and related places, each cited.

Pure functions of an article's text, its place mentions and its publication date; no
database, no network. `extract` is the entry point; the rest is exposed for callers that
need one piece (a date phrase, an actor's canonical name).
"""

from briefing.claims.actors import canonical_actor, opponent
from briefing.claims.dates import find_dates, resolve_date
from briefing.claims.extract import claim_key, extract
from briefing.claims.sources import find_attributions

__all__ = [
    "canonical_actor",
    "claim_key",
    "extract",
    "find_attributions",
    "find_dates",
    "opponent",
    "resolve_date",
]
