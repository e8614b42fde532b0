"""Block Kit rendering: whole payloads, Slack's limits, and untrusted text kept inert."""

from __future__ import annotations

from bot.render_slack import (
    MAX_MESSAGE_TEXT,
    TRUNCATED_NOTICE,
    render_blocks,
)
from bot.render_slack import (
    ZERO_WIDTH_JOINER as ZWJ,
)
from handlers.base import Citation, Field, Reply


def section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def header(text: str) -> dict:
    return {"type": "header", "text": {"type": "plain_text", "text": text, "emoji": True}}


def test_full_reply_becomes_header_sections_fields_image_and_sources():
    reply = Reply(
        title="Status: Qala-e-Naw",
        text="**Held by government forces.**\n- Stormed on 7 July\n- See [the report](https://ex.org/a?x=1&y=2)",
        fields=[
            Field("Casualties", "69 killed, 23 wounded", inline=True),
            Field("Control", "Government", inline=True),
            Field("Context", "The rest of Badghis is in Taliban hands."),
        ],
        citations=[
            Citation(
                "Badghis report", "https://ex.org/a", source="Pajhwok", published="2021-07-08"
            ),
            Citation("Ministry statement"),
        ],
        image_url="https://ex.org/map.png",
    )
    assert render_blocks(reply) == (
        "Status: Qala-e-Naw",
        [
            header("Status: Qala-e-Naw"),
            section(
                "*Held by government forces.*\n• Stormed on 7 July\n"
                "• See <https://ex.org/a?x=1&amp;y=2|the report>"
            ),
            {
                "type": "section",
                "fields": [
                    {"type": "mrkdwn", "text": "*Casualties*\n69 killed, 23 wounded"},
                    {"type": "mrkdwn", "text": "*Control*\nGovernment"},
                ],
            },
            section("*Context*\nThe rest of Badghis is in Taliban hands."),
            {
                "type": "image",
                "image_url": "https://ex.org/map.png",
                "alt_text": "Status: Qala-e-Naw",
            },
            {
                "type": "context",
                "elements": [
                    {
                        "type": "mrkdwn",
                        "text": "Sources: <https://ex.org/a|Pajhwok, 2021-07-08> · "
                        "Ministry statement",
                    }
                ],
            },
        ],
    )


def test_article_text_cannot_ping_or_link():
    reply = Reply(
        title="Alert @here <!channel>",
        text="<!channel> @everyone <@U1> <#C1> <!here> AT&T @Channel mail@here.org",
        citations=[Citation("x", "https://ex.org/a|b>c", source="<!everyone>")],
    )
    body = (
        f"&lt;!channel&gt; @{ZWJ}everyone &lt;@U1&gt; &lt;#C1&gt; &lt;!here&gt; AT&amp;T "
        f"@{ZWJ}Channel mail@here.org"
    )
    assert render_blocks(reply) == (
        f"Alert @{ZWJ}here &lt;!channel&gt;",
        [
            header(f"Alert @{ZWJ}here <!channel>"),
            section(body),
            {
                "type": "context",
                "elements": [
                    {
                        "type": "mrkdwn",
                        "text": "Sources: <https://ex.org/a%7Cb%3Ec|&lt;!everyone&gt;>",
                    }
                ],
            },
        ],
    )


def test_unsafe_link_schemes_stay_text():
    reply = Reply(
        text="[click](javascript:alert(1)) [ok](http://ex.org)", image_url="file:///etc/passwd"
    )
    assert render_blocks(reply) == (
        "[click](javascript:alert(1)) <http://ex.org|ok>",
        [section("[click](javascript:alert(1)) <http://ex.org|ok>")],
    )


def test_failure_reply_is_just_its_text():
    assert render_blocks(Reply.failure("Only admins can use `source add`.")) == (
        "Only admins can use `source add`.",
        [section("Only admins can use `source add`.")],
    )


def test_empty_reply_still_has_content():
    assert render_blocks(Reply()) == ("Sitrep", [section("Sitrep")])


def test_long_text_splits_at_paragraphs():
    first, second = "a" * 2000, "b" * 2000
    _, blocks = render_blocks(Reply(text=f"{first}\n\n{second}"))
    assert blocks == [section(first), section(second)]


def test_long_paragraph_splits_between_words():
    _, blocks = render_blocks(Reply(text=" ".join(["alpha"] * 1000)))
    half = " ".join(["alpha"] * 500)
    assert blocks == [section(half), section(half)]


def test_links_are_never_split():
    text = "x" * 2990 + " [the label with spaces](https://ex.org/a)"
    _, blocks = render_blocks(Reply(text=text))
    assert blocks == [section("x" * 2990), section("<https://ex.org/a|the label with spaces>")]


def test_only_a_word_longer_than_a_block_is_cut():
    _, blocks = render_blocks(Reply(text="y" * 3500))
    assert blocks == [section("y" * 3000), section("y" * 500)]


def test_long_title_is_shortened_at_a_word():
    title = "Fighting " * 20  # 180 characters
    fallback, blocks = render_blocks(Reply(title=title))
    assert blocks == [header(" ".join(["Fighting"] * 16) + "…")]
    assert fallback == title.strip()


def test_inline_fields_fill_sections_of_ten_and_respect_the_field_limit():
    fields = [Field(f"F{i}", "v", inline=True) for i in range(11)] + [
        Field("Long", "word " * 500, inline=True)
    ]
    _, blocks = render_blocks(Reply(fields=fields))
    assert blocks == [
        {
            "type": "section",
            "fields": [{"type": "mrkdwn", "text": f"*F{i}*\nv"} for i in range(10)],
        },
        {
            "type": "section",
            "fields": [
                {"type": "mrkdwn", "text": "*F10*\nv"},
                {"type": "mrkdwn", "text": "*Long*\n" + " ".join(["word"] * 398) + "…"},
            ],
        },
    ]


def test_too_many_blocks_keeps_title_and_sources_and_says_so():
    fields = [Field(f"Item {i}", "text") for i in range(60)]
    citation = Citation("Report", "https://ex.org/r", source="Wire")
    _, blocks = render_blocks(Reply(title="Digest", fields=fields, citations=[citation]))
    assert blocks == (
        [header("Digest")]
        + [section(f"*Item {i}*\ntext") for i in range(47)]
        + [
            {"type": "context", "elements": [{"type": "mrkdwn", "text": TRUNCATED_NOTICE}]},
            {
                "type": "context",
                "elements": [{"type": "mrkdwn", "text": "Sources: <https://ex.org/r|Wire>"}],
            },
        ]
    )


def test_whole_message_stays_under_the_character_budget():
    paragraph = "a" * 2900
    fallback, blocks = render_blocks(Reply(text="\n\n".join([paragraph] * 20)))
    assert fallback == "a" * 999 + "…"
    assert blocks == [section(paragraph)] * 13 + [
        {"type": "context", "elements": [{"type": "mrkdwn", "text": TRUNCATED_NOTICE}]}
    ]
    assert len(fallback) + sum(len(b["text"]["text"]) for b in blocks[:-1]) <= MAX_MESSAGE_TEXT
