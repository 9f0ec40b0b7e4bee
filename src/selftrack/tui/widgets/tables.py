"""Tables that keep their key columns on a small screen and show the rest when there is room.

A screen keeps its rows as full tuples (every column) and calls `fill` with the table's
width; `fill` lays the table out again (columns and rows) whenever the set of columns that
fit changes, or when asked to, keeping the cursor on the same row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual.widgets import DataTable


@dataclass(frozen=True)
class Column:
    """A column, shown when the terminal is at least `from_width` columns wide."""

    label: str
    from_width: int = 0


def shown(columns: Sequence[Column], width: int) -> tuple[int, ...]:
    """The indexes of the columns shown at `width` (the key columns have from_width 0)."""
    return tuple(i for i, column in enumerate(columns) if width >= column.from_width)


def fill(
    table: DataTable,
    columns: Sequence[Column],
    rows: Sequence[tuple[str, tuple]],
    width: int,
) -> None:
    """Put `rows` ((key, cells for every column)) into `table`, with the columns that fit."""
    keep = shown(columns, width)
    cursor = table.cursor_row
    table.clear(columns=True)
    table.add_columns(*(columns[i].label for i in keep))
    for key, cells in rows:
        table.add_row(*(cells[i] for i in keep), key=key)
    if rows:
        table.move_cursor(row=min(max(cursor, 0), len(rows) - 1), animate=False)
