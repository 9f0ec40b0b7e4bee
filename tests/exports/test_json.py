"""JSON export and import: golden bytes, round trip, duplicates, conflicts, a stream in pieces."""

from __future__ import annotations

import io
import json

import pytest

from selftrack.exports import ExportRequest, json_import, json_reader
from selftrack.exports.json_export import FORMAT_NAME, FORMAT_VERSION
from exports.conftest import CHECKINS, GOLDEN, SESSIONS, WEEKLY_FORMS, check_golden

DATA_GOLDEN = GOLDEN / "export.json"


def export_json(tracker, **request) -> bytes:
    out = io.StringIO(newline="")
    tracker.export(ExportRequest("json", **request), out)
    return out.getvalue().encode("utf-8")


def counts(tracker) -> tuple[int, int]:
    sessions = tracker.sessions()
    return len(sessions), sum(len(tracker.ratings(s.id)) for s in sessions)


def test_golden(history):
    check_golden("export.json", export_json(history))


def test_document_shape(history):
    doc = json.loads(export_json(history))
    assert doc["format"] == FORMAT_NAME and doc["version"] == FORMAT_VERSION
    assert doc["exported_at"] == "2026-11-20T09:30:00+00:00"
    assert len(doc["sessions"]) == len(SESSIONS)
    first = doc["sessions"][0]
    assert [r["step"] for r in first["ratings"]] == list(range(9))
    assert set(first["spot_definitions"].values()) <= set(doc["spot_definitions"])
    assert doc["sessions"][1]["ratings"][7] | {"rated_at": None} == {
        "step": 7, "spot": "test-inner-calf", "side": "left", "tenderness": None,
        "skipped": True, "recognised": False, "referred": False, "referred_to": "",
        "nerve": False, "note": "", "rated_at": None, "edited_at": None,
        "hold_seconds": None, "tool": None, "pressure": None,
    }  # fmt: skip
    assert doc["sessions"][0]["ratings"][0]["hold_seconds"] == 45
    assert doc["sessions"][0]["ratings"][0]["pressure"] == "firm"
    dose = {k: doc["sessions"][3]["ratings"][2][k] for k in ("hold_seconds", "tool", "pressure")}
    assert dose == {"hold_seconds": 20, "tool": "hands", "pressure": "light"}
    assert list(doc)[-6:] == ["psfs_activities", "checkins", "weekly_forms", "screenings", "conditions", "soreness_answers"]


def test_round_trip_into_an_empty_database_gives_identical_json(history, empty_tracker, tmp_path):
    first = export_json(history)
    path = tmp_path / "export.json"
    path.write_bytes(first)
    result = empty_tracker.import_file(path)
    assert (result.added_sessions, result.unchanged_sessions, result.conflicts) == (len(SESSIONS), 0, [])
    assert result.added_ratings == sum(len(s["t"]) for s in SESSIONS)
    assert export_json(empty_tracker) == first
    assert {s.origin for s in empty_tracker.sessions()} == {"import"}
    assert (result.added_checkins, result.added_forms, result.added_other) == (
        len(CHECKINS), len(WEEKLY_FORMS), 3,  # a red-flag screen, a condition profile, a soreness answer
    )  # fmt: skip
    assert [c.back_pain for c in empty_tracker.checkins()] == [c[1] for c in CHECKINS]
    assert {c.origin for c in empty_tracker.checkins()} == {"import"}


def test_importing_the_same_file_twice_adds_nothing(history, empty_tracker, tmp_path):
    path = tmp_path / "export.json"
    path.write_bytes(export_json(history))
    empty_tracker.import_file(path)
    before = export_json(empty_tracker)
    again = empty_tracker.import_file(path)
    assert (again.added_sessions, again.added_ratings) == (0, 0)
    assert again.unchanged_sessions == len(SESSIONS) and again.conflicts == []
    assert export_json(empty_tracker) == before
    into_source = history.import_file(path)
    assert into_source.added_sessions == 0 and into_source.unchanged_sessions == len(SESSIONS)


