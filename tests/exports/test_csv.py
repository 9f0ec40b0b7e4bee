"""CSV export: the golden bytes, the column contract, and formula neutralisation."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from selftrack.exports import ExportRequest
from selftrack.exports.csv_export import COLUMNS, csv_cell, safe_cell, typed_text
from exports.conftest import NOTES, SESSIONS, check_golden

CONTRACT = (
    "session_id, session_started_at, protocol_id, protocol_version, route_id, spot_id, "
    "spot_name, side, region, tenderness, skipped, recognised, referred, nerve, note, "
    "rated_at, tool, pain_before, pain_after"
).split(", ")


BOM = "\ufeff".encode()


def export_csv(tracker, **request) -> bytes:
    out = io.BytesIO()
    text = io.TextIOWrapper(out, encoding="utf-8", newline="")
    tracker.export(ExportRequest("csv", **request), text)
    text.flush()
    return out.getvalue()


def rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def test_golden(history):
    check_golden("export.csv", export_csv(history))


def test_no_byte_order_mark_unless_asked_for_excel(history):
    plain = export_csv(history)
    assert not plain.startswith(BOM) and plain.startswith(b"session_id,")
    excel = export_csv(history, excel=True)
    assert excel == BOM + plain
    assert excel.decode("utf-8-sig") == plain.decode("utf-8")


def test_session_notes_are_on_every_row_of_the_session(history):
    data = rows(export_csv(history))
    assert COLUMNS[21] == "session_notes"  # new columns only ever go after it
    by_session: dict[str, set[str]] = {}
    for row in data:
        by_session.setdefault(row["session_id"], set()).add(typed_text(row["session_notes"]))
    notes = [by_session[sid] for sid in dict.fromkeys(r["session_id"] for r in data)]
    assert notes == [{NOTES.get(number, "")} for number in range(len(SESSIONS))]


def test_contract_columns_come_first_in_order(history):
    header = export_csv(history).split(b"\r\n", 1)[0].decode()
    assert header.split(",")[: len(CONTRACT)] == CONTRACT
    assert COLUMNS[: len(CONTRACT)] == tuple(CONTRACT)


def test_one_row_per_rating_with_booleans_and_empty_skips(history):
    data = rows(export_csv(history))
    assert len(data) == sum(len(s["t"]) for s in SESSIONS)
    skipped = [r for r in data if r["skipped"] == "true"]
    assert len(skipped) == 1 and skipped[0]["tenderness"] == ""
    assert {r["skipped"] for r in data} == {"true", "false"}
    assert {r["nerve"] for r in data} == {"true", "false"}
    first = data[0]
    assert first["session_started_at"] == "2026-09-01T07:30:00+01:00"  # summer time, with offset
    assert data[-1]["rated_at"].endswith("+00:00")  # winter time
    assert first["protocol_id"] == "export-test" and first["protocol_version"] == "2"
    assert first["pain_before"] == "6" and first["pain_after"] == "4"
    abandoned = [r for r in data if r["session_status"] == "abandoned"]
    assert len(abandoned) == 4 and {r["pain_after"] for r in abandoned} == {""}


def test_text_cells_that_a_spreadsheet_would_run_are_neutralised(history):
    data = rows(export_csv(history))
    notes = {r["note"] for r in data}
    assert "'+ the familiar ache" in notes
    assert "'@ tingling, moved off" in notes
    assert "'\tfelt it in the groin" in notes
    assert "Größer, aber weicher – gut" in notes
    for row in data:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value


@pytest.mark.parametrize(
    "text,cell",
    [
        ("=1+1", "'=1+1"),
        ("-ish better", "'-ish better"),
        ("'=x", "''=x"),
        ("''+x", "'''+x"),
        ("'quoted", "'quoted"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "\"'\rx\""),
        ("a, b", '"a, b"'),
        ('say "hi"', '"say ""hi"""'),
        ("two\nlines", '"two\nlines"'),
        ("fine", "fine"),
        ("", ""),
    ],
)
def test_cells(text, cell):
    assert csv_cell(text) == cell


@pytest.mark.parametrize(
    "text",
    ["=1+1", "-ish better", "+44 20 7946 0000", "@home", "'=x", "''-x", "'plain", "plain", "", "'", "\tx"],
)
def test_the_guard_is_undone_exactly(text):
    assert typed_text(safe_cell(text)) == text


def test_cells_read_back_like_the_csv_module_writes_them():
    values = ["=x", "a,b", 'q"q', "n\nl", "r\rr", "plain", "", "3"]
    ours = ",".join(csv_cell(v) for v in values) + "\r\n"
    theirs = io.StringIO(newline="")
    csv.writer(theirs, lineterminator="\r\n").writerow([safe_cell(v) for v in values])
    assert ours == theirs.getvalue()


def test_range_selects_sessions_by_start(history):
    clock = history.clock
    data = rows(
        export_csv(history, start=clock.parse_when("2026-10-01"), end=clock.parse_when("2026-10-31", end=True))
    )
    started = sorted({r["session_started_at"][:10] for r in data})
    assert started == ["2026-10-01", "2026-10-15", "2026-10-29"]


def test_empty_database_gives_just_the_header(empty_tracker):
    assert export_csv(empty_tracker) == (",".join(COLUMNS) + "\r\n").encode()


@given(st.text(alphabet=st.sampled_from("'=+-@\t\rab ,\"\n"), max_size=12) | st.text(max_size=40))
def test_the_guard_is_undone_exactly_for_any_text(text):
    cell = safe_cell(text)
    assert typed_text(cell) == text
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_the_dose_is_on_every_rating_row_as_recorded(history):
    """hold_seconds, spot_tool and pressure close every row: the recorded dose, else empty."""
    from exports.conftest import RATING_DOSES

    assert COLUMNS[-3:] == ("hold_seconds", "spot_tool", "pressure")
    data = rows(export_csv(history))
    order = list(dict.fromkeys(r["session_id"] for r in data))
    seen = {}
    for row in data:
        number = order.index(row["session_id"])
        step = sum(1 for key in seen if key[0] == number)
        seen[(number, step)] = (row["hold_seconds"], row["spot_tool"], row["pressure"])
    for key, dose in seen.items():
        want = RATING_DOSES.get(key, {})
        assert dose == (
            str(want["hold_seconds"]) if "hold_seconds" in want else "",
            want.get("tool", ""),
            want.get("pressure", ""),
        ), key
    assert sum(1 for dose in seen.values() if dose != ("", "", "")) == len(RATING_DOSES)
