"""A client's export goes into their own profile of a clinic database, and stays there."""

from __future__ import annotations

import json

from click.testing import CliRunner

from selftrack.cli import cli
from exports.conftest import SESSIONS


def run(*args):
    return CliRunner().invoke(cli, list(args), env={"TZ": "Europe/London"})


def test_import_into_a_named_profile(history, new_database_url, tmp_path):
    home = history.db_location
    history.close()
    export = tmp_path / "alex.json"
    assert run("--db", home, "export", "--format", "json", "-o", str(export)).exit_code == 0
    clinic = new_database_url("clinic")
    assert run("--db", clinic, "--profile", "sam", "demo", "--days", "5").exit_code == 0

    first = run("--db", clinic, "import", str(export), "--profile", "alex")
    assert first.exit_code == 0, first.output
    assert f"imported {len(SESSIONS)} sessions" in first.stderr
    counts = {p["name"]: p["sessions"] for p in json.loads(run("--db", clinic, "profiles", "--json").stdout)}
    assert counts["alex"] == len(SESSIONS) and counts["sam"] > 0 and "default" not in counts

    def sessions(*profile: str) -> list[dict]:
        shown = run("--db", clinic, *profile, "history", "--json")
        assert shown.exit_code == 0, shown.output
        return json.loads(shown.stdout)

    alex = sessions("--profile", "alex")
    assert len(alex) == len(SESSIONS)
    assert sessions() == []  # the default profile holds nothing
    assert not {s["id"] for s in alex} & {s["id"] for s in sessions("--profile", "sam")}

    # The same file again, into the same profile: nothing new. Into another profile: the
    # sessions already belong to alex, so they are reported and not copied across.
    again = run("--db", clinic, "import", str(export), "--profile", "alex")
    assert f"; {len(SESSIONS)} already present" in again.stderr
    other = run("--db", clinic, "--profile", "sam", "import", str(export))
    assert "belongs to another profile" in other.stderr
    # so is the soreness answer about one of them: it cannot be kept without its session
    assert "soreness answer of 2026-11-19T13:30:00+00:00: its session" in other.stderr
    assert "is not in this profile" in other.stderr
    assert len(sessions("--profile", "alex")) == len(SESSIONS)


def test_the_global_and_the_command_profile_are_the_same(history, new_database_url, tmp_path):
    export = tmp_path / "all.json"
    home = history.db_location
    history.close()
    assert run("--db", home, "export", "--format", "json", "-o", str(export)).exit_code == 0
    clinic = new_database_url("clinic")
    assert run("--db", clinic, "--profile", "kim", "import", str(export)).exit_code == 0
    listed = json.loads(run("--db", clinic, "profiles", "--json").stdout)
    assert [(p["name"], p["sessions"]) for p in listed] == [("kim", len(SESSIONS))]
    bad = run("--db", clinic, "import", str(export), "--profile", "")
    assert bad.exit_code == 1 and "profile name" in bad.stderr
