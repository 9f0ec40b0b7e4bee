"""Excel export read back with openpyxl, as a spreadsheet would open it: typed cells, exact text."""

from __future__ import annotations

import csv
import io
import re
import stat
from datetime import datetime, timedelta

import openpyxl
import pytest

from selftrack.render.words import verdict_words
from click.testing import CliRunner

from selftrack.cli import cli
from selftrack.exports import ExportRequest
from selftrack.exports.csv_export import COLUMNS, typed_text
from selftrack.exports.xlsx_export import CHECKIN_COLUMNS, SESSION_COLUMNS, SPOT_COLUMNS, WEEKLY_COLUMNS
from exports.conftest import CHECKINS, FIRST_SESSION, PSFS_ACTIVITIES, SESSIONS, WEEKLY_FORMS, set_clock
from support import FIXED_NOW

# What people type, and what a spreadsheet fed CSV would turn into formulas, numbers or links
TYPED_NOTES = [
    "-ish better",
    "+44 20 7946 0000",
    "Zoë Łukasiewicz 李雷",
    "@SUM(A1)",
    "0123",
    "1e5",
    "http://example.invalid/x",
    "<r>not markup</r>",
    "_x0041_ stays as typed",
    "  spaced out  ",
    "two\nlines",
    "bell \x07 rang",
]
SESSION_NOTE = "=1+1"
# Cell text escapes control characters as _xHHHH_, and a typed "_xHHHH_" as _x005F_xHHHH_
# (ECMA-376 Part 1, 22.9.2.19 ST_Xstring). Excel decodes both; openpyxl leaves them as stored.
_OOXML_ESCAPE = re.compile("_x([0-9A-Fa-f]{4})_")


def ooxml_text(stored: str) -> str:
    """Cell text as Excel shows it: the _xHHHH_ escapes decoded, left to right."""
    return _OOXML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), stored)


def log_typed_notes(tracker) -> str:
    """A finished session whose rating notes, then `referred_to`, are TYPED_NOTES in turn,
    and whose session notes are SESSION_NOTE."""
    moment = FIRST_SESSION + timedelta(days=84)
    set_clock(tracker, moment)
    session = tracker.start_session("export-test", "both", tool="ball", pain_before=3)
    steps = len(SESSIONS[0]["t"])
    for step in range(steps):
        moment += timedelta(seconds=30)
        set_clock(tracker, moment)
        referred = TYPED_NOTES[steps + step] if steps + step < len(TYPED_NOTES) else ""
        tracker.record_rating(session.id, step, step % 11, note=TYPED_NOTES[step], referred_to=referred)
    tracker.finish(session.id, pain_after=2, notes=SESSION_NOTE)
    set_clock(tracker, FIXED_NOW)
    return session.id


def export_xlsx(tracker, tmp_path, **request):
    target = tmp_path / "export.xlsx"
    tracker.export(ExportRequest("xlsx", **request), target)
    return openpyxl.load_workbook(target), target


def export_csv_rows(tracker) -> list[dict]:
    out = io.StringIO(newline="")
    tracker.export(ExportRequest("csv"), out)
    return list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))


def rows_of(sheet) -> list[dict]:
    values = list(sheet.iter_rows(values_only=True))
    header = values[0]
    return [dict(zip(header, row)) for row in values[1:]]


def local_naive(text: str) -> datetime:
    """The wall-clock time of an ISO 8601 time with offset, as a spreadsheet shows it."""
    return datetime.fromisoformat(text).replace(tzinfo=None)


def test_sheets_and_their_columns(history, tmp_path):
    book, _ = export_xlsx(history, tmp_path)
    assert book.sheetnames == ["Ratings", "Sessions", "Spots", "Check-ins", "Weekly forms", "About"]
    assert [c.value for c in book["Ratings"][1]] == list(COLUMNS)
    assert [c.value for c in book["Check-ins"][1]] == list(CHECKIN_COLUMNS)
    assert [c.value for c in book["Weekly forms"][1]] == list(WEEKLY_COLUMNS)
    assert [c.value for c in book["Sessions"][1]] == list(SESSION_COLUMNS)
    assert [c.value for c in book["Spots"][1]] == list(SPOT_COLUMNS)
    about = {row[0]: row[1] for row in book["About"].iter_rows(values_only=True)}
    assert "Europe/London" in about["Times"]


