"""`selftrack history` and `selftrack trend` on a real temporary database."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from click.testing import CliRunner

from selftrack.cli import cli
from selftrack.clock import Clock
from selftrack.tracker import Tracker
from history_support import SKIP, add_session, at
from support import FIXED_NOW, TEST_PROTOCOLS


@pytest.fixture
def history_db(db_path, clock):
    with Tracker(str(db_path), protocols_dir=TEST_PROTOCOLS, clock=clock) as tracker:
        first = add_session(tracker, at(40), [6, 6, 2, 2, 7, SKIP], pain_before=6, pain_after=4)
        add_session(tracker, at(39), [6, 6, 2, 2, 7, 3], pain_before=5, pain_after=4)
        add_session(tracker, at(2), [2, 2, 2, 3, 6, 3], pain_before=3, pain_after=3)
        add_session(tracker, at(1), [2, 2, 2, 3, 6, 3], pain_before=2, finish=False)
    return first


@pytest.fixture
def run(db_path, monkeypatch):
    real_now = Clock.now
    monkeypatch.setattr(Clock, "now", lambda self: real_now(self) if self.fixed else FIXED_NOW)

    def invoke(*args: str):
        return CliRunner().invoke(
            cli, ["--db", str(db_path), "--protocols-dir", str(TEST_PROTOCOLS), *args]
        )

    return invoke


def test_history_json_has_exactly_the_documented_fields(run, history_db):
    result = run("history", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert len(data) == 4
    assert set(data[0]) == {
        "id", "started_at", "protocol", "status", "pain_before", "pain_after", "rated", "skipped"
    }
    oldest = data[-1]
    assert oldest["id"] == history_db
    assert (oldest["rated"], oldest["skipped"]) == (5, 1)
    assert (oldest["pain_before"], oldest["pain_after"]) == (6, 4)
    assert oldest["protocol"] == "test-mini" and oldest["status"] == "finished"
    assert data[0]["status"] == "in_progress" and data[0]["pain_after"] is None
    started = datetime.fromisoformat(oldest["started_at"])
    assert started.utcoffset() is not None and started == at(40)


def test_history_table_and_chart(run, history_db):
    result = run("history")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert "pain before → after" in lines[0]
    assert "6 → 4 (-2)" in result.stdout and "5 weeks ago" in result.stdout
    assert "4 sessions (3 finished), 23 spot ratings" in result.stdout
    assert any("\u2800" <= ch <= "\u28ff" for ch in result.stdout)  # braille chart
    assert "(date)" in result.stdout


def test_history_range(run, history_db):
    data = json.loads(run("history", "--from", "7d", "--json").stdout)
    assert len(data) == 2
    data = json.loads(run("history", "--to", "30d", "--json").stdout)
    assert len(data) == 2


def test_history_empty_period_says_so_on_stderr(run, history_db):
    result = run("history", "--from", "2030-01-01")
    assert result.exit_code == 0 and result.stdout == ""
    assert "no sessions" in result.stderr


@pytest.mark.parametrize(
    "args,message",
    [
        (["history", "--from", "someday"], "cannot read 'someday'"),
        (["history", "--from", "today", "--to", "30d"], "--from is after --to"),
        (["trend", "elbow"], "no spot or region called 'elbow'"),
        (["trend", "low-back:up"], "a region is followed by"),
    ],
)
def test_bad_input_is_one_line_exit_1(run, history_db, args, message):
    result = run(*args)
    assert result.exit_code == 1
    assert message in result.stderr
    assert result.stderr.strip().count("\n") == 0
    assert result.stdout == ""


@pytest.fixture
def six_sessions_db(db_path, clock):
    """Six sessions: line 1 (left) 6 6 7 then 2 2 3, line 2 (left) 6 6 6 then 3 3 3."""
    with Tracker(str(db_path), protocols_dir=TEST_PROTOCOLS, clock=clock) as tracker:
        for days, line1, line2 in ((40, 6, 6), (39, 6, 6), (38, 7, 6), (3, 2, 3), (2, 2, 3), (1, 3, 3)):
            add_session(tracker, at(days), [line1, line2, 2, 2, 7, 3], pain_before=6 if days > 10 else 2)


def test_trend_json_series_and_summary(run, six_sessions_db):
    result = run("trend", "test-line-1:left", "low-back:left", "pain:before", "--json")
    assert result.exit_code == 0, result.output
    spot, region, pain = json.loads(result.stdout)
    assert set(spot) == {"subject", "name", "series", "summary"}
    assert spot["subject"] == "test-line-1:left"
    assert [p["value"] for p in spot["series"]] == [6, 6, 7, 2, 2, 3]
    assert spot["summary"] == {
        "baseline": 6.0,
        "latest": 2.0,
        "change": -4.0,
        "percent_change": -66.7,
        "meaningful": True,
        "sessions": 6,
        "verdict": "less-tender",
    }
    assert datetime.fromisoformat(spot["series"][0]["date"]) == at(40)
    # the region from its two spots: baselines 6 and 6, latests 2 and 3; both less tender
    assert region["subject"] == "low-back:left"
    summary = region["summary"]
    assert (summary["baseline"], summary["latest"], summary["change"]) == (6.0, 2.5, -3.5)
    assert (summary["verdict"], summary["spots"], summary["agreeing"], summary["meaningful"]) == (
        "less-tender", 2, 2, True,
    )
    assert pain["summary"]["verdict"] == "better" and pain["summary"]["sessions"] == 6


def test_trend_with_too_few_sessions_gives_no_verdict(run, history_db):
    spot, region = json.loads(run("trend", "test-line-1:left", "low-back:left", "--json").stdout)
    # 6, 6, 2, 2: four points lower, but 4 sessions are too few to judge
    assert spot["summary"]["change"] == -4.0
    assert spot["summary"]["verdict"] == "too-few-sessions" and spot["summary"]["meaningful"] is False
    assert region["summary"]["verdict"] == "too-few-sessions" and region["summary"]["spots"] == 0


def test_a_small_change_is_no_clear_change(run, six_sessions_db):
    [data] = json.loads(run("trend", "test-line-2:right", "--json").stdout)
    # 2 in every session: no change at all
    assert data["summary"]["change"] == 0.0 and data["summary"]["verdict"] == "no-clear-change"


def test_trend_skipped_spot_is_not_zero(run, history_db):
    [data] = json.loads(run("trend", "test-dimple-spot:right", "--json").stdout)
    assert [p["value"] for p in data["series"]] == [3, 3, 3]


def test_trend_default_is_regions_and_pain(run, history_db):
    data = json.loads(run("trend", "--json").stdout)
    assert [d["subject"] for d in data] == [
        "low-back:left", "low-back:right", "buttock:left", "buttock:right",
        "pain:before", "pain:after",
    ]
    assert [p["value"] for p in data[4]["series"]] == [6, 5, 3, 2]


def test_trend_table_explains_the_rule(run, six_sessions_db):
    result = run("trend", "low-back")
    assert result.exit_code == 0
    assert "clearly less tender (2 of 2 spots" in result.stdout and "Low back, left" in result.stdout
    assert "at least 2 points and at least 30%" in result.stdout
    assert "not validated for the tenderness of a spot" in result.stdout
    assert "Theil–Sen" in result.stdout
    assert "(date)" in result.stdout


def test_trend_on_an_empty_database(run, db_path):
    Tracker(str(db_path)).open_database(create=True)
    result = run("trend")
    assert result.exit_code == 0 and "no ratings" in result.stderr


@pytest.mark.parametrize(
    "args", [("history",), ("trend",), ("export", "--format", "csv"), ("profiles",), ("history", "--json")]
)
def test_read_commands_on_a_missing_database_say_so_and_create_nothing(run, db_path, args):
    result = run(*args)
    assert result.exit_code == 1 and result.stdout == ""
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"selftrack: no database at {db_path}")
    assert not db_path.exists() and not list(db_path.parent.glob(db_path.name + "*"))


def test_export_refuses_to_replace_a_file_without_force(run, history_db, tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("keep me")
    refused = run("export", "--format", "csv", "-o", str(target))
    assert refused.exit_code == 1 and "already exists" in refused.stderr and "--force" in refused.stderr
    assert target.read_text() == "keep me"
    replaced = run("export", "--format", "csv", "-o", str(target), "--force")
    assert replaced.exit_code == 0, replaced.output
    assert target.read_text().startswith("session_id,")
    assert "wrote 4 sessions with 23 ratings" in replaced.stderr or "wrote 4 sessions" in replaced.stderr



def test_a_long_history_lists_every_session_once_newest_first(run, db_path):
    """The table is written some hundreds of lines at a time: no line is lost or repeated at
    the joins, and the order holds across them."""
    assert run("demo", "--days", "1100").exit_code == 0
    result = run("history", "--json")
    sessions = json.loads(result.output)
    assert len(sessions) > 1000  # more than two of the table's writes
    table = run("history").output.splitlines()
    lines = table[2 : 2 + len(sessions)]
    assert table[2 + len(sessions)] == ""  # then the totals
    assert f"{len(sessions)} sessions" in table[3 + len(sessions)]
    starts = [line[:16] for line in lines]
    assert starts == sorted(starts, reverse=True)
    expected = [s["started_at"][:10] + " " + s["started_at"][11:16] for s in sessions]
    assert starts == expected
