"""`selftrack checkin`, `checkins`, `weekly`, `forms`, `insights` and the outcome trends on a
real temporary database (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from click.testing import CliRunner

from selftrack.cli import cli
from selftrack.clock import Clock
from selftrack.tracker import Tracker
from history_support import add_session, at
from support import FIXED_NOW, TEST_PROTOCOLS

pytestmark = pytest.mark.backends


@pytest.fixture
def now(monkeypatch):
    """The moment the commands run at (FIXED_NOW unless a test moves it)."""
    moment = {"now": FIXED_NOW}
    real_now = Clock.now
    monkeypatch.setattr(Clock, "now", lambda self: real_now(self) if self.fixed else moment["now"])
    return moment


@pytest.fixture
def run(database_url, now):
    def invoke(*args: str):
        return CliRunner().invoke(cli, ["--db", database_url, "--protocols-dir", str(TEST_PROTOCOLS), *args])

    return invoke


def _count(database_url: str, table: str) -> int:
    with Tracker(database_url) as tracker, tracker.database.reading() as conn:
        return conn.scalar(f"SELECT count(*) FROM {table}")


def test_a_check_in_on_a_fresh_database_shows_in_the_trend_and_the_list(run):
    result = run("checkin", "--back", "5", "--leg", "2", "--night", "6")
    assert result.exit_code == 0, result.output
    assert "morning check-in saved: back 5, leg 2, night 6" in result.stderr and result.stdout == ""
    trend = run("trend", "pain:morning", "--json")
    assert trend.exit_code == 0, trend.output
    (subject,) = json.loads(trend.stdout)
    assert subject["subject"] == "pain:morning" and subject["name"] == "Back pain in the morning"
    assert [point["value"] for point in subject["series"]] == [5.0]
    assert subject["summary"] == {
        "baseline": 5.0, "latest": 5.0, "change": None, "percent_change": None, "meaningful": False,
        "sessions": 1, "verdict": "too-few-sessions",
    }  # fmt: skip
    listed = run("checkins", "--json")
    assert listed.exit_code == 0, listed.output
    (checkin,) = json.loads(listed.stdout)
    assert set(checkin) == {
        "day", "answered_at", "back_pain", "leg_pain", "below_knee", "night", "soreness",
        "soreness_session", "replaced_earlier",
    }  # fmt: skip
    answered = datetime.fromisoformat(checkin["answered_at"])
    assert answered.utcoffset() is not None and answered == FIXED_NOW
    assert checkin["answered_at"] == "2026-11-20T09:30:00+00:00"  # London in November: +00:00
    assert (checkin["back_pain"], checkin["leg_pain"], checkin["night"], checkin["below_knee"]) == (5, 2, 6, False)
    assert checkin["day"] == "2026-11-20" and checkin["soreness"] is None
    table = run("checkins")
    assert "2026-11-20  09:30     5    2  no              6" in table.stdout


def test_times_carry_the_local_offset(run, now):
    now["now"] = FIXED_NOW.replace(month=7, day=1, hour=6)  # 07:30 in London, summer time
    assert run("checkin", "--back", "3", "--leg", "0", "--night", "8").exit_code == 0
    (checkin,) = json.loads(run("checkins", "--json").stdout)
    assert checkin["answered_at"] == "2026-07-01T07:30:00+01:00" and checkin["day"] == "2026-07-01"


@pytest.mark.parametrize(
    "args, message",
    [
        (["--back", "11", "--leg", "2", "--night", "6"], "--back must be a whole number from 0 to 10, not '11'"),
        (["--back", "5", "--leg", "-1", "--night", "6"], "--leg must be a whole number from 0 to 10, not '-1'"),
        (["--back", "5", "--leg", "2", "--night", "six"], "--night must be a whole number from 0 to 10, not 'six'"),
        (["--back", "5", "--leg", "2.5", "--night", "6"], "--leg must be a whole number from 0 to 10, not '2.5'"),
        (["--back", "5", "--night", "6"], "give --leg (each 0-10)"),
        ([], "give --back, --leg, --night (each 0-10)"),
        (["--back", "5", "--leg", "2", "--night", "6", "--soreness", "awful"], "--soreness is one of none, mild, sore-48h or bruised, not 'awful'"),
        (["--back", "5", "--leg", "2", "--night", "6", "--soreness", "mild"], "no session in the 3 days before today to say soreness about"),
    ],
)
def test_bad_check_ins_are_refused_in_one_line_and_nothing_is_stored(run, database_url, args, message):
    result = run("checkin", *args)
    assert result.exit_code == 1
    assert result.stderr == f"selftrack: {message}\n"
    assert json.loads(run("checkins", "--json").stdout) == []
    if _exists(database_url):
        assert _count(database_url, "checkins") == 0 and _count(database_url, "soreness") == 0


def _exists(database_url: str) -> bool:
    from pathlib import Path

    return "://" in database_url or Path(database_url).exists()


def test_a_second_check_in_says_it_replaces_the_first(run, now):
    run("checkin", "--back", "7", "--leg", "2", "--night", "3")
    now["now"] = FIXED_NOW + timedelta(minutes=30)
    result = run("checkin", "--back", "5", "--leg", "2", "--night", "3")
    assert result.exit_code == 0
    assert "it replaces today's earlier check-in (2026-11-20T09:30:00+00:00: back 7" in result.stderr
    (checkin,) = json.loads(run("checkins", "--json").stdout)
    assert checkin["back_pain"] == 5 and checkin["replaced_earlier"]


def test_soreness_and_below_the_knee_from_the_command_line(run, database_url, clock):
    with Tracker(database_url, protocols_dir=TEST_PROTOCOLS, clock=Clock(fixed=at(1), tz_name="Europe/London")) as tracker:
        tracker.answer_screening({q: "no" for q in _questions()}, "first")
        session = add_session(tracker, at(0.6), [8, 3, 3, 3, 3, 3])
    result = run("checkin", "--back", "5", "--leg", "4", "--night", "6", "--below-knee", "--soreness", "sore-48h")
    assert result.exit_code == 0, result.output
    assert "(below the knee)" in result.stderr and "sore for more than two days" in result.stderr
    assert "the red-flag screen will be asked again before your next session" in result.stderr
    (checkin,) = json.loads(run("checkins", "--json").stdout)
    assert (checkin["soreness"], checkin["soreness_session"], checkin["below_knee"]) == ("sore-48h", session, True)


def _questions():
    from selftrack import safety

    return [q.id for q in safety.RED_FLAG_SCREEN]


def test_the_weekly_form_and_the_list_of_forms(run, now):
    first = run("weekly", "--peg", "7", "8", "6", "--activity", "Walking 30 minutes=3", "--activity", "Sitting=5")
    assert first.exit_code == 0, first.output
    assert "weekly form saved: PEG 7.0; PSFS 4.0 (Walking 30 minutes 3, Sitting 5)" in first.stderr
    now["now"] = FIXED_NOW + timedelta(days=7)
    second = run("weekly", "--activity", "1=5", "--activity", "sitting=6", "--pgic", "2", "--json")
    assert second.exit_code == 0, second.output
    form = json.loads(second.stdout)
    assert [(a["activity"], a["score"]) for a in form["psfs"]] == [("Walking 30 minutes", 5), ("Sitting", 6)]
    assert (form["psfs_score"], form["pgic"], form["pgic_words"], form["peg"]) == (5.5, 2, "much improved", None)
    listed = json.loads(run("forms", "--json").stdout)
    assert [f["peg"] for f in listed][0] == {"pain": 7, "enjoyment": 8, "activity": 6, "score": 7.0}
    assert [f["psfs_score"] for f in listed] == [4.0, 5.5]
    assert "Walking 30 minutes" in run("forms").stdout
    changed = run("weekly", "--new-activities", "--activity", "Gardening=4")
    assert changed.exit_code == 0 and "Gardening 4" in changed.stderr
    refused = run("weekly", "--activity", "Walking 30 minutes=4")
    assert refused.exit_code == 1 and "no PSFS activity 'Walking 30 minutes' in force" in refused.stderr


@pytest.mark.parametrize(
    "args, message",
    [
        ([], "a weekly form needs the PEG, the PSFS or the global impression of change"),
        (["--pgic", "9"], "--pgic must be a whole number from 1 to 7, not '9'"),
        (["--peg", "5", "x", "5"], "--peg enjoyment must be a whole number from 0 to 10, not 'x'"),
        (["--activity", "walking"], "--activity is NAME=SCORE, not 'walking'"),
        (["--activity", "walking=11"], "--activity walking must be a whole number from 0 to 10, not '11'"),
        (["--activity", "1=4"], "name the activities in words the first time (numbers refer to them later)"),
    ],
)
def test_bad_weekly_forms_are_refused_in_one_line(run, args, message):
    result = run("weekly", *args)
    assert result.exit_code == 1 and result.stderr == f"selftrack: {message}\n"
    assert json.loads(run("forms", "--json").stdout) == []


def test_insights_on_an_empty_and_a_full_record(run, database_url, clock):
    empty = run("insights", "--json")
    assert empty.exit_code == 0, empty.output
    data = json.loads(empty.stdout)
    assert data["overall"]["finding"] == "not-enough-data" and data["days"] == 0
    assert "people tend to do a session on the days their back is bad" in data["caveat"].lower()
    with Tracker(database_url, protocols_dir=TEST_PROTOCOLS, clock=clock) as tracker:
        for n in range(45, 0, -1):
            had = n % 3 != 0
            if had:
                add_session(tracker, at(n).replace(hour=19), [3] * 6)
            tracker.clock = Clock(fixed=(at(n) + timedelta(days=1)).replace(hour=7), tz_name="Europe/London")
            tracker.record_checkin(back=3 if had else 5, leg=1, night=6)
    full = json.loads(run("insights", "--json").stdout)
    overall = full["overall"]
    assert (overall["days_with"], overall["days_without"], overall["finding"]) == (30, 15, "lower-after-sessions")
    assert overall["difference"] == -2.0 and overall["interval"][1] < 0
    assert [r["label"] for r in full["by_routine"]] == ["Test mini routine"]
    text = run("insights").stdout
    assert "lower after days with a session" in text and text.count("not proof") == 1


def test_outcome_trends_by_default_and_their_words(run, database_url, clock):
    with Tracker(database_url, protocols_dir=TEST_PROTOCOLS, clock=clock) as tracker:
        for n in range(14):
            tracker.clock = Clock(fixed=at(14 - n), tz_name="Europe/London")
            tracker.record_checkin(back=6 if n < 7 else 4, leg=1, night=6)
    ids = [t["subject"] for t in json.loads(run("trend", "--json").stdout)]
    assert ids[-2:] == ["pain:morning", "leg:morning"]
    text = run("trend", "pain:morning").stdout
    assert "better (meaningful)" in text and "Farrar 2001" in text and "Back and leg pain in the morning" in text


def test_reading_commands_never_create_a_database(tmp_path, now):
    missing = tmp_path / "none.db"
    for command in (["checkins", "--json"], ["forms", "--json"], ["insights", "--json"]):
        result = CliRunner().invoke(cli, ["--db", str(missing), *command])
        assert result.exit_code == 0, result.output
    assert not missing.exists()


def test_demo_writes_check_ins_and_weekly_forms(run):
    result = run("demo", "--days", "30")
    assert result.exit_code == 0, result.output
    assert "morning check-ins and" in result.stderr
    checkins = json.loads(run("checkins", "--json").stdout)
    forms = json.loads(run("forms", "--json").stdout)
    assert 20 <= len(checkins) <= 30 and 4 <= len(forms) <= 5
    assert all(f["psfs"] and f["peg"] for f in forms) and forms[0]["pgic"] is None and forms[-1]["pgic"]
