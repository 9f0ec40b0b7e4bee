"""CSV: one row per rating, in fixed columns documented in the README (the bytes are a contract)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TextIO

from selftrack.exports.source import LocalTime, Selection

COLUMNS: tuple[str, ...] = (
    "session_id",
    "session_started_at",
    "protocol_id",
    "protocol_version",
    "route_id",
    "spot_id",
    "spot_name",
    "side",
    "region",
    "tenderness",
    "skipped",
    "recognised",
    "referred",
    "nerve",
    "note",
    "rated_at",
    "tool",
    "pain_before",
    "pain_after",
    # After the contract's first nineteen; new columns only ever go at the end.
    "referred_to",
    "session_status",
    "session_notes",
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NEEDS_QUOTES = re.compile(r'[,"\r\n]')
_FLAG = ("false", "true")  # indexed by a bool or SQLite's 0/1
_FETCH_ROWS = 5000


def safe_cell(text: str) -> str:
    """Text a spreadsheet will not run: a leading = + - @ tab or CR gets a ' in front.

    So does text that already starts with quotes and then one of those, so the guard can be
    undone exactly (typed_text).
    """
    if text.startswith(_FORMULA_STARTS) or (
        text.startswith("'") and text.lstrip("'").startswith(_FORMULA_STARTS)
    ):
        return "'" + text
    return text


def typed_text(cell: str) -> str:
    """The text as typed, from a CSV text cell: safe_cell undone."""
    if cell.startswith("'") and cell.lstrip("'").startswith(_FORMULA_STARTS):
        return cell[1:]
    return cell


def csv_cell(value) -> str:
    """One cell as it appears in the file: neutralised, and quoted as RFC 4180 asks."""
    if value is None:
        return ""
    text = safe_cell(value) if isinstance(value, str) else str(value)
    if _NEEDS_QUOTES.search(text):
        return '"' + text.replace('"', '""') + '"'
    return text


class _Cells(dict):
    """csv_cell, remembered for values that repeat (ids, names, numbers, tools)."""

    def __missing__(self, value) -> str:
        cell = self[value] = csv_cell(value)
        return cell


def _raw(db):
    """On SQLite, read moments as stored text and flags as 0/1: the loop converts them faster."""
    from sqlalchemy import Integer, String, type_coerce

    if db.get_bind().dialect.name != "sqlite":
        return lambda column, kind: column
    return type_coerce


def _selected(query, session, selection: Selection):
    if selection.start is not None:
        query = query.where(session.started_at >= selection.start)
    if selection.end is not None:
        query = query.where(session.started_at <= selection.end)
    return query


def write_csv(
    db,
    profile: int,
    selection: Selection,
    out: TextIO,
    local: LocalTime,
    *,
    total: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Write the header and one row per rating; returns the number of ratings written.

    Rows end in CRLF, as RFC 4180 asks: open `out` with newline="".
    `total` is the number of ratings expected, for progress only.
    """
    from sqlalchemy import Integer, String, select

    from selftrack.storage.models import RatingRow as R
    from selftrack.storage.models import SessionRow as S
    from selftrack.storage.models import SpotDefinitionRow as D

    raw = _raw(db)
    cell, iso, flag = _Cells(), local.iso, _FLAG
    # The cells that come from the session and the spot definition, made once each.
    sessions = {}
    query = select(
        S.id, raw(S.started_at, String), S.protocol_id, S.protocol_version, S.tool,
        S.pain_before, S.pain_after, S.status, S.notes,
    ).where(S.profile_id == profile)  # fmt: skip
    for sid, started, protocol, version, tool, before, after, status, notes in db.connection().execute(
        _selected(query, S, selection)
    ):
        head = ",".join((cell[sid], iso(started), cell[protocol], cell[version]))
        tail = f"{cell[status]},{csv_cell(notes)}" if notes else f"{cell[status]},"
        sessions[sid] = (head, ",".join((cell[tool], cell[before], cell[after])), tail)
    spots = {
        def_id: (cell[name], cell[region])
        for def_id, name, region in db.execute(select(D.id, D.name, D.region))
    }
    ratings = db.connection().execute(
        _selected(
            select(
                R.session_id, R.route_id, R.spot_id, R.spot_def_id, R.side, R.tenderness,
                raw(R.skipped, Integer), raw(R.recognised, Integer), raw(R.referred, Integer),
                raw(R.nerve, Integer), R.note, raw(R.rated_at, String), R.referred_to,
            )  # fmt: skip
            .join(S, S.id == R.session_id)
            .where(S.profile_id == profile)
            .order_by(S.started_at, S.id, R.step_index),
            S,
            selection,
        )
    )
    out.write(",".join(COLUMNS) + "\r\n")
    count = 0
    while rows := ratings.fetchmany(_FETCH_ROWS):
        lines = []
        for sid, route, spot, def_id, side, tender, skip, recog, refer, nerve, note, at, to in rows:
            head, middle, tail = sessions[sid]
            name, region = spots[def_id]
            lines.append(
                ",".join(
                    (
                        head, cell[route], cell[spot], name, cell[side], region, cell[tender],
                        flag[skip], flag[recog], flag[refer], flag[nerve],
                        csv_cell(note) if note else "", iso(at), middle,
                        csv_cell(to) if to else "", tail,
                    )  # fmt: skip
                )
            )
        lines.append("")
        out.write("\r\n".join(lines))
        count += len(rows)
        if progress:
            progress(count, max(total, count))
    return count
