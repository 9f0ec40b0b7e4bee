"""Moments as the exports write them: local ISO 8601 with the offset, or UTC.

Moments arrive as aware datetimes, or on SQLite as the stored UTC text, which is formatted
without building a datetime whenever it can be (ten years hold ~440,000 of them).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone, tzinfo

from selftrack.domain.records import Moment


class LocalTime:
    """Formats UTC moments as ISO 8601 in one time zone, with its offset, to the second.

    Takes aware datetimes, or SQLite's stored text (`2026-11-20 09:30:00.000000`, UTC), which
    is converted without building a datetime whenever the hour has one whole-hour offset.
    """

    def __init__(self, zone: tzinfo) -> None:
        import zoneinfo

        key = getattr(zone, "key", None) or getattr(zone, "name", None)
        try:
            self.zone = zoneinfo.ZoneInfo(key) if key else zone
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            self.zone = zone
        self._hours: dict[str, tuple[str, str] | None] = {}

    def iso(self, moment: Moment | None) -> str:
        """`2026-11-20T09:30:00+00:00`; empty for None."""
        if moment is None:
            return ""
        if isinstance(moment, str):
            if len(moment) in (19, 26) and moment[10] == " ":
                hour = moment[:13]
                known = self._hours.get(hour, False)
                if known is False:
                    known = self._hours[hour] = self._hour(hour)
                if known is not None:
                    return known[0] + moment[13:19] + known[1]
            moment = parse_stored(moment)
        return moment.astimezone(self.zone).isoformat(timespec="seconds")

    def _hour(self, hour: str) -> tuple[str, str] | None:
        """(local `YYYY-MM-DDTHH`, offset text) for a UTC hour with one whole-hour offset."""
        start = datetime.fromisoformat(hour + ":00:00").replace(tzinfo=timezone.utc)
        first = start.astimezone(self.zone)
        last = (start + timedelta(minutes=59, seconds=59)).astimezone(self.zone)
        offset = first.utcoffset()
        if offset != last.utcoffset() or offset is None or offset.total_seconds() % 3600:
            return None
        text = first.isoformat()
        return text[:13], text[19:]


def parse_stored(value: Moment) -> datetime:
    """An aware UTC datetime from a stored moment (a datetime, or SQLite's UTC text)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def utc_iso(moment: Moment | None) -> str | None:
    """A moment as ISO 8601 in UTC, with microseconds when there are any (lossless)."""
    if moment is None:
        return None
    if isinstance(moment, str):
        if len(moment) == 26 and moment[10] == " ":
            fraction = moment[20:]
            tail = "+00:00" if fraction == "000000" else f".{fraction}+00:00"
            return f"{moment[:10]}T{moment[11:19]}{tail}"
        moment = parse_stored(moment)
    return moment.astimezone(timezone.utc).isoformat()
