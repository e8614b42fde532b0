"""The command registry: one table from command word to handler, usage and help.

Every adapter calls `Registry.dispatch`, so the admin check, the handling of `UserError`
and the generic apology for anything unexpected live in exactly one place.
"""

from __future__ import annotations

import logging
import shlex
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from handlers.base import Command, Reply, UserError

if TYPE_CHECKING:
    from handlers.services import Services

log = logging.getLogger(__name__)

Handler = Callable[[Command, "Services"], Awaitable[Reply]]

MAX_LINE = 2000


@dataclass(frozen=True)
class Spec:
    """One command: its word, a one-line summary, a usage line and whether it is admin-only.

    `admin_subcommands` names subcommands that need an admin even when the command itself
    does not (`source list` is for everyone, `source add` is not).
    """

    name: str
    summary: str
    usage: str
    handler: Handler
    admin: bool = False
    admin_subcommands: frozenset[str] = frozenset()
    details: str = ""

    def needs_admin(self, args: tuple[str, ...]) -> bool:
        if self.admin:
            return True
        return bool(args) and args[0].lower() in self.admin_subcommands


class Registry:
    def __init__(self) -> None:
        self._specs: dict[str, Spec] = {}

    def add(self, spec: Spec) -> None:
        if spec.name in self._specs:
            raise ValueError(f"command {spec.name!r} registered twice")
        self._specs[spec.name] = spec

    def get(self, name: str) -> Spec | None:
        return self._specs.get(name.lower())

    def specs(self) -> list[Spec]:
        return sorted(self._specs.values(), key=lambda s: s.name)

    async def dispatch(self, command: Command, services: Services) -> Reply:
        """Run one command and always return a reply; never raises."""
        if not command.name:
            return Reply.failure("Empty command. Try `help`.")
        spec = self.get(command.name)
        if spec is None:
            known = ", ".join(s.name for s in self.specs())
            return Reply.failure(f"Unknown command `{command.name[:40]}`. Commands: {known}.")
        if spec.needs_admin(command.args) and not command.is_admin:
            what = spec.name + (f" {command.args[0].lower()}" if command.args else "")
            return Reply.failure(f"Only admins can use `{what}`.")
        try:
            return await spec.handler(command, services)
        except UserError as exc:
            return Reply.failure(str(exc))
        except Exception:
            log.exception("command %s failed", spec.name)
            return Reply.failure(
                "Sorry, something went wrong while answering that. It has been logged."
            )


def parse_line(line: str, **identity: object) -> Command:
    """Turn a typed line such as `status "Qala-e-Naw"` into a Command.

    A leading slash is allowed (`/status Kunduz`), as is a leading `sitrep` (the Slack
    slash command). Raises UserError for text that cannot be split.
    """
    line = (line or "").strip()
    if len(line) > MAX_LINE:
        raise UserError(
            f"That command is too long ({len(line)} characters; the limit is {MAX_LINE})."
        )
    try:
        words = shlex.split(line)
    except ValueError:
        # Place names carry apostrophes (Qal'eh-ye Now): read them as letters, and only
        # double quotes as quotes, before giving up on the line.
        lexer = shlex.shlex(line, posix=True)
        lexer.whitespace_split = True
        lexer.quotes = '"'
        lexer.escape = ""
        try:
            words = list(lexer)
        except ValueError as exc:
            raise UserError(f"Could not read that command: {exc} (check your quotes).") from None
    if words and words[0].lstrip("/").lower() == "sitrep":
        words = words[1:]
    if not words:
        return Command(name="", **identity)  # type: ignore[arg-type]
    name = words[0].lstrip("/").lower()
    return Command(name=name, args=tuple(words[1:]), **identity)  # type: ignore[arg-type]
