"""The history list's text: timestamps read from SQLite and shown to the minute."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from selftrack.analysis.history import SessionSummary
from selftrack.historytext import _minute, history_table
from selftrack.storage.reader import SQLiteRowReader
from selftrack.terms import SessionStatus


def test_sqlite_text_is_read_as_utc():
    moment = SQLiteRowReader.moment("2026-11-20 09:30:05.250000")
    assert moment == datetime(2026, 11, 20, 9, 30, 5, 250000, tzinfo=timezone.utc)
    assert moment.utcoffset() == timedelta(0)


def test_minute_is_written_as_strftime_would():
    assert _minute(datetime(2026, 3, 9, 7, 5, 59)) == "2026-03-09 07:05"
    assert _minute(datetime(987, 12, 31, 23, 0)) == "0987-12-31 23:00"


def test_history_row_in_the_local_zone():
    started = datetime(2026, 7, 1, 23, 15, tzinfo=timezone.utc)
    row = SessionSummary(
        id="s1", started_at=started, protocol_id="quick-check", protocol_name="Quick check",
        status=SessionStatus.IN_PROGRESS, sides="both", tool="", pain_before=5, pain_after=3,
        rated=9, skipped=1, mean=2.25, highest=6,
    )
    now = started + timedelta(hours=2)
    lines = history_table([row], now, ZoneInfo("Europe/London")).splitlines()
    assert lines[2] == (
        "2026-07-02 00:15  2 hours ago     quick-check         both   in progress      9     1"
        "   2.2    6  5 → 3 (-2)"
    )
    assert row.pain_change == -2 and row.notes == ""