def test_a_session_present_with_different_content_is_reported_and_kept(history, empty_tracker, tmp_path):
    doc = json.loads(export_json(history))
    path = tmp_path / "export.json"
    path.write_bytes(export_json(history))
    empty_tracker.import_file(path)
    doc["sessions"][2]["ratings"][0]["tenderness"] = 1
    doc["sessions"][4]["notes"] = "changed on another computer"
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(doc))
    before = export_json(empty_tracker)
    result = empty_tracker.import_file(changed)
    assert result.added_sessions == 0 and result.unchanged_sessions == len(SESSIONS) - 2
    assert len(result.conflicts) == 2
    assert doc["sessions"][2]["id"] in result.conflicts[0]
    assert "different content" in result.conflicts[0]
    assert export_json(empty_tracker) == before


def test_new_sessions_are_added_beside_existing_ones(history, empty_tracker, tmp_path):
    clock = history.clock
    early = tmp_path / "early.json"
    early.write_bytes(export_json(history, end=clock.parse_when("2026-09-30", end=True)))
    everything = tmp_path / "all.json"
    everything.write_bytes(export_json(history))
    assert empty_tracker.import_file(early).added_sessions == 4
    result = empty_tracker.import_file(everything)
    assert (result.added_sessions, result.unchanged_sessions) == (len(SESSIONS) - 4, 4)
    assert export_json(empty_tracker) == export_json(history)


def test_keys_in_any_order_and_any_layout(history, empty_tracker, tmp_path):
    """A file rewritten by another tool (keys sorted, so sessions before version) still imports."""
    doc = json.loads(export_json(history))
    path = tmp_path / "sorted.json"
    path.write_text(json.dumps(doc, sort_keys=True, indent=None, separators=(",", ":")))
    result = empty_tracker.import_file(path)
    assert result.added_sessions == len(SESSIONS)
    assert export_json(empty_tracker) == export_json(history)


def test_a_file_read_in_tiny_pieces_imports_the_same(history, empty_tracker, tmp_path, monkeypatch):
    monkeypatch.setattr(json_reader, "CHUNK_BYTES", 7)
    path = tmp_path / "export.json"
    path.write_bytes(export_json(history))
    empty_tracker.import_file(path)
    assert export_json(empty_tracker) == export_json(history)


def test_a_late_problem_undoes_sessions_already_written(history, empty_tracker, tmp_path, monkeypatch):
    monkeypatch.setattr(json_import, "BATCH_SESSIONS", 1)
    doc = json.loads(export_json(history))
    doc["sessions"][-1]["ratings"][-1]["tenderness"] = 12
    path = tmp_path / "late.json"
    path.write_text(json.dumps(doc, indent=1))
    with pytest.raises(json_import.ImportRefused, match=r"sessions\[8\].*tenderness: 12 is not"):
        empty_tracker.import_file(path)
    assert counts(empty_tracker) == (0, 0)


def test_import_progress_reports_bytes(history, empty_tracker, tmp_path):
    path = tmp_path / "export.json"
    path.write_bytes(export_json(history))
    seen = []
    empty_tracker.import_file(path, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (path.stat().st_size, path.stat().st_size)


def test_every_exported_file_validates(history, tmp_path):
    """The exporter and the importer share the format (json_schema): what one writes, the
    other's checks accept, notes with any character included."""
    from selftrack.exports.json_import import check_json

    session = history.start_session("export-test", "left", tool="roller")
    history.record_rating(session.id, 0, 3, note="\x1b]0;title\x07 \u202e <b> \"q\" \\ ünï 😀", referred_to="a\tb")
    path = tmp_path / "export.json"
    path.write_bytes(export_json(history))
    sessions, ratings = check_json(path)
    assert sessions == len(SESSIONS) + 1
    assert check_json(DATA_GOLDEN) == (len(SESSIONS), sum(len(s["t"]) for s in SESSIONS))
