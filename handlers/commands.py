"""The command table: every command Sitrep answers, on every platform."""

from __future__ import annotations

from handlers import brief, help, search, sources, status, subscribe
from handlers.registry import Registry


def build_registry() -> Registry:
    registry = Registry()
    for module in (brief, help, search, sources, status, subscribe):
        for spec in module.SPECS:
            registry.add(spec)
    return registry
