"""One way to run SQL on both backends: plain SQL texts with `:name` parameters.

Every statement selftrack runs is a SQL text in `selftrack.storage` (queries.py, writes.py)
written in the SQL that SQLite and PostgreSQL share. A `Connection` runs them: on a SQLite
file through the standard `sqlite3` module (no SQLAlchemy import on the way to the first
screen), on PostgreSQL (or any other URL) through a SQLAlchemy Core connection. Both give
plain tuples, take timezone-aware datetimes, and give them back aware and in UTC.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timezone

SQLITE_MOMENT = "%Y-%m-%d %H:%M:%S.%f"  # how timestamps are stored in SQLite (UTC, as text)
STREAM_ROWS = 2000


def sqlite_moment(moment: datetime) -> str:
    """An aware datetime as SQLite stores it: UTC text that sorts in time order."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("naive datetime refused: store timezone-aware moments")
    return moment.astimezone(timezone.utc).strftime(SQLITE_MOMENT)


def parse_sqlite_moment(value: str) -> datetime:
    """SQLite's stored UTC text (`2026-11-20 09:30:00.000000`) as an aware datetime."""
    return datetime.fromisoformat(value + "+00:00")


class Connection:
    """Runs SQL texts inside one transaction (opened by `Database.reading/writing`)."""

    dialect = "sqlite"

    def rows(self, sql: str, params: dict | None = None) -> list[tuple]:
        """Every row of a query."""
        raise NotImplementedError

    def stream(self, sql: str, params: dict | None = None, size: int = STREAM_ROWS) -> Iterator[list[tuple]]:
        """The rows of a query in batches of `size`, read as they are needed."""
        raise NotImplementedError

    def execute(self, sql: str, params: dict | None = None) -> int:
        """Run a statement; returns the number of rows it changed."""
        raise NotImplementedError

    def executemany(self, sql: str, params: Sequence[dict]) -> None:
        """Run a statement once per parameter set."""
        raise NotImplementedError

    def one(self, sql: str, params: dict | None = None) -> tuple | None:
        """The first row of a query, or None."""
        found = self.rows(sql, params)
        return found[0] if found else None

    def scalar(self, sql: str, params: dict | None = None):
        """The first column of the first row, or None."""
        row = self.one(sql, params)
        return None if row is None else row[0]

    def moment_param(self, moment: datetime):
        """A timezone-aware moment as this database stores and compares it."""
        raise NotImplementedError

    def moment(self, value) -> datetime:
        """A stored timestamp as an aware UTC datetime."""
        raise NotImplementedError

    def day_number(self, column: str) -> str:
        """SQL for the days since 1970 (a float) of a timestamp column."""
        raise NotImplementedError

    def floor(self, expression: str) -> str:
        """SQL for the whole number at or below a non-negative number."""
        raise NotImplementedError


class SQLiteConnection(Connection):
    """A `sqlite3` connection in autocommit mode; the transaction is opened by the caller."""

    dialect = "sqlite"
    moment = staticmethod(parse_sqlite_moment)
    moment_param = staticmethod(sqlite_moment)

    def __init__(self, raw) -> None:
        self.raw = raw

    def rows(self, sql: str, params: dict | None = None) -> list[tuple]:
        return self.raw.execute(sql, params or {}).fetchall()

    def stream(self, sql: str, params: dict | None = None, size: int = STREAM_ROWS) -> Iterator[list[tuple]]:
        cursor = self.raw.execute(sql, params or {})
        try:
            while batch := cursor.fetchmany(size):
                yield batch
        finally:
            try:
                cursor.close()
            except sqlite3.ProgrammingError:
                pass  # the connection was closed first: its cursors are gone with it

    def execute(self, sql: str, params: dict | None = None) -> int:
        return self.raw.execute(sql, params or {}).rowcount

    def executemany(self, sql: str, params: Sequence[dict]) -> None:
        if params:
            self.raw.executemany(sql, params)

    def day_number(self, column: str) -> str:
        return f"(julianday({column}) - 2440587.5)"

    def floor(self, expression: str) -> str:
        return f"CAST({expression} AS INTEGER)"  # truncates, which is the floor for x >= 0


class AlchemyConnection(Connection):
    """A SQLAlchemy Core connection (PostgreSQL, or any URL SQLAlchemy knows)."""

    def __init__(self, connection) -> None:
        self.raw = connection
        self.dialect = connection.dialect.name
        self._texts: dict[str, object] = {}

    def _text(self, sql: str):
        found = self._texts.get(sql)
        if found is None:
            from sqlalchemy import text

            found = self._texts[sql] = text(sql)
        return found

    def rows(self, sql: str, params: dict | None = None) -> list[tuple]:
        return [tuple(row) for row in self.raw.execute(self._text(sql), params or {})]

    def stream(self, sql: str, params: dict | None = None, size: int = STREAM_ROWS) -> Iterator[list[tuple]]:
        # a server-side cursor: rows come from the server as they are read
        result = self.raw.execution_options(stream_results=True, max_row_buffer=size).execute(
            self._text(sql), params or {}
        )
        try:
            while batch := result.fetchmany(size):
                yield [tuple(row) for row in batch]
        finally:
            result.close()

    def execute(self, sql: str, params: dict | None = None) -> int:
        return self.raw.execute(self._text(sql), params or {}).rowcount

    def executemany(self, sql: str, params: Sequence[dict]) -> None:
        if params:
            self.raw.execute(self._text(sql), list(params))

    def moment_param(self, moment: datetime) -> datetime:
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError("naive datetime refused: store timezone-aware moments")
        return moment.astimezone(timezone.utc)

    def moment(self, value) -> datetime:
        if isinstance(value, str):
            return parse_sqlite_moment(value)
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)

    def day_number(self, column: str) -> str:
        return f"(extract(epoch from {column}) / 86400.0)"

    def floor(self, expression: str) -> str:
        return f"CAST(floor({expression}) AS INTEGER)"


def placeholders(prefix: str, values: Iterable, params: dict) -> str:
    """`:prefix0, :prefix1, …` for an IN list, adding the values to `params`."""
    names = []
    for number, value in enumerate(values):
        params[f"{prefix}{number}"] = value
        names.append(f":{prefix}{number}")
    return ", ".join(names) or "NULL"


def period(conn: Connection, start: datetime | None, end: datetime | None, params: dict, column: str) -> str:
    """` AND column >= :start AND column <= :end` for the ends that are given."""
    sql = ""
    if start is not None:
        params["start"] = conn.moment_param(start)
        sql += f" AND {column} >= :start"
    if end is not None:
        params["end"] = conn.moment_param(end)
        sql += f" AND {column} <= :end"
    return sql


_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


def columns_sql(names: Iterable[str]) -> str:
    """A checked, comma-separated column list (names come from code, never from users)."""
    names = list(names)
    for name in names:
        if not _IDENTIFIER.match(name):
            raise ValueError(f"not a column name: {name!r}")
    return ", ".join(names)
