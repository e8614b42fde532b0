"""The platform-neutral vocabulary every adapter and handler speaks.

Adapters turn a Discord interaction, a Slack slash command or a console line into a
`Command`; handlers answer with a `Reply`; renderers turn the `Reply` into an embed,
Block Kit, console text or JSON. Nothing here knows which platform is on the other side.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class UserError(Exception):
    """An error whose message is meant for the person who typed the command."""


@dataclass(frozen=True)
class Command:
    """One command as typed by someone, stripped of its platform.

    `name` is the command word (`status`, `source`, …) and `args` the rest of the line,
    already split shell-style by the adapter (Discord options arrive split; Slack and the
    console text is split with `shlex`). `channel` and `guild` are platform ids as strings
    (the console uses `console`), and `is_admin` is decided by the adapter, which knows the
    platform's permission model.
    """

    name: str
    args: tuple[str, ...] = ()
    user: str = "console"
    channel: str = "console"
    guild: str = "console"
    platform: str = "console"
    is_admin: bool = False

    @property
    def text(self) -> str:
        """The arguments joined back into one line, for free-text commands."""
        return " ".join(self.args).strip()


@dataclass(frozen=True)
class Citation:
    """A source behind a claim: who said it, when, and where to read it."""

    title: str
    url: str | None = None
    source: str | None = None
    published: str | None = None  # ISO date, as stored

    def label(self) -> str:
        """A short human label: "Source, 8 Jul 2021"."""
        parts = [self.source or self.title]
        if self.published:
            parts.append(self.published)
        return ", ".join(p for p in parts if p)


@dataclass(frozen=True)
class Field:
    """A titled block of a reply (Discord embed field, Slack section, console paragraph)."""

    name: str
    value: str
    inline: bool = False


@dataclass
class Reply:
    """What a handler answers. Renderers decide how it looks on each platform.

    `text` is the main body in a light Markdown subset (`**bold**`, `[label](url)`, `- ` bullets),
    which every renderer understands. `data` carries the machine-readable answer for
    `sitrep ask --json` and tests; it must be JSON-serialisable.
    """

    title: str | None = None
    text: str = ""
    fields: list[Field] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    image_url: str | None = None
    ephemeral: bool = False
    ok: bool = True
    error: str | None = None
    data: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def failure(cls, message: str, *, ephemeral: bool = True) -> Reply:
        """A reply that says what was wrong, shown only to the person who asked."""
        return cls(text=message, ephemeral=ephemeral, ok=False, error=message)
