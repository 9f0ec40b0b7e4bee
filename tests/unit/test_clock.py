"""The clock: the local time zone, and WHEN words read in it."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from selftrack.clock import Clock, _zone_name, age_in_words, human_age, local_zone

SUMMER_NOON = datetime(2026, 7, 1, 12, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    "tz_variable, name",
    [("Europe/London", "Europe/London"), (":America/New_York", "America/New_York")],
)
def test_zone_named_by_tz(tz_variable, name):
    assert _zone_name(tz_variable) == name
    zone = local_zone(tz_variable)
    assert zone == ZoneInfo(name)


def test_tz_naming_a_zone_file_is_left_to_pendulum(tmp_path):
    zone_file = tmp_path / "zone"
    zone_file.write_bytes(b"TZif2")
    assert _zone_name(str(zone_file)) is None
    assert _zone_name(f":{zone_file}") is None


def test_unknown_zone_name_falls_back_to_pendulum():
    import pendulum

    assert local_zone("No/Such_Zone") is pendulum.local_timezone()


def test_local_zone_keeps_summer_time(monkeypatch):
    monkeypatch.setenv("TZ", "Europe/London")
    tz = Clock().tz
    assert SUMMER_NOON.astimezone(tz).isoformat() == "2026-07-01T13:00:00+01:00"
    assert datetime(2026, 1, 1, 12, tzinfo=timezone.utc).astimezone(tz).hour == 12


def test_day_bounds_in_the_local_zone():
    clock = Clock(fixed=SUMMER_NOON, tz_name="America/New_York")
    assert clock.parse_when("2026-03-29") == datetime(2026, 3, 29, 4, 0, tzinfo=timezone.utc)
    assert clock.parse_when("today", end=True) == datetime(
        2026, 7, 2, 3, 59, 59, 999999, tzinfo=timezone.utc
    )
    assert clock.local(SUMMER_NOON).hour == 8


@pytest.mark.parametrize(
    "seconds, days, words",
    [
        (-1, 0, "in the future"),
        (59, 0, "just now"),
        (60, 0, "1 minute ago"),
        (3599, 0, "59 minutes ago"),
        (7200, 0, "2 hours ago"),
        (7200, 1, "yesterday"),
        (13 * 86400, 13, "13 days ago"),
        (59 * 86400, 59, "8 weeks ago"),
        (729 * 86400, 729, "24 months ago"),
        (3650 * 86400, 3650, "10 years ago"),
    ],
)
def test_age_in_words(seconds, days, words):
    assert age_in_words(seconds, days) == words


def test_human_age_counts_local_calendar_days():
    now = datetime(2026, 7, 1, 23, 30, tzinfo=timezone.utc)  # 00:30 on 2 July in London
    earlier = datetime(2026, 7, 1, 22, 0, tzinfo=timezone.utc)  # 23:00 on 1 July in London
    assert human_age(earlier, now, ZoneInfo("Europe/London")) == "yesterday"
    assert human_age(earlier, now, timezone.utc) == "1 hour ago"


def test_day_and_time_is_the_local_day_and_time():
    """The screens' heading of a moment: local (summer time included), the day unpadded."""
    clock = Clock(tz_name="Europe/London")
    assert clock.day_and_time(datetime(2026, 12, 3, 9, 30, tzinfo=timezone.utc)) == "Thu 3 Dec, 09:30"
    assert clock.day_and_time(datetime(2026, 7, 1, 23, 30, tzinfo=timezone.utc)) == "Thu 2 Jul, 00:30"
