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
    assert "4 sessions, 23 spot ratings" in result.stdout
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


def test_trend_json_series_and_summary(run, history_db):
    result = run("trend", "test-line-1:left", "low-back:left", "--json")
    assert result.exit_code == 0, result.output
    spot, region = json.loads(result.stdout)
    assert set(spot) == {"subject", "name", "series", "summary"}
    assert spot["subject"] == "test-line-1:left"
    assert [p["value"] for p in spot["series"]] == [6, 6, 2, 2]
    assert spot["summary"] == {
        "baseline": 6.0,
        "latest": 2.0,
        "change": -4.0,
        "percent_change": -66.7,
        "meaningful": True,
    }
    assert datetime.fromisoformat(spot["series"][0]["date"]) == at(40)
    assert region["subject"] == "low-back:left"
    assert region["summary"]["meaningful"] is True


def test_trend_within_noise_is_not_meaningful(run, history_db):
    [data] = json.loads(run("trend", "test-dimple-spot:left", "--json").stdout)
    # 7, 7, 6, 6: baseline 7, latest 6, -1 point: within noise
    assert data["summary"]["change"] == -1.0 and data["summary"]["meaningful"] is False


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


def test_trend_table_explains_the_rule(run, history_db):
    result = run("trend", "low-back")
    assert result.exit_code == 0
    assert "improved" in result.stdout and "Low back, left" in result.stdout
    assert "at least 2 points and at least 30%" in result.stdout
    assert "Theil–Sen" in result.stdout
    assert "(date)" in result.stdout


def test_trend_on_an_empty_database(run):
    result = run("trend")
    assert result.exit_code == 0 and "no ratings" in result.stderr


@pytest.mark.parametrize("args", [["history"], ["trend"], ["trend", "nowhere"]])
def test_collector_is_paused_only_while_the_command_runs(run, history_db, monkeypatch, args):
    import gc

    from selftrack.analysis import review

    seen = []
    real_trends, real_summaries = review.trends, review.session_summaries
    monkeypatch.setattr(review, "trends", lambda *a, **k: seen.append(gc.isenabled()) or real_trends(*a, **k))
    monkeypatch.setattr(
        review, "session_summaries", lambda *a, **k: seen.append(gc.isenabled()) or real_summaries(*a, **k)
    )
    assert gc.isenabled()
    run(*args)  # the last one is refused (no such spot): the collector comes back all the same
    assert seen == [False] and gc.isenabled()