def test_ratings_are_the_csv_rows_with_real_numbers_booleans_and_datetimes(history, tmp_path):
    book, _ = export_xlsx(history, tmp_path)
    sheet = rows_of(book["Ratings"])
    text = export_csv_rows(history)
    assert len(sheet) == len(text) == sum(len(s["t"]) for s in SESSIONS)
    for got, want in zip(sheet, text):
        assert got["tenderness"] == (int(want["tenderness"]) if want["tenderness"] else None)
        assert got["tenderness"] is None or type(got["tenderness"]) is int
        for flag in ("skipped", "recognised", "referred", "nerve"):
            assert got[flag] is (want[flag] == "true")
        for when in ("session_started_at", "rated_at"):
            assert isinstance(got[when], datetime)
            assert got[when] == local_naive(want[when])
        for number in ("protocol_version", "pain_before", "pain_after", "hold_seconds"):
            assert got[number] == (int(want[number]) if want[number] else None)
        for column in ("session_id", "protocol_id", "route_id", "spot_id", "spot_name", "side",
                       "region", "note", "tool", "referred_to", "session_status", "session_notes",
                       "spot_tool", "pressure"):  # fmt: skip
            assert (got[column] or "") == typed_text(want[column]), column
    summer, winter = sheet[0]["rated_at"], sheet[-1]["rated_at"]
    assert summer == datetime(2026, 9, 1, 7, 30, 25)  # 06:30:25 UTC in British Summer Time
    assert text[-1]["rated_at"].endswith("+00:00")  # GMT in November: wall time equals UTC
    assert winter == datetime.fromisoformat(text[-1]["rated_at"][:19])


def test_the_dose_is_on_the_ratings_sheet_as_numbers_and_words(history, tmp_path):
    book, _ = export_xlsx(history, tmp_path)
    sheet = rows_of(book["Ratings"])
    dosed = [(r["hold_seconds"], r["spot_tool"], r["pressure"]) for r in sheet if r["hold_seconds"] is not None]
    assert dosed == [(45, None, "firm"), (30, None, None), (20, "hands", "light"), (60, "cane", "medium")]
    assert all(type(held) is int for held, _tool, _pressure in dosed)


def test_check_ins_sheet_has_one_row_per_morning_check_in(history, tmp_path):
    book, _ = export_xlsx(history, tmp_path)
    sheet = rows_of(book["Check-ins"])
    assert [(r["back_pain"], r["leg_pain"], r["night"], r["below_knee"]) for r in sheet] == [
        (back, leg, night, below) for _day, back, leg, night, below, _soreness in CHECKINS
    ]
    first = sheet[0]
    assert first["day"] == datetime(2026, 9, 2) and first["answered_at"] == datetime(2026, 9, 2, 7, 5)  # BST
    assert type(first["back_pain"]) is int and first["below_knee"] is True
    assert first["soreness"] == "mild" and first["soreness_session_id"] == history.sessions()[-1].id
    assert sheet[-1]["answered_at"] == datetime(2026, 11, 19, 6, 5)  # GMT
    assert sheet[2]["soreness"] is None


def test_weekly_forms_sheet_gives_items_scores_and_activities(history, tmp_path):
    book, _ = export_xlsx(history, tmp_path)
    sheet = rows_of(book["Weekly forms"])
    assert len(sheet) == len(WEEKLY_FORMS)
    for got, (_day, peg, psfs, pgic) in zip(sheet, WEEKLY_FORMS):
        assert (got["peg_pain"], got["peg_enjoyment"], got["peg_activity"]) == peg
        assert got["peg_score"] == round(sum(peg) / 3, 2)
        assert [got[f"psfs_{n}_activity"] for n in (1, 2, 3)] == list(PSFS_ACTIVITIES)
        assert [got[f"psfs_{n}_score"] for n in (1, 2, 3)] == list(psfs)
        assert got["psfs_score"] == round(sum(psfs) / 3, 2)
        assert got["pgic"] == pgic
    assert sheet[-1]["pgic_words"] == "much improved" and sheet[0]["pgic_words"] is None
    assert isinstance(sheet[0]["answered_at"], datetime)


