"""The one place that knows what time it is, and reads WHEN words (`today`, `30d`, …)."""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass
from datetime import datetime, timezone, tzinfo

from selftrack.errors import SelftrackError

WHEN_HELP = "a date (2026-10-01), today, yesterday, or an age: 30d, 2w, 6m, 1y"
_AGE = re.compile(r"^(\d+)\s*([dwmy])$")
# what a WHEN word may reach: records are kept from 1900 to 2199, ages go back 200 years
FIRST_YEAR, LAST_YEAR = 1900, 2199
_AGE_MAX = {"d": 200 * 366, "w": 200 * 53, "m": 200 * 12, "y": 200}
_UNIT_NAMES = {"d": "days", "w": "weeks", "m": "months", "y": "years"}


class WhenError(SelftrackError, ValueError):
    """A WHEN word that could not be read."""


@dataclass(frozen=True)
class Clock:
    """Gives the current time (UTC) and the user's time zone; tests pass a fixed one."""

    fixed: datetime | None = None
    tz_name: str | None = None

    def now(self) -> datetime:
        """The current moment, timezone-aware in UTC."""
        if self.fixed is not None:
            return self.fixed.astimezone(timezone.utc)
        return datetime.now(timezone.utc)

    @property
    def tz(self) -> tzinfo:
        """The local time zone, used for day bounds and display (pendulum accepts it too)."""
        if self.tz_name:
            from zoneinfo import ZoneInfo

            return ZoneInfo(self.tz_name)
        return local_zone(os.environ.get("TZ"))

    def local(self, moment: datetime) -> datetime:
        """`moment` in the user's time zone."""
        import pendulum

        return pendulum.instance(moment).in_timezone(self.tz)

    def parse_when(self, text: str, *, end: bool = False) -> datetime:
        """Read a WHEN word as a UTC moment: the start of that local day, or its end if `end`."""
        import pendulum

        word = text.strip().lower()
        today = pendulum.instance(self.now()).in_timezone(self.tz).start_of("day")
        if word == "today":
            day = today
        elif word == "yesterday":
            day = today.subtract(days=1)
        elif match := _AGE.match(word):
            digits, unit = match.group(1), match.group(2)
            if len(digits) > 6 or int(digits) > _AGE_MAX[unit]:
                raise WhenError(
                    f"{text.strip()!r} is too far back: at most {_AGE_MAX[unit]:,} {_UNIT_NAMES[unit]}"
                )
            day = today.subtract(**{_UNIT_NAMES[unit]: int(digits)})
        else:
            try:
                parsed = datetime.strptime(word, "%Y-%m-%d")
            except ValueError:
                raise WhenError(f"cannot read {text!r} as a date: use {WHEN_HELP}") from None
            if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
                raise WhenError(f"{text.strip()!r}: give a date from {FIRST_YEAR} to {LAST_YEAR}")
            day = pendulum.datetime(parsed.year, parsed.month, parsed.day, tz=self.tz)
        if end:
            day = day.end_of("day")
        return day.in_timezone("UTC")

    def day_and_time(self, moment: datetime) -> str:
        """`moment` as the screens head it, local: 'Thu 3 Dec, 09:30'."""
        local = moment.astimezone(self.tz)
        return f"{local:%a} {local.day} {local:%b}, {local:%H:%M}"

    def human(self, moment: datetime) -> str:
        """`moment` as a person says it: 'just now', '3 days ago', 'yesterday'."""
        return human_age(moment, self.now(), self.tz)


@functools.lru_cache(maxsize=4)
def local_zone(tz_variable: str | None) -> tzinfo:
    """The system's time zone, given the TZ variable's value.

    A zone named by TZ, /etc/timezone or the /etc/localtime link (where pendulum looks too)
    is loaded with zoneinfo, much quicker to import than pendulum; pendulum finds the rest.
    """
    name = _zone_name(tz_variable)
    if name:
        from zoneinfo import ZoneInfo

        try:
            return ZoneInfo(name)
        except (KeyError, ValueError, OSError):  # ZoneInfoNotFoundError is a KeyError
            pass
    import pendulum

    return pendulum.local_timezone()


def _zone_name(tz_variable: str | None) -> str | None:
    """The zone name the system gives, or None when it gives a zone file or nothing."""
    if tz_variable:
        name = tz_variable.removeprefix(":")
        return None if os.path.isfile(name) else name
    if os.path.isfile("/etc/timezone"):
        with open("/etc/timezone", "rb") as file:
            content = file.read()
        if content.startswith(b"TZif"):
            return None
        line = content.decode().strip()
        return line.partition(" ")[0].partition("#")[0] or None
    if os.path.islink("/etc/localtime"):
        target = os.path.realpath("/etc/localtime")
        if "/zoneinfo/" in target:
            return target.rpartition("/zoneinfo/")[2]
    return None


def human_age(moment: datetime, now: datetime, tz) -> str:
    """How long before `now` a moment was, in words, counting days in time zone `tz`."""
    seconds = (now - moment).total_seconds()
    days = (now.astimezone(tz).date() - moment.astimezone(tz).date()).days
    return age_in_words(seconds, days)


def age_in_words(seconds: float, days: int) -> str:
    """'just now', '3 hours ago', 'yesterday', '2 weeks ago' … for an age of `seconds` that
    spans `days` local calendar days."""
    if seconds < 0:
        return "in the future"
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return counted(int(seconds // 60), "minute") + " ago"
    if days == 0:
        return counted(int(seconds // 3600), "hour") + " ago"
    if days == 1:
        return "yesterday"
    if days < 14:
        return f"{days} days ago"
    if days < 60:
        return f"{days // 7} weeks ago"
    if days < 730:
        return f"{days // 30} months ago"
    return f"{days // 365} years ago"


def counted(count: int, word: str) -> str:
    """'1 day', '3 days': a count with its word, plural when it is not one."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def utc(moment: datetime) -> datetime:
    """A timezone-aware datetime converted to UTC; naive ones are refused."""
    if moment.tzinfo is None or moment.tzinfo.utcoffset(moment) is None:
        raise ValueError("naive datetime refused: give a timezone-aware moment")
    return moment.astimezone(timezone.utc)
