"""CSV: one row per rating, in fixed columns documented in the README (the bytes are a contract)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import TextIO

from selftrack.exports.times import LocalTime

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
    # the dose (export format 2): hold-timer seconds, the tool used on this spot when it was
    # not the session's (`tool`), the pressure chosen; empty when not recorded
    "hold_seconds",
    "spot_tool",
    "pressure",
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NEEDS_QUOTES = re.compile(r'[,"\r\n]')
_FLAG = ("false", "true")  # indexed by a bool or SQLite's 0/1


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


def write_csv(
    out: TextIO,
    sessions: Iterable[tuple],
    definitions: Iterable[tuple[int, str, str]],
    ratings: Iterable[list[tuple]],
    local: LocalTime,
    *,
    total: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Write the header and one row per rating; returns the number of ratings written.

    `sessions`, `definitions` and the batches of `ratings` are the rows of
    selftrack.storage.export_reads (csv_sessions, csv_definitions, csv_ratings). Rows end in
    CRLF, as RFC 4180 asks: open `out` with newline="". `total` is for progress only.
    """
    cell, iso, flag = _Cells(), local.iso, _FLAG
    # the cells that come from the session and the spot definition, made once each
    heads = {}
    for sid, started, protocol, version, tool, before, after, status, notes in sessions:
        head = ",".join((cell[sid], iso(started), cell[protocol], cell[version]))
        tail = f"{cell[status]},{csv_cell(notes)}" if notes else f"{cell[status]},"
        heads[sid] = (head, ",".join((cell[tool], cell[before], cell[after])), tail)
    spots = {def_id: (cell[name], cell[region]) for def_id, name, region in definitions}
    out.write(",".join(COLUMNS) + "\r\n")
    count = 0
    for rows in ratings:
        lines = []
        for sid, route, spot, def_id, side, tender, skip, recog, refer, nerve, note, at, to, held, tool, push in rows:
            head, middle, tail = heads[sid]
            name, region = spots[def_id]
            lines.append(
                ",".join(
                    (
                        head, cell[route], cell[spot], name, cell[side], region, cell[tender],
                        flag[skip], flag[recog], flag[refer], flag[nerve],
                        csv_cell(note) if note else "", iso(at), middle,
                        csv_cell(to) if to else "", tail, cell[held], cell[tool], cell[push],
                    )  # fmt: skip
                )
            )
        lines.append("")
        out.write("\r\n".join(lines))
        count += len(rows)
        if progress:
            progress(count, max(total, count))
    return count
