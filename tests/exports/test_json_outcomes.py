"""JSON formats 2 and 3: the outcome records and the dose travel, import once, and are checked
like sessions; version 1 and 2 files still import (issue 16; the soreness answers given before
a session came in version 3)."""

from __future__ import annotations

import io
import json

import pytest

from selftrack.exports import ExportRequest
from selftrack.exports.json_export import FORMAT_VERSION
from selftrack.exports.json_reader import ImportRefused
from exports.conftest import CHECKINS, SESSIONS, SORENESS_BEFORE_SESSION, WEEKLY_FORMS, set_clock
from history_support import add_session, at
from selftrack.tracker import Tracker
from support import DATA, TEST_PROTOCOLS

V1_FILE = DATA / "imports" / "export-v1.json"  # the golden export of format 1, kept as it was


def export_json(tracker, **request) -> bytes:
    out = io.StringIO(newline="")
    tracker.export(ExportRequest("json", **request), out)
    return out.getvalue().encode("utf-8")


def test_outcome_lists_hold_what_was_recorded(history):
    doc = json.loads(export_json(history))
    assert [c["back_pain"] for c in doc["checkins"]] == [c[1] for c in CHECKINS]
    assert doc["checkins"][0]["soreness"] == {"session": doc["sessions"][0]["id"], "answer": "mild"}
    assert doc["checkins"][0]["below_knee"] is True
    assert [a["name"] for a in doc["psfs_activities"]] == ["Sitting through a film", "Lifting my daughter", "Gardening"]
    assert [a["id"] for a in doc["psfs_activities"]] == [1, 2, 3]  # the file's own numbers
    last = doc["weekly_forms"][-1]
    assert last["peg"] == {"pain": 3, "enjoyment": 2, "activity": 3} and last["pgic"] == 2
    assert last["psfs"] == [{"activity_id": 1, "score": 7}, {"activity_id": 2, "score": 6}, {"activity_id": 3, "score": 6}]
    assert len(doc["weekly_forms"]) == len(WEEKLY_FORMS)
    (screen,) = doc["screenings"]
    assert screen["trigger"] == "first" and screen["outcome"] == "clear" and set(screen["answers"].values()) == {"no"}
    assert doc["conditions"] == [{"updated_at": "2026-11-18T09:30:00+00:00", "conditions": ["osteoporosis"], "pregnancy_weeks": None}]


def test_a_period_carries_its_check_ins_and_forms_and_every_screen(history):
    from datetime import datetime, timezone

    doc = json.loads(export_json(history, start=datetime(2026, 9, 20, tzinfo=timezone.utc)))
    assert [c["day"] for c in doc["checkins"]] == ["2026-10-02", "2026-10-30", "2026-11-19"]
    assert len(doc["weekly_forms"]) == 2
    assert len(doc["psfs_activities"]) == 3 and len(doc["screenings"]) == 1 and len(doc["conditions"]) == 1


def test_importing_twice_adds_no_outcome_twice(history, empty_tracker, tmp_path):
    path = tmp_path / "export.json"
    path.write_bytes(export_json(history))
    empty_tracker.import_file(path)
    again = empty_tracker.import_file(path)
    assert (again.added_checkins, again.added_forms, again.added_other) == (0, 0, 0)
    assert again.unchanged_outcomes == len(CHECKINS) + len(WEEKLY_FORMS) + 3
    assert again.conflicts == []
    assert export_json(empty_tracker) == export_json(history)


def test_a_check_in_of_the_same_day_with_other_answers_is_kept_and_reported(history, empty_tracker, tmp_path):
    from datetime import datetime, timezone

    doc = json.loads(export_json(history))
    set_clock(empty_tracker, datetime(2026, 9, 2, 7, 0, tzinfo=timezone.utc))
    empty_tracker.record_checkin(back=9, leg=9, night=1)
    path = tmp_path / "export.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    result = empty_tracker.import_file(path)
    assert result.added_checkins == len(CHECKINS) - 1
    assert result.conflicts == ["check-in of 2026-09-02: a different one is stored"]
    assert empty_tracker.checkins()[0].back_pain == 9