def test_text_appears_exactly_as_typed_and_nothing_is_a_formula(history, tmp_path):
    session_id = log_typed_notes(history)
    book, _ = export_xlsx(history, tmp_path)
    ratings = [r for r in rows_of(book["Ratings"]) if r["session_id"] == session_id]
    stored = [r["note"] for r in ratings] + [r["referred_to"] for r in ratings if r["referred_to"]]
    assert [ooxml_text(text) for text in stored] == TYPED_NOTES
    for text, typed in zip(stored, TYPED_NOTES):
        if "_x" not in typed and typed.isprintable() or "\n" in typed:
            assert text == typed  # stored plainly, as any reader sees it
    assert {r["session_notes"] for r in ratings} == {SESSION_NOTE}
    sessions = {r["session_id"]: r for r in rows_of(book["Sessions"])}
    assert sessions[session_id]["notes"] == SESSION_NOTE
    cells = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                cells += 1
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} holds a formula"
                assert cell.hyperlink is None
    assert cells > 1000


def test_sessions_sheet_has_one_row_per_session_with_its_notes(history, tmp_path):
    book, _ = export_xlsx(history, tmp_path)
    sessions = rows_of(book["Sessions"])
    assert len(sessions) == len(SESSIONS)
    for row, plan in zip(sessions, SESSIONS):
        assert row["spots_rated"] == sum(t is not None for t in plan["t"])
        assert row["spots_skipped"] == sum(t is None for t in plan["t"])
        assert row["pain_before"] == plan["before"] and row["pain_after"] == plan["after"]
        assert row["status"] == plan.get("status", "finished")
        assert isinstance(row["started_at"], datetime) and isinstance(row["ended_at"], datetime)
    assert sessions[8]["notes"] == '-3 after the walk; "much" easier,\nslept well'
    assert sessions[0]["notes"] == '=HYPERLINK("http://example.invalid", "click")'


def test_spots_sheet_is_the_analysis_of_the_period(history, tmp_path):
    book, _ = export_xlsx(history, tmp_path)
    spots = {(r["spot_id"], r["side"]): r for r in rows_of(book["Spots"])}
    trends = history.spot_trends()
    assert len(spots) == len(trends) > 0
    for trend in trends:
        row = spots[(trend.subject.key, trend.subject.side)]
        summary = trend.summary
        assert row["sessions"] == summary.count
        for column, value in (("baseline", summary.baseline), ("latest", summary.latest), ("change", summary.change)):
            assert row[column] == (None if value is None else pytest.approx(value, abs=0.01))
        assert row["verdict"] == verdict_words(summary)  # the words the rule gives
    assert spots[("test-under-dimple", "left")]["spot_name"] == "Under the dimple"


def test_ratings_go_on_to_a_second_sheet_past_the_row_limit(history, tmp_path, monkeypatch):
    monkeypatch.setattr("selftrack.exports.xlsx_export.MAX_ROWS", 31)  # header and 30 rows
    book, _ = export_xlsx(history, tmp_path)
    parts = [name for name in book.sheetnames if name.startswith("Ratings")]
    assert parts == ["Ratings", "Ratings 2", "Ratings 3"]
    together = [row for name in parts for row in rows_of(book[name])]
    total = sum(len(s["t"]) for s in SESSIONS)
    assert [len(rows_of(book[name])) for name in parts] == [30, 30, total - 60]
    assert [(r["session_id"], r["spot_id"], r["side"]) for r in together] == [
        (r["session_id"], r["spot_id"], r["side"]) for r in export_csv_rows(history)
    ]


def test_a_period_selects_sessions_by_start(history, tmp_path):
    clock = history.clock
    start, end = clock.parse_when("2026-10-01"), clock.parse_when("2026-10-31", end=True)
    book, _ = export_xlsx(history, tmp_path, start=start, end=end)
    days = [r["started_at"].date().isoformat() for r in rows_of(book["Sessions"])]
    assert days == ["2026-10-01", "2026-10-15", "2026-10-29"]


def test_an_empty_workbook(empty_tracker, tmp_path):
    book, _ = export_xlsx(empty_tracker, tmp_path)
    assert [book[name].max_row for name in ("Ratings", "Sessions", "Spots")] == [1, 1, 1]


def test_the_command_writes_an_owner_only_file(history, tmp_path):
    location = history.db_location
    history.close()
    target = tmp_path / "out.xlsx"
    result = CliRunner().invoke(
        cli, ["--db", location, "export", "--format", "xlsx", "-o", str(target)], env={"TZ": "Europe/London"}
    )
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert openpyxl.load_workbook(target)["Ratings"].max_row == 1 + sum(len(s["t"]) for s in SESSIONS)
