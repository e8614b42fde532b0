"""Keep the help, the README and .env.example honest."""

from __future__ import annotations

from pathlib import Path

from bot.settings import Settings
from handlers.commands import build_registry

ROOT = Path(__file__).resolve().parents[1]


def test_every_command_has_help_and_is_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    for spec in build_registry().specs():
        assert spec.summary and spec.usage, spec.name
        assert f"`{spec.name}" in readme, f"README does not document `{spec.name}`"


def test_every_setting_is_documented_in_env_example():
    example = (ROOT / ".env.example").read_text()
    documented = {
        line.split("=", 1)[0]
        for line in example.splitlines()
        if line and not line.startswith("#") and "=" in line
    }
    aliases = {field.alias for field in Settings.model_fields.values()}
    assert aliases == documented


def test_slack_manifest_declares_the_command():
    manifest = (ROOT / "slack-app-manifest.yml").read_text()
    assert "command: /sitrep" in manifest
