"""`help [COMMAND]`: what Sitrep can do, generated from the registry so it never drifts."""

from __future__ import annotations

from handlers.base import Command, Field, Reply, UserError
from handlers.registry import Spec
from handlers.services import Services

USAGE = "help [COMMAND]"


async def handle(command: Command, services: Services) -> Reply:
    registry = services.registry
    if command.args:
        name = command.args[0].lstrip("/").lower()
        spec = registry.get(name)
        if spec is None:
            raise UserError(f"No command `{name[:40]}`. Type `help` for the list.")
        text = f"{spec.summary}\n\nUsage: `{spec.usage}`"
        if spec.details:
            text += f"\n\n{spec.details}"
        if spec.admin or spec.admin_subcommands:
            which = "all of it" if spec.admin else ", ".join(sorted(spec.admin_subcommands))
            text += f"\n\nAdmins only: {which}."
        return Reply(
            title=f"help {spec.name}", text=text, data={"command": spec.name, "usage": spec.usage}
        )
    fields = [Field(f"{s.name}", f"{s.summary}\n`{s.usage}`") for s in registry.specs()]
    return Reply(
        title="Sitrep commands",
        text="Sitrep reads the news sources you give it and answers with cited sources. "
        "Type `help COMMAND` for details.",
        fields=fields,
        data={"commands": [s.name for s in registry.specs()]},
    )


SPECS = [
    Spec(name="help", summary="List the commands, or explain one.", usage=USAGE, handler=handle)
]
