"""Long replies are split at paragraphs, lines or spaces, never inside a link."""

from __future__ import annotations

from bot.chunks import split_text
from bot.render_discord import split_text as discord_split
from bot.render_slack import split_text as slack_split


def test_paragraphs_then_lines_then_spaces():
    text = "alpha beta\n\ngamma delta epsilon\nzeta eta"
    assert split_text(text, 20) == ["alpha beta", "gamma delta epsilon", "zeta eta"]
    assert split_text("one two three four", 9) == ["one two", "three", "four"]
    assert split_text("x" * 12, 5) == ["xxxxx", "xxxxx", "xx"]


def test_links_stay_whole_on_each_platform():
    link = "[Frontline Notes, 9 Jul 2021](https://example.org/a)"
    assert discord_split(f"see the report {link} now and later", 55) == [
        "see the report", link, "now and later"]
    slack = "see <https://example.org/a|Frontline Notes, 9 Jul> now &amp; then"
    assert slack_split(slack, 48) == ["see", "<https://example.org/a|Frontline Notes, 9 Jul>",
                                      "now &amp; then"]
