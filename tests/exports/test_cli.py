"""`selftrack export` and `selftrack import`: streams, files, permissions, refusals."""

from __future__ import annotations

import json
import stat

import pytest
from click.testing import CliRunner

from selftrack import exports
from selftrack.cli import EXPORT_FORMATS, cli
from exports.conftest import SESSIONS


@pytest.fixture
def db(history) -> str:
    location = history.db_location
    history.close()
    return location


def run(*args, env=None):
    return CliRunner().invoke(cli, list(args), env={"TZ": "Europe/London", **(env or {})})


def test_formats_match_the_core():
    assert EXPORT_FORMATS == exports.FORMATS


@pytest.mark.parametrize("fmt", ["csv", "json", "fhir"])
def test_text_formats_go_to_stdout_and_nothing_else_does(db, fmt):
    result = run("--db", db, "export", "--format", fmt)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    data = result.stdout_bytes.decode("utf-8")
    if fmt == "csv":
        assert data.startswith("session_id,")
        assert data.count("\r\n") == 1 + sum(len(s["t"]) for s in SESSIONS)
    else:
        json.loads(data)


@pytest.mark.parametrize("fmt", ["csv", "json", "fhir", "pdf"])
def test_files_are_created_owner_only(db, fmt, tmp_path):
    target = tmp_path / f"out.{fmt}"
    result = run("--db", db, "export", "--format", fmt, "-o", str(target))
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert f"to {target}" in result.stderr and result.stdout == ""
    assert not list(tmp_path.glob(".*.part"))


def test_an_existing_file_is_replaced_owner_only(db, tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old")
    target.chmod(0o644)
    refused = run("--db", db, "export", "--format", "csv", "-o", str(target))
    assert refused.exit_code == 1 and "already exists" in refused.stderr and target.read_text() == "old"
    assert run("--db", db, "export", "--format", "csv", "-o", str(target), "--force").exit_code == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text().startswith("session_id,")


def test_pdf_needs_a_file(db):
    result = run("--db", db, "export", "--format", "pdf")
    assert result.exit_code == 1
    assert result.stderr.strip() == "selftrack: a PDF needs a file: add -o FILE"
    assert result.stdout == ""


def test_range_words(db):
    result = run("--db", db, "export", "--format", "json", "--from", "2026-10-01", "--to", "2026-10-31")
    doc = json.loads(result.stdout)
    assert [s["started_at"][:10] for s in doc["sessions"]] == ["2026-10-01", "2026-10-15", "2026-10-29"]
    assert doc["selection"] == {"from": "2026-09-30T23:00:00+00:00", "to": "2026-10-31T23:59:59.999999+00:00"}


@pytest.mark.parametrize(
    "args,message",
    [
        (["--from", "someday"], "cannot read 'someday' as a date"),
        (["--from", "2026-11-01", "--to", "2026-10-01"], "the start of the range is after its end"),
        (["-o", "/nonexistent-folder/x.csv"], "folder /nonexistent-folder does not exist"),
    ],
)
def test_bad_export_requests(db, args, message):
    result = run("--db", db, "export", "--format", "csv", *args)
    assert result.exit_code == 1
    assert message in result.stderr and result.stdout == ""


def test_export_then_import_elsewhere_then_again(db, tmp_path):
    target = tmp_path / "all.json"
    assert run("--db", db, "export", "--format", "json", "-o", str(target)).exit_code == 0
    other = str(tmp_path / "other.db")
    first = run("--db", other, "import", str(target))
    assert first.exit_code == 0, first.output
    ratings = sum(len(s["t"]) for s in SESSIONS)
    assert first.stderr.strip() == (
        f"imported {len(SESSIONS)} sessions with {ratings} ratings from {target}; 0 already present\n"
        "and 6 morning check-ins, 3 weekly forms and 3 safety records (red-flag screens, conditions, soreness answers)"
    )
    second = run("--db", other, "import", str(target))
    assert second.stderr.strip().startswith("imported 0 sessions with 0 ratings")
    assert f"; {len(SESSIONS)} already present" in second.stderr


def test_no_progress_when_stderr_is_not_a_terminal(db, tmp_path):
    result = run("--db", db, "export", "--format", "csv", "-o", str(tmp_path / "x.csv"))
    assert "%" not in result.stderr
