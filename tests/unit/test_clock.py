"""The clock: the local time zone, and WHEN words read in it."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from selftrack.clock import Clock, _zone_name, local_zone

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
