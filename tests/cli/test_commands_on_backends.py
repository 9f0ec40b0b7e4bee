"""Every data command works the same with --db on a SQLite file and on a PostgreSQL URL."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from selftrack.cli import cli
from selftrack.storage.migrations import HEAD_REVISION
from selftrack.tracker import Tracker
from support import TEST_PROTOCOLS

pytestmark = pytest.mark.backends


@pytest.fixture
def run(database_url):
    def invoke(*args: str):
        return CliRunner().invoke(cli, ["--db", database_url, *args], catch_exceptions=False)

    return invoke


def test_data_commands(run, database_url, backend, tmp_path):
    assert run("protocols", "list").exit_code == 0
    assert "Body map" in run("protocols", "show", "quick-check").stdout
    path = run("db", "path").stdout.strip()
    assert path == database_url if backend == "sqlite" else path.startswith("postgresql+psycopg://")
    demo = run("demo", "--days", "5")
    assert demo.exit_code == 0, demo.stderr
    check = run("db", "check")
    assert check.exit_code == 0, check.output
    assert "references: ok" in check.stdout and f"schema: {HEAD_REVISION}" in check.stdout
    if backend == "postgres":
        assert "integrity: kept by the server (PostgreSQL" in check.stdout
    else:
        assert "integrity: ok" in check.stdout
    assert "summaries: ok" in check.stdout
    assert "already up to date" in run("db", "upgrade").stderr
    backup = run("db", "backup", str(tmp_path / "copy.db"))
    if backend == "postgres":
        assert backup.exit_code == 1 and "pg_dump" in backup.stderr
        assert len(backup.stderr.strip().splitlines()) == 1
    else:
        assert backup.exit_code == 0


def test_profiles_command_lists_people_and_marks_the_current_one(run, database_url, clock):
    for name, count in (("ann", 2), ("bob", 1)):
        with Tracker(database_url, protocols_dir=TEST_PROTOCOLS, clock=clock, profile=name) as t:
            for _ in range(count):
                t.start_session("test-mini", "left")
    text = run("--profile", "bob", "profiles")
    assert text.exit_code == 0
    lines = text.stdout.splitlines()
    assert lines[0].startswith("  ann") and "2 sessions" in lines[0] and "last 2026-11-20" in lines[0]
    assert lines[1].startswith("* bob") and "1 session " in lines[1]
    data = json.loads(run("profiles", "--json").stdout)
    assert [(p["name"], p["sessions"]) for p in data] == [("ann", 2), ("bob", 1)]
    assert data[0]["created_at"].endswith("+00:00")


def test_profiles_on_an_empty_database(run, database_url):
    Tracker(database_url).open_database(create=True)
    result = run("profiles")
    assert result.exit_code == 0 and result.stdout == "" and "no profiles" in result.stderr


def test_demo_goes_into_the_chosen_profile(run, database_url, clock):
    with Tracker(database_url, protocols_dir=TEST_PROTOCOLS, clock=clock, profile="ann") as t:
        t.start_session("test-mini", "left")
    assert run("--profile", "ann", "demo", "--days", "3").exit_code == 1
    assert run("--profile", "trial", "demo", "--days", "3").exit_code == 0
    counts = {p["name"]: p["sessions"] for p in json.loads(run("profiles", "--json").stdout)}
    assert counts["ann"] == 1 and counts["trial"] > 0


def test_bad_profile_name_is_one_line(run):
    result = run("--profile", "x" * 100, "demo", "--days", "2")
    assert result.exit_code == 1
    assert "profile name" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_every_reading_command_keeps_to_its_profile(run, database_url, clock):
    assert run("--profile", "ann", "demo", "--days", "20").exit_code == 0
    with Tracker(database_url, protocols_dir=TEST_PROTOCOLS, clock=clock, profile="bob") as t:
        own = t.start_session("test-mini", "left")
        t.record_rating(own.id, 0, 2)
    ann_history = json.loads(run("--profile", "ann", "history", "--json").stdout)
    bob_history = json.loads(run("--profile", "bob", "history", "--json").stdout)
    assert len(ann_history) > 5 and [s["id"] for s in bob_history] == [own.id]
    for fmt in ("json", "csv", "fhir"):
        exported = run("--profile", "bob", "export", "--format", fmt)
        assert exported.exit_code == 0, exported.output
        assert not {s["id"] for s in ann_history} & set(_ids_in(exported.stdout))
    assert own.id in run("--profile", "bob", "export", "--format", "csv").stdout
    ann_trend = json.loads(run("--profile", "ann", "trend", "low-back", "--json").stdout)
    nobody = json.loads(run("--profile", "nobody", "trend", "low-back", "--json").stdout)
    assert _points(ann_trend) > 0 and _points(nobody) == 0
    assert json.loads(run("--profile", "nobody", "history", "--json").stdout) == []


def _ids_in(text: str) -> list[str]:
    import re

    return re.findall(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", text)


def _points(trend) -> int:
    subjects = trend if isinstance(trend, list) else trend.get("subjects", [trend])
    return sum(len(subject.get("series", [])) for subject in subjects)


def test_db_check_finds_a_spot_count_that_differs_from_the_ratings(run, database_url):
    assert run("demo", "--days", "5").exit_code == 0
    with Tracker(database_url, protocols_dir=TEST_PROTOCOLS) as tracker:
        with tracker.database.writing() as conn:
            conn.execute(
                "UPDATE spot_counts SET sessions = sessions + 1 WHERE spot_id = "
                "(SELECT min(spot_id) FROM spot_counts)"
            )
    check = run("db", "check")
    assert check.exit_code == 1
    assert "summaries: 2 spots whose session counts differ from their ratings" in check.stdout  # both sides
