"""The Discord renderer keeps every reply within Discord's embed and message limits."""

from __future__ import annotations

from bot.render_discord import (
    ERROR_COLOUR,
    OK_COLOUR,
    clip,
    embed_size,
    neutralise,
    render_messages,
    split_text,
)
from handlers.base import Citation, Field, Reply


def test_a_status_reply_becomes_one_embed_with_sources() -> None:
    reply = Reply(
        title="Qala-e-Naw",
        text="Held by government forces; stormed by the Taliban on 7 July.",
        fields=[Field("Casualties", "69 Taliban killed, 23 wounded", inline=True)],
        citations=[
            Citation(
                "Fighting in Badghis", "https://example.org/badghis (1)", "Pajhwok", "2021-07-08"
            ),
            Citation("Ministry [statement]", "https://example.org/mod"),
            Citation("Radio report", None, "Radio Azadi"),
        ],
        image_url="https://example.org/map.png",
    )
    assert render_messages(reply) == [
        [
            {
                "type": "rich",
                "color": OK_COLOUR,
                "title": "Qala-e-Naw",
                "description": "Held by government forces; stormed by the Taliban on 7 July.",
                "fields": [
                    {
                        "name": "Casualties",
                        "value": "69 Taliban killed, 23 wounded",
                        "inline": True,
                    },
                    {
                        "name": "Sources",
                        "value": "1. [Fighting in Badghis](https://example.org/badghis%20%281%29)"
                        " — Pajhwok, 2021-07-08\n"
                        "2. [Ministry \\[statement\\]](https://example.org/mod)\n"
                        "3. Radio report — Radio Azadi",
                        "inline": False,
                    },
                ],
                "image": {"url": "https://example.org/map.png"},
            }
        ]
    ]


def test_an_error_reply_is_red() -> None:
    assert render_messages(Reply.failure("No place called Atlantis.")) == [
        [{"type": "rich", "color": ERROR_COLOUR, "description": "No place called Atlantis."}]
    ]


def test_an_empty_reply_still_renders_a_valid_embed() -> None:
    assert render_messages(Reply()) == [
        [{"type": "rich", "color": OK_COLOUR, "description": "Done."}]
    ]


def test_mass_mentions_are_neutralised_everywhere() -> None:
    reply = Reply(
        title="@here",
        text="@everyone",
        fields=[Field("@everyone", "@here")],
        citations=[Citation("@everyone says", "https://example.org/@here")],
    )
    [[embed]] = render_messages(reply)
    zw = "\u200b"
    assert embed == {
        "type": "rich",
        "color": OK_COLOUR,
        "title": f"@{zw}here",
        "description": f"@{zw}everyone",
        "fields": [
            {"name": f"@{zw}everyone", "value": f"@{zw}here", "inline": False},
            {
                "name": "Sources",
                "value": f"1. [@{zw}everyone says](https://example.org/@here)",
                "inline": False,
            },
        ],
    }
    assert neutralise("mail @hereford") == f"mail @{zw}hereford"


def test_ten_thousand_characters_split_into_messages_within_limits_without_cutting_words() -> None:
    paragraphs = [" ".join(f"p{p}w{w}" for w in range(150)) for p in range(12)]
    text = "\n\n".join(paragraphs)
    assert 10_000 <= len(text) <= 12_000
    messages = render_messages(Reply(title="Badghis digest", text=text))
    embeds = [e for message in messages for e in message]
    assert [sum(embed_size(e) for e in m) <= 6000 and len(m) <= 10 for m in messages] == [
        True
    ] * len(messages)
    assert len(messages) == 3
    assert all(len(e["description"]) <= 4096 for e in embeds)
    assert [e.get("title") for e in embeds] == ["Badghis digest", None, None]
    assert " ".join(e["description"] for e in embeds).split() == text.split()
    # cuts fall between paragraphs, so every description ends a paragraph
    assert all(e["description"].endswith("w149") for e in embeds)


def test_many_and_long_fields_are_continued_not_dropped() -> None:
    long_value = " ".join(["casualty"] * 300)  # 2,699 characters
    fields = [Field(f"Field {n}", "x") for n in range(30)] + [Field("N" * 300, long_value)]
    embeds = [e for m in render_messages(Reply(text="intro", fields=fields)) for e in m]
    names = [f["name"] for e in embeds for f in e["fields"]]
    assert [len(e["fields"]) for e in embeds] == [25, 8]
    assert names[30:] == ["N" * 255 + "…", "\u200b", "\u200b"]
    values = [f["value"] for e in embeds for f in e["fields"]][30:]
    assert [len(v) <= 1024 for v in values] == [True, True, True]
    assert " ".join(values).split() == long_value.split()


def test_split_text_prefers_paragraphs_then_lines_then_words() -> None:
    assert split_text("aaaa bbbb\n\ncccc dddd", 12) == ["aaaa bbbb", "cccc dddd"]
    assert split_text("aaaa bbbb\ncccc dddd", 12) == ["aaaa bbbb", "cccc dddd"]
    assert split_text("aaaa bbbb cccc dddd", 12) == ["aaaa bbbb", "cccc dddd"]
    assert split_text("a\n\nbbbbbbbb cccc", 12) == ["a\n\nbbbbbbbb", "cccc"]
    assert split_text("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]
    assert split_text("  short  ", 10) == ["short"]
    assert split_text("", 10) == []


def test_clip_shortens_at_a_word_boundary() -> None:
    assert (
        clip("Fighting continues on the outskirts of Qala-e-Naw", 30)
        == "Fighting continues on the…"
    )
    assert clip("short", 30) == "short"
