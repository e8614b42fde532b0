"""The app manifest people paste into Slack must match what the adapter registers."""

from __future__ import annotations

from pathlib import Path

from bot.slack_adapter import SLASH_COMMAND

MANIFEST = Path(__file__).resolve().parents[2] / "slack-app-manifest.yml"


def manifest_lines() -> list[str]:
    lines = (line.split("#")[0].strip() for line in MANIFEST.read_text().splitlines())
    return [line for line in lines if line]


def test_manifest_declares_the_command_scopes_and_socket_mode():
    lines = manifest_lines()
    assert f"- command: {SLASH_COMMAND}" in lines
    start = lines.index("bot:")
    assert lines[start + 1 : lines.index("settings:")] == [
        "- commands",
        "- chat:write",
        "- chat:write.public",
        "- users:read",
    ]
    assert lines[lines.index("settings:") :] == [
        "settings:",
        "org_deploy_enabled: false",
        "socket_mode_enabled: true",
        "token_rotation_enabled: false",
    ]
