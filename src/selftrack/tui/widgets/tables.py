"""Tables that keep their key columns on a small screen and show the rest when there is room.

A screen keeps its rows as full tuples (every column) and calls `fill` with the width the
table has (`room`); after a resize it asks again once the table has its new size, and lays
the table out again (columns and rows) when the columns that fit change, keeping the cursor
on the same row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual.widgets import DataTable


@dataclass(frozen=True)
class Column:
    """A column, shown when the table is at least `from_width` columns wide."""

    label: str
    from_width: int = 0
    shrink: bool = False  # a name that may be cut (with …) so the other columns fit


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
    # widths worked out here: a table cleared and filled again before it has measured its
    # new rows keeps columns as narrow as their headings ("Inne" for a spot's name)
    widths = {
        i: max(max((_cells(cells[i]) for _key, cells in rows), default=0), _cells(columns[i].label))
        for i in keep
    }
    over = sum(widths.values()) + 2 * len(keep) + 2 - width  # 2: each cell's padding; the scrollbar
    for i in keep:
        if over > 0 and columns[i].shrink:
            cut = min(over, widths[i] - 12)
            if cut > 0:
                widths[i] -= cut
                over -= cut
    for i in keep:
        table.add_column(columns[i].label, width=widths[i])
    for key, cells in rows:
        table.add_row(*(_fit(cells[i], widths[i]) for i in keep), key=key)
    if rows:
        table.move_cursor(row=min(max(cursor, 0), len(rows) - 1), animate=False)


def _cells(value) -> int:
    """How many terminal cells a value takes on one line."""
    from rich.text import Text

    if isinstance(value, Text):
        return value.cell_len
    from rich.cells import cell_len

    return cell_len(str(value))


def _fit(value, width: int):
    """The value cut to `width` cells with an ellipsis, when it is longer."""
    from rich.text import Text

    if _cells(value) <= width:
        return value
    text = value.copy() if isinstance(value, Text) else Text(str(value))
    text.truncate(width, overflow="ellipsis")
    return text


def room(table: DataTable) -> int:
    """The columns the table has to show (the screen's width before its first layout)."""
    return table.size.width or table.screen.size.width
