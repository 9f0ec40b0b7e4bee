"""The history list's text: timestamps read from SQLite and shown to the minute."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import json
import io

from selftrack.domain.records import SessionSummary
from selftrack.domain.terms import SessionStatus
from selftrack.render.history import history_lines, write_json_list
from selftrack.storage.connection import SQLiteConnection


def history_table(rows, now, tz) -> str:
    return "\n".join(history_lines(rows, now, tz))


def test_sqlite_text_is_read_as_utc():
    moment = SQLiteConnection.moment("2026-11-20 09:30:05.250000")
    assert moment == datetime(2026, 11, 20, 9, 30, 5, 250000, tzinfo=timezone.utc)
    assert moment.utcoffset() == timedelta(0)


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
    assert row.pain_change == -2


def test_history_row_without_ratings_or_pain():
    started = datetime(987, 3, 9, 7, 5, 59, tzinfo=timezone.utc)
    row = SessionSummary(
        id="s2", started_at=started, protocol_id="a-routine-with-a-long-name",
        protocol_name="Long", status=SessionStatus.ABANDONED, sides="left", tool="",
        pain_before=None, pain_after=4, rated=0, skipped=12, mean=None, highest=None,
    )
    now = datetime(2026, 3, 9, tzinfo=timezone.utc)
    lines = history_table([row], now, timezone.utc).splitlines()
    assert lines[2] == (
        "0987-03-09 07:05  1039 years ago  a-routine-with-a-l  left   abandoned        0    12"
        "     –    –  – → 4"
    )


def test_json_written_item_by_item_is_what_json_dumps_gives():
    items = [{"a": 1, "b": [1, 2], "c": "Zoë"}, {"a": None, "b": [], "c": "x\ny"}]
    for indent in (None, 1, 2):
        out = io.StringIO()
        assert write_json_list(iter(items), out, indent=indent) == 2
        assert out.getvalue() == json.dumps(items, indent=indent, ensure_ascii=False) + "\n"
    empty = io.StringIO()
    write_json_list(iter([]), empty)
    assert json.loads(empty.getvalue()) == []


def test_each_line_has_its_own_age_though_days_share_their_text():
    """A day's date and age are formatted once, but a session just before midnight is still
    '20 minutes ago' after it, and sessions of one day get the same words."""
    now = datetime(2026, 7, 2, 0, 10, tzinfo=timezone.utc)
    starts = [now - timedelta(minutes=20), now - timedelta(hours=5), now - timedelta(days=2, hours=1),
              now - timedelta(days=2, hours=3), now + timedelta(hours=1)]  # fmt: skip
    rows = [
        SessionSummary(
            id=f"s{n}", started_at=at, protocol_id="quick-check", protocol_name="Quick check",
            status=SessionStatus.FINISHED, sides="both", tool="", pain_before=None, pain_after=None,
            rated=1, skipped=0, mean=1.0, highest=1,
        )
        for n, at in enumerate(starts)
    ]
    lines = history_table(rows, now, timezone.utc).splitlines()[2:]
    assert [line[18:32].strip() for line in lines] == [
        "20 minutes ago", "yesterday", "3 days ago", "3 days ago", "in the future",
    ]  # fmt: skip
    assert [line[:16] for line in lines] == [
        "2026-07-01 23:50", "2026-07-01 19:10", "2026-06-29 23:10", "2026-06-29 21:10", "2026-07-02 01:10",
    ]  # fmt: skip
