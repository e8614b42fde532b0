"""The `sitrep` command line, run in-process as a user would type it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import build_parser, main
from tests.conftest import NO_SHARED, SEEDS, SHARED_SEED


@pytest.fixture
def cli(tmp_path, gazetteer_path, monkeypatch, capsys):
    """Run `sitrep ARGS…`; returns (exit status, stdout, stderr)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SITREP_DB", str(tmp_path / "sitrep.db"))
    monkeypatch.setenv("SITREP_GAZETTEER_DB", str(gazetteer_path))
    monkeypatch.setenv("SITREP_SEEDS_DIR", str(SEEDS))
    for name in (
        "DISCORD_TOKEN",
        "SLACK_BOT_TOKEN",
        "SLACK_APP_TOKEN",
        "SITREP_ALLOW_PRIVATE_URLS",
    ):
        monkeypatch.delenv(name, raising=False)

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_ingest_the_seeds_twice_stores_them_once(cli):
    code, out, err = cli(
        "ingest", str(SEEDS / "frontline-wire.xml"), str(SEEDS / "kabul-ledger-qala-e-naw.html")
    )
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"{SEEDS / 'frontline-wire.xml'}: 5 new, 0 already known",
        f"{SEEDS / 'kabul-ledger-qala-e-naw.html'}: 1 new, 0 already known",
        "total: 6 new, 0 already known",
    ]
    code, out, _ = cli("ingest", str(SEEDS / "frontline-wire.xml"))
    assert (code, out) == (0, f"{SEEDS / 'frontline-wire.xml'}: 0 new, 5 already known\n")


def test_ask_json_prints_one_object(cli):
    cli("ingest", str(SEEDS / "frontline-wire.xml"))
    code, out, _ = cli("ask", "--json", "search Spin Boldak")
    payload = json.loads(out)
    assert code == 0
    assert (payload["ok"], payload["error"], payload["query"]) == (True, None, "Spin Boldak")
    assert [r["title"] for r in payload["results"]] == ["Spin Boldak crossing changes hands"]


def test_bad_input_gets_one_line_and_a_failing_status(cli, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    junk = tmp_path / "junk.bin"
    junk.write_bytes(bytes(range(256)) * 8)
    nav = tmp_path / "nav.html"
    nav.write_text("<html><body><nav>Home | About</nav></body></html>")
    cases = [
        (
            ("ingest", str(empty)),
            f"error: {empty}: not a feed, page or report: the content is empty",
        ),
        (("ingest", str(tmp_path / "nope.xml")), f"error: {tmp_path / 'nope.xml'}: no such file"),
        (("ingest", str(nav)), f"error: {nav}: no article found in the HTML page"),
        (
            ("ingest", "file:///etc/passwd"),
            "error: refusing file:///etc/passwd: only http and https URLs can be fetched",
        ),
        (
            ("ingest", "http://127.0.0.1:9/feed"),
            "error: refusing http://127.0.0.1:9/feed: 127.0.0.1 is a loopback address",
        ),
    ]
    for args, message in cases:
        code, out, err = cli(*args)
        assert (code, out, err.strip()) == (1, "", message), args
    code, out, err = cli("ingest", str(junk))
    assert (code, out) == (1, "")
    assert err.startswith(f"error: {junk}: ") and len(err.strip().splitlines()) == 1
    code, out, _ = cli("ask", "frobnicate")
    assert code == 1
    assert out.startswith("Unknown command `frobnicate`. Commands: brief, help, search, source")


def test_members_are_refused_admin_commands(cli):
    code, out, _ = cli("source", "add", "https://example.org/feed.xml", "--as-user", "U42")
    assert (code, out) == (1, "Only admins can use `source add`.\n")
    code, out, _ = cli("ask", "--as-user", "U42", "source list")
    assert (code, out.splitlines()[0]) == (0, "Sources")


def test_every_subcommand_has_help(capsys):
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices  # noqa: SLF001
    assert sorted(commands) == [
        "ask",
        "console",
        "discord-invite",
        "ingest",
        "places",
        "poll",
        "run",
        "source",
    ]
    for name, sub in commands.items():
        assert sub.format_help().startswith(f"usage: sitrep {name}"), name
        assert sub.description or sub.format_usage(), name


@pytest.mark.skipif(not SHARED_SEED.exists(), reason=NO_SHARED)
def test_the_original_report_as_it_is(cli):
    code, out, err = cli("ingest", str(SHARED_SEED))
    assert (code, err) == (0, "")
    assert out == f"{SHARED_SEED}: 1 new, 0 already known\n"
    code, out, _ = cli("ask", "--json", "search Qala-e-Naw")
    result = json.loads(out)["results"][0]
    assert result["published"] == "2021-07-09T00:00:00+00:00"
    code, out, _ = cli("ask", "--json", "brief --since 1d")
    story = json.loads(out)["stories"][0]
    assert "Qala-e-Naw is currently in the hands of government forces." in story["summary"]


def test_readme_commands_exist():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    for name in ("ingest", "source", "poll", "ask", "console", "run", "discord-invite"):
        assert f"sitrep {name}" in readme, name