def test_a_bruising_answered_before_a_session_rests_the_same_spots_after_a_move(tracker, new_database_url, tmp_path):
    """The soreness question asked before a session (not in a morning check-in) travels in the
    file: in the database it is imported into, the bruised spot still rests and the question
    is not asked again."""
    hard = add_session(tracker, at(3), [9, 2, 2, 2, 2, 2])
    tracker.answer_soreness(hard, "bruised")
    resting = tracker.resting_now()
    assert [spot.spot_id for spot in resting] == ["test-line-1"] and "bruise" in resting[0].reason
    assert tracker.care_state().soreness_about is None
    doc = json.loads(export_json(tracker))
    assert doc["checkins"] == []
    assert [(o["session"], o["answer"]) for o in doc["soreness_answers"]] == [(hard, "bruised")]
    path = tmp_path / "move.json"
    path.write_bytes(export_json(tracker))
    with Tracker(new_database_url("moved"), protocols_dir=TEST_PROTOCOLS, clock=tracker.clock) as moved:
        result = moved.import_file(path)
        assert (result.added_sessions, result.added_other, result.conflicts) == (1, 1, [])
        assert moved.resting_now() == resting
        assert moved.care_state().soreness_about is None
        assert export_json(moved) == export_json(tracker)
        again = moved.import_file(path)
        assert (again.added_other, again.unchanged_outcomes, again.conflicts) == (0, 1, [])


def test_a_soreness_answer_stored_otherwise_is_kept_and_reported(history, tmp_path):
    doc = json.loads(export_json(history))
    (answer,) = doc["soreness_answers"]
    assert answer["answer"] == SORENESS_BEFORE_SESSION
    answer["answer"] = "none"
    path = tmp_path / "changed.json"
    path.write_text(_layout(doc), encoding="utf-8")
    result = history.import_file(path)
    assert result.conflicts == [f"soreness answer of {answer['answered_at']}: a different one is stored"]
    assert json.loads(export_json(history))["soreness_answers"][0]["answer"] == SORENESS_BEFORE_SESSION


def test_a_version_2_file_still_imports_with_its_check_ins_soreness(history, empty_tracker, tmp_path):
    doc = json.loads(export_json(history))
    doc["version"] = 2
    del doc["soreness_answers"]
    path = tmp_path / "v2.json"
    path.write_text(_layout(doc), encoding="utf-8")
    result = empty_tracker.import_file(path)
    assert result.conflicts == [] and result.added_checkins == len(CHECKINS)
    moved = json.loads(export_json(empty_tracker))
    assert moved["soreness_answers"] == []
    assert [c["soreness"] for c in moved["checkins"]] == [c["soreness"] for c in doc["checkins"]]


def test_a_version_1_file_still_imports_with_no_dose_and_no_outcomes(empty_tracker):
    v1 = json.loads(V1_FILE.read_text(encoding="utf-8"))
    assert v1["version"] == 1 and "hold_seconds" not in v1["sessions"][0]["ratings"][0]
    result = empty_tracker.import_file(V1_FILE)
    assert result.added_sessions == len(SESSIONS) and result.conflicts == []
    assert (result.added_checkins, result.added_forms, result.added_other) == (0, 0, 0)
    doc = json.loads(export_json(empty_tracker))
    assert doc["version"] == FORMAT_VERSION
    assert {(r["hold_seconds"], r["tool"], r["pressure"]) for s in doc["sessions"] for r in s["ratings"]} == {(None, None, None)}
    assert all(s["hold_guidance"] is None for s in doc["sessions"])
    assert doc["checkins"] == [] and doc["weekly_forms"] == []


def test_a_version_1_file_of_sessions_holding_a_dose_is_unchanged_not_in_conflict(history, tmp_path):
    """A version 1 export of sessions that had a dose cannot say it: importing it back is no conflict."""
    result = history.import_file(V1_FILE)
    assert result.added_sessions == 0 and result.unchanged_sessions == len(SESSIONS)
    assert result.conflicts == []


