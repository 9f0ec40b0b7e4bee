"""Excel workbook (.xlsx): Ratings, Sessions, Spots, Check-ins and Weekly forms sheets with
typed cells, streamed.

Numbers are numbers, times are Excel date-times, and text is always written as text, so
"=1+1" or "-ish better" shows exactly as typed and nothing is a formula. Rows go to disk as
they are written (XlsxWriter's constant_memory mode), so ten years never sit in memory.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone, tzinfo
from typing import BinaryIO

from selftrack.exports.csv_export import COLUMNS as RATING_COLUMNS
from selftrack.domain.outcomes import OutcomeRecords
from selftrack.domain.records import SessionRecord
from selftrack.exports.times import LocalTime
from selftrack.exports.spot_levels import SpotLevel

SESSION_COLUMNS: tuple[str, ...] = (
    "session_id",
    "started_at",
    "ended_at",
    "status",
    "protocol_id",
    "protocol_name",
    "protocol_version",
    "sides",
    "tool",
    "pain_before",
    "pain_after",
    "spots_rated",
    "spots_skipped",
    "notes",
)
SPOT_COLUMNS: tuple[str, ...] = (
    "spot_id",
    "spot_name",
    "region",
    "side",
    "sessions",
    "baseline",
    "latest",
    "change",
    "verdict",
)
CHECKIN_COLUMNS: tuple[str, ...] = (
    "day",
    "answered_at",
    "back_pain",
    "leg_pain",
    "below_knee",
    "night",
    "soreness",
    "soreness_session_id",
)
PSFS_SLOTS = 3  # PSFS_MAX_ACTIVITIES
WEEKLY_COLUMNS: tuple[str, ...] = (
    "answered_at",
    "peg_pain",
    "peg_enjoyment",
    "peg_activity",
    "peg_score",
    *(f"psfs_{n}_{part}" for n in range(1, PSFS_SLOTS + 1) for part in ("activity", "score")),
    "psfs_score",
    "pgic",
    "pgic_words",
)
MAX_ROWS = 1_048_576  # Excel's limit per sheet, header included; more ratings go on "Ratings 2"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
_EXCEL_EPOCH = date(1899, 12, 30).toordinal()
_TEXT_MAX = 32_767  # characters a cell holds


@dataclass(frozen=True, slots=True)
class XlsxContext:
    """What the About sheet says: when, in which time zone, and for which period."""

    zone: tzinfo
    exported_at: datetime
    start: datetime | None = None
    end: datetime | None = None


class _Serials(dict):
    """Excel serial day numbers of local dates ("2026-09-01" -> 46266), remembered."""

    def __missing__(self, day: str) -> int:
        serial = self[day] = date.fromisoformat(day).toordinal() - _EXCEL_EPOCH
        return serial


class _Sheet:
    """One worksheet written row by row with typed cells; rolls over to a new sheet when full."""

    def __init__(self, book, name: str, columns: Sequence[str], widths: dict[str, float], formats) -> None:
        self.book, self.name, self.columns, self.widths, self.formats = book, name, columns, widths, formats
        self.parts = 0
        self._open()

    def _open(self) -> None:
        self.parts += 1
        title = self.name if self.parts == 1 else f"{self.name} {self.parts}"
        sheet = self.sheet = self.book.add_worksheet(title)
        for col, column in enumerate(self.columns):
            sheet.set_column(col, col, self.widths.get(column, 12))
        sheet.freeze_panes(1, 0)
        for col, column in enumerate(self.columns):
            sheet.write_string(0, col, column, self.formats["header"])
        self.row = 1

    def next_row(self) -> int:
        if self.row >= MAX_ROWS:
            self._finish()
            self._open()
        row = self.row
        self.row += 1
        return row

    def _finish(self) -> None:
        if self.row > 1:
            self.sheet.autofilter(0, 0, self.row - 1, len(self.columns) - 1)

    def close(self) -> None:
        self._finish()


def _text(sheet, row: int, col: int, value: str) -> None:
    """A text cell holding `value` exactly (never a formula, a number or a link)."""
    if not value:
        return
    if len(value) > _TEXT_MAX:
        value = value[: _TEXT_MAX - 1] + "…"
    if value.startswith("<r>") and value.endswith("</r>"):
        # constant_memory writes such a string as raw rich-text XML: give it as two plain runs
        sheet.write_rich_string(row, col, value[:1], value[1:-1], value[-1:])
    else:
        sheet.write_string(row, col, value)


def write_xlsx(
    out: BinaryIO,
    sessions: Iterable[SessionRecord],
    spots: Iterable[SpotLevel],
    local: LocalTime,
    context: XlsxContext,
    outcomes: OutcomeRecords | None = None,
) -> tuple[int, int]:
    """Write the workbook to `out` (a binary stream); returns (sessions, ratings) written.

    Times are the local wall-clock time in `local`'s zone, which the About sheet names.
    """
    import xlsxwriter

    with tempfile.TemporaryDirectory(prefix="selftrack-xlsx-") as scratch:
        book = xlsxwriter.Workbook(
            out,
            {
                "constant_memory": True,
                "tmpdir": scratch,
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
            },
        )
        formats = {
            "header": book.add_format({"bold": True, "bottom": 1}),
            "datetime": book.add_format({"num_format": DATETIME_FORMAT}),
            "decimal": book.add_format({"num_format": "0.0"}),
        }
        formats["date"] = book.add_format({"num_format": "yyyy-mm-dd"})
        book.set_properties(
            {
                "title": "selftrack export",
                "comments": f"Times are local wall-clock time in {_zone_name(context.zone)}.",
                "created": context.exported_at.astimezone(timezone.utc).replace(tzinfo=None),
            }
        )
        ratings = _Sheet(book, "Ratings", RATING_COLUMNS, _RATING_WIDTHS, formats)
        sessions_sheet = _Sheet(book, "Sessions", SESSION_COLUMNS, _SESSION_WIDTHS, formats)
        spot_sheet = _Sheet(book, "Spots", SPOT_COLUMNS, _SPOT_WIDTHS, formats)
        checkin_sheet = _Sheet(book, "Check-ins", CHECKIN_COLUMNS, _CHECKIN_WIDTHS, formats)
        weekly_sheet = _Sheet(book, "Weekly forms", WEEKLY_COLUMNS, _WEEKLY_WIDTHS, formats)
        names: dict[str, str] = {}
        count_sessions, count_ratings = _write_sessions(
            sessions, ratings, sessions_sheet, local, formats["datetime"], names
        )
        _write_spots(spot_sheet, spots, names, formats["decimal"])
        outcomes = outcomes or OutcomeRecords()
        _write_checkins(checkin_sheet, outcomes, local, formats)
        _write_weekly(weekly_sheet, outcomes, local, formats)
        _write_about(book, context, formats["header"])
        for sheet in (ratings, sessions_sheet, spot_sheet, checkin_sheet, weekly_sheet):
            sheet.close()
        book.close()
    return count_sessions, count_ratings


def _moment_writer(local: LocalTime, when):
    """write(sheet, row, col, moment): a local date-time cell, as in every sheet."""
    serials, iso = _Serials(), local.iso

    def moment(sheet, row: int, col: int, value) -> None:
        if value is None:
            return
        text = iso(value)  # 2026-09-01T07:30:25+01:00
        seconds = int(text[11:13]) * 3600 + int(text[14:16]) * 60 + int(text[17:19])
        sheet.write_number(row, col, serials[text[:10]] + seconds / 86400, when)

    return moment


def _write_sessions(sessions, ratings: _Sheet, table: _Sheet, local: LocalTime, when, names) -> tuple[int, int]:
    count_sessions = count_ratings = 0
    moment = _moment_writer(local, when)

    for s in sessions:
        count_sessions += 1
        rated = skipped = 0
        for r in s.ratings:
            spot = s.spots[r.spot_id].spec
            names.setdefault(spot.id, spot.name)
            sheet = ratings.sheet
            row = ratings.next_row()
            sheet = ratings.sheet  # next_row may have started a new sheet
            _text(sheet, row, 0, s.id)
            moment(sheet, row, 1, s.started_at)
            _text(sheet, row, 2, s.protocol_id)
            sheet.write_number(row, 3, s.protocol_version)
            _text(sheet, row, 4, r.route_id)
            _text(sheet, row, 5, r.spot_id)
            _text(sheet, row, 6, spot.name)
            _text(sheet, row, 7, r.side)
            _text(sheet, row, 8, spot.region)
            if r.tenderness is not None:
                sheet.write_number(row, 9, r.tenderness)
            sheet.write_boolean(row, 10, bool(r.skipped))
            sheet.write_boolean(row, 11, bool(r.recognised))
            sheet.write_boolean(row, 12, bool(r.referred))
            sheet.write_boolean(row, 13, bool(r.nerve))
            _text(sheet, row, 14, r.note)
            moment(sheet, row, 15, r.rated_at)
            _text(sheet, row, 16, s.tool)
            if s.pain_before is not None:
                sheet.write_number(row, 17, s.pain_before)
            if s.pain_after is not None:
                sheet.write_number(row, 18, s.pain_after)
            _text(sheet, row, 19, r.referred_to)
            _text(sheet, row, 20, s.status)
            _text(sheet, row, 21, s.notes)
            if r.hold_seconds is not None:
                sheet.write_number(row, 22, r.hold_seconds)
            _text(sheet, row, 23, r.tool or "")
            _text(sheet, row, 24, r.pressure or "")
            if r.skipped:
                skipped += 1
            else:
                rated += 1
        count_ratings += len(s.ratings)
        row = table.next_row()
        sheet = table.sheet
        _text(sheet, row, 0, s.id)
        moment(sheet, row, 1, s.started_at)
        moment(sheet, row, 2, s.ended_at)
        _text(sheet, row, 3, s.status)
        _text(sheet, row, 4, s.protocol_id)
        _text(sheet, row, 5, s.protocol_name)
        sheet.write_number(row, 6, s.protocol_version)
        _text(sheet, row, 7, s.sides)
        _text(sheet, row, 8, s.tool)
        if s.pain_before is not None:
            sheet.write_number(row, 9, s.pain_before)
        if s.pain_after is not None:
            sheet.write_number(row, 10, s.pain_after)
        sheet.write_number(row, 11, rated)
        sheet.write_number(row, 12, skipped)
        _text(sheet, row, 13, s.notes)
    return count_sessions, count_ratings


def _write_spots(table: _Sheet, spots: Iterable[SpotLevel], names: dict[str, str], decimal) -> None:
    for level in spots:
        row = table.next_row()
        sheet = table.sheet
        _text(sheet, row, 0, level.spot_id)
        _text(sheet, row, 1, names.get(level.spot_id, level.name))
        _text(sheet, row, 2, level.region)
        _text(sheet, row, 3, level.side)
        sheet.write_number(row, 4, level.sessions)
        for col, value in ((5, level.baseline), (6, level.latest), (7, level.change)):
            if value is not None:
                sheet.write_number(row, col, round(value, 2), decimal)
        _text(sheet, row, 8, level.verdict)


def _write_checkins(table: _Sheet, outcomes: OutcomeRecords, local: LocalTime, formats) -> None:
    """One row per morning check-in, oldest first."""
    moment = _moment_writer(local, formats["datetime"])
    for c in outcomes.checkins:
        row = table.next_row()
        sheet = table.sheet
        sheet.write_number(row, 0, c.day.toordinal() - _EXCEL_EPOCH, formats["date"])
        moment(sheet, row, 1, c.answered_at)
        sheet.write_number(row, 2, c.back_pain)
        sheet.write_number(row, 3, c.leg_pain)
        sheet.write_boolean(row, 4, bool(c.below_knee))
        sheet.write_number(row, 5, c.night)
        _text(sheet, row, 6, c.soreness or "")
        _text(sheet, row, 7, c.soreness_session or "")


def _write_weekly(table: _Sheet, outcomes: OutcomeRecords, local: LocalTime, formats) -> None:
    """One row per weekly form: the PEG items and score, each PSFS activity with its rating and
    their mean, the PGIC as its number and its words."""
    from selftrack.domain.instruments import PGIC_CHOICES

    moment = _moment_writer(local, formats["datetime"])
    decimal = formats["decimal"]
    for f in outcomes.forms:
        row = table.next_row()
        sheet = table.sheet
        moment(sheet, row, 0, f.answered_at)
        if f.peg is not None:
            sheet.write_number(row, 1, f.peg.pain)
            sheet.write_number(row, 2, f.peg.enjoyment)
            sheet.write_number(row, 3, f.peg.activity)
            sheet.write_number(row, 4, round(f.peg.score, 2), decimal)
        for slot, rating in enumerate(f.psfs[:PSFS_SLOTS]):
            _text(sheet, row, 5 + 2 * slot, rating.name)
            sheet.write_number(row, 6 + 2 * slot, rating.score)
        col = 5 + 2 * PSFS_SLOTS
        if f.psfs_score is not None:
            sheet.write_number(row, col, round(f.psfs_score, 2), decimal)
        if f.pgic is not None:
            sheet.write_number(row, col + 1, f.pgic)
            _text(sheet, row, col + 2, PGIC_CHOICES.get(f.pgic, ""))


def _write_about(book, context: XlsxContext, header) -> None:
    from selftrack.analysis.stats import READING_TRENDS

    zone = _zone_name(context.zone)
    local = context.exported_at.astimezone(context.zone)

    def day(moment: datetime | None, open_word: str) -> str:
        return moment.astimezone(context.zone).date().isoformat() if moment else open_word

    lines = [
        ("Exported", f"{local:%Y-%m-%d %H:%M} ({zone}) by selftrack"),
        ("Sessions", f"that started from {day(context.start, 'the first')} to {day(context.end, 'the last')}"),
        ("Times", f"local wall-clock time in {zone}, as the person lived them; a spreadsheet "
                  "cell holds no time zone (the CSV export gives every time with its UTC offset)"),
        ("Ratings", "one row per spot and side in each session, in the order walked; tenderness "
                    "0-10, empty when the spot was skipped"),
        ("Sessions sheet", "one row per session, with its notes"),
        ("Dose", "hold_seconds: seconds on the hold timer; spot_tool: the tool used on that spot "
                 "when it was not the session's; pressure: light, medium or firm; empty when not recorded"),
        ("Check-ins", "one row per morning check-in answered in the period: back and leg pain now "
                      "(0 no pain - 10 as bad as you can imagine), whether the leg feeling goes below "
                      "the knee, the night (0 terrible - 10 excellent), the soreness after the session before"),
        ("Weekly forms", "one row per weekly form: PEG items and score (mean of the three, 0-10, higher "
                         "is worse), PSFS activities and their ratings (0 unable - 10 as before the "
                         "problem) and their mean, PGIC (1 very much improved - 7 very much worse)"),
        ("Spots", "per spot and side over the period: " + " ".join(p.replace("**", "") for p in READING_TRENDS[1:3])),
        ("Not medical advice", "tenderness at named spots is what the person felt when pressing; "
                               "it is not a diagnosis"),
    ]  # fmt: skip
    sheet = book.add_worksheet("About")
    sheet.set_column(0, 0, 20)
    sheet.set_column(1, 1, 100)
    for row, (key, text) in enumerate(lines):
        sheet.write_string(row, 0, key, header)
        sheet.write_string(row, 1, text)


def _zone_name(zone: tzinfo) -> str:
    return getattr(zone, "key", None) or getattr(zone, "name", None) or str(zone)


_RATING_WIDTHS = {
    "session_id": 38, "session_started_at": 19, "rated_at": 19, "spot_id": 22,
    "spot_name": 30, "note": 40, "session_notes": 40, "referred_to": 24, "route_id": 14,
}  # fmt: skip
_SESSION_WIDTHS = {
    "session_id": 38, "started_at": 19, "ended_at": 19, "protocol_name": 28, "notes": 60,
}  # fmt: skip
_SPOT_WIDTHS = {"spot_id": 22, "spot_name": 32, "verdict": 18}
_CHECKIN_WIDTHS = {"day": 11, "answered_at": 19, "soreness_session_id": 38}
_WEEKLY_WIDTHS = {"answered_at": 19, "pgic_words": 20} | {f"psfs_{n}_activity": 26 for n in range(1, PSFS_SLOTS + 1)}
