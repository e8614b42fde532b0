"""Which answers are predicted private before dispatch, so refusals are never public."""

from __future__ import annotations

from bot.discord_commands import flags
from bot.discord_respond import default_needs_admin, needs_admin_from
from handlers.base import Command
from tests.discord.conftest import make_registry

CASES = [
    Command("source", ("add", "https://example.org/feed")),
    Command("source", ("list",)),
    Command("source", ("test", "https://example.org/feed")),
    Command("source", ()),
    Command("subscribe", ("daily",)),
    Command("status", ("Kunduz",)),
]


def test_the_built_in_table_mirrors_the_handlers() -> None:
    assert [default_needs_admin(c) for c in CASES] == [True, False, False, False, True, False]


def test_a_registry_decides_when_given() -> None:
    needs_admin = needs_admin_from(make_registry())
    # the test registry's `source` spec has no `test` exemption and knows no `subscribe`
    assert [needs_admin(c) for c in CASES] == [True, False, True, False, False, False]


def test_flags_skip_empty_options_and_keep_their_order() -> None:
    assert flags(since="24h", place=None, keyword="", limit=5) == ("--since", "24h", "--limit", "5")
