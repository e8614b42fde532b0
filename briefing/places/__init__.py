"""Places: the gazetteer (build, resolve, autocomplete) and finding place names in text.

Typical use::

    gazetteer = open_gazetteer(settings.gazetteer_path, settings.seeds_dir / "places.csv")
    gazetteer.resolve("Qala-e-Naw").place       # Qala i Naw, Badghis, Afghanistan
    MentionFinder(gazetteer).find(article_text)  # [Mention(...), ...]
"""

from briefing.places.build import BUILD_VERSION, build_gazetteer, open_gazetteer
from briefing.places.mentions import MentionFinder
from briefing.places.normalise import name_key, normalise
from briefing.places.resolve import Gazetteer, Resolution

__all__ = [
    "BUILD_VERSION",
    "Gazetteer",
    "MentionFinder",
    "Resolution",
    "build_gazetteer",
    "name_key",
    "normalise",
    "open_gazetteer",
]