@pytest.mark.parametrize(
    ("change", "message", "on_the_line"),
    [
        (lambda d: d["checkins"][2].update(back_pain=11), "checkins[2].back_pain: 11 is not a whole number from 0 to 10", '"back_pain": 11'),
        (lambda d: d["checkins"][1].update(day="2026-02-30"), "checkins[1].day: '2026-02-30' is not a real day", "2026-02-30"),
        (lambda d: d["checkins"][1].update(day="2026-09-09"), "checkins[1].day: '2026-09-09' is not the local day of its answer", "2026-09-09"),
        (lambda d: d["checkins"].append(dict(d["checkins"][0])), "checkins[6].day: '2026-09-02' appears twice in checkins", None),
        (lambda d: d["weekly_forms"][1]["psfs"][0].update(activity_id=7), "weekly_forms[1].psfs[0].activity_id: 7 is not the id of an activity in psfs_activities", '"activity_id": 7'),
        (lambda d: d["weekly_forms"][0].update(pgic=8), "weekly_forms[0].pgic: 8 is not one of the seven answers", '"pgic": 8'),
        (lambda d: d["weekly_forms"][2]["peg"].update(enjoyment=-1), "weekly_forms[2].peg.enjoyment: -1 is not a whole number from 0 to 10", '"enjoyment": -1'),
        (lambda d: d["sessions"][0]["ratings"][0].update(hold_seconds=3601), ".ratings[0].hold_seconds: 3601 is not a whole number of seconds from 0 to 3,600", '"hold_seconds": 3601'),
        (lambda d: d["sessions"][8]["ratings"][1].update(pressure="crushing"), ".ratings[1].pressure: 'crushing' is not one of", '"crushing"'),
        (lambda d: d["screenings"][0]["answers"].update(cancer="maybe"), "screenings[0].answers.cancer: 'maybe' is not one of", '"maybe"'),
        (lambda d: d["screenings"][0].update(outcome="fine"), "screenings[0].outcome: 'fine' is not one of", '"fine"'),
        (lambda d: d["conditions"][0].update(pregnancy_weeks=60), "conditions[0].pregnancy_weeks: 60 is not a week of pregnancy", '"pregnancy_weeks": 60'),
        (lambda d: d["conditions"][0].update(updated_at="2099-01-01T00:00:00+00:00"), "conditions[0].updated_at: 2099-01-01T00:00:00+00:00 is after the file was exported", "2099"),
        (lambda d: d.update(version=1), 'ratings[0].hold_seconds: unexpected key "hold_seconds"', '"hold_seconds"'),
        # a key holding a line break is shown through the text gate: the refusal stays one line
        (lambda d: d["checkins"][0].update({"\n": 1}), 'checkins[0].\\x0a: unexpected key "\\x0a"', None),
        (lambda d: d.update(version=4), "format version 4 is not supported (this selftrack reads versions 1, 2, 3; it writes 3)", '"version": 4'),
        (lambda d: d["soreness_answers"][0].update(answer="agony"), "soreness_answers[0].answer: 'agony' is not one of", '"agony"'),
        (lambda d: d["soreness_answers"][0].update(session="not-an-id"), "soreness_answers[0].session: 'not-an-id' is not a session id", '"not-an-id"'),
        (lambda d: d["soreness_answers"][0].update(answered_at="2099-01-01T00:00:00+00:00"), "soreness_answers[0].answered_at: 2099-01-01T00:00:00+00:00 is after the file was exported", "2099"),
    ],
)
def test_a_bad_outcome_value_is_refused_at_its_line_and_nothing_is_imported(
    history, empty_tracker, tmp_path, change, message, on_the_line
):
    doc = json.loads(export_json(history))
    change(doc)
    path = tmp_path / "bad.json"
    path.write_text(_layout(doc), encoding="utf-8")
    with pytest.raises(ImportRefused) as refused:
        empty_tracker.import_file(path)
    text = str(refused.value)
    assert message in text and text.endswith("; nothing was imported"), text
    if on_the_line is not None:
        line = int(text[len(str(path)) + 1 :].split(":")[0])
        assert on_the_line in path.read_text(encoding="utf-8").splitlines()[line - 1], text
    assert empty_tracker.sessions() == [] and empty_tracker.checkins() == [] and empty_tracker.weekly_forms() == []


def test_a_version_1_file_with_outcome_lists_is_refused_at_the_list(history, empty_tracker, tmp_path):
    v1 = json.loads(V1_FILE.read_text(encoding="utf-8"))
    v1["checkins"] = json.loads(export_json(history))["checkins"]
    path = tmp_path / "v1.json"
    path.write_text(_layout(v1), encoding="utf-8")
    with pytest.raises(ImportRefused, match='unexpected key "checkins": a version 1 file has no checkins'):
        empty_tracker.import_file(path)
    assert empty_tracker.sessions() == []


def _layout(doc: dict) -> str:
    """The document with one value per line below each list item (so each value has its own line)."""
    return json.dumps(doc, indent=1, ensure_ascii=False)


def test_the_reader_knows_every_outcome_list():
    """The stream reader refuses a top-level key it does not know: each list the format holds
    must be one of its keys."""
    from selftrack.exports.json_reader import HEADER_KEYS
    from selftrack.exports.json_schema import OUTCOME_KEYS

    assert set(OUTCOME_KEYS) <= set(HEADER_KEYS)
