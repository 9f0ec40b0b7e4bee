"""Importing beside the database, then publishing in one short transaction (SQLite).

SQLite lets one program write at a time. An import checks and stages every session into a
private file beside the database (selftrack.paths.private_temp: owner-only, O_EXCL, locked
while in use, removed afterwards; `db check --fix` removes one a killed import left), holding
no lock on the database; then one transaction copies the staged rows in. A person recording a
rating meanwhile waits at most for that copy (about 0.4 s per 1,000 sessions), never for the
reading and checking of the file.

Spot definitions new to the database are given the row ids they will have once published;
when another program adds definitions in between, the staged rows are renumbered and the
publish is tried again.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path

from selftrack.domain.model import SpotSpec
from selftrack.paths import private_temp
from selftrack.storage.connection import columns_sql, placeholders
from selftrack.storage.engine import DatabaseError, _plain
from selftrack.storage.writes import (
    RATING_FIELDS,
    RATING_OPTIONAL,
    SESSION_FIELDS,
    SESSION_OPTIONAL,
    count_new_sessions,
)

TOTALS = ("rated", "skipped", "tenderness_sum", "tenderness_max")
STAGED_SESSION_FIELDS = tuple(f for f in SESSION_FIELDS if f != "profile_id") + SESSION_OPTIONAL + TOTALS
STAGED_RATING_FIELDS = tuple(f for f in RATING_FIELDS if f != "profile_id") + RATING_OPTIONAL
DEFINITION_FIELDS = ("id", "spot_id", "digest", "name", "region", "view", "x", "y", "definition")
PUBLISH_TRIES = 5
PUBLISH_CACHE_KIB = 65536  # the page cache while publishing: big copies go ~30 % faster


class Moved(Exception):
    """Another program added spot definitions since they were numbered: renumber, retry."""


class Raced(Exception):
    """Another program added some of the staged sessions meanwhile: drop them, retry."""

    def __init__(self, ids: list[str]) -> None:
        super().__init__(f"{len(ids)} session(s)")
        self.ids = ids


class Staging:
    """A private file holding checked sessions until they are published into `store`."""

    def __init__(self, store) -> None:
        database = store.database
        if not database.is_sqlite:
            raise ValueError("staging is for SQLite databases")
        self.store = store
        self.database = database
        path = database.path
        try:
            self._handle, self.path = private_temp(path.parent, path.name)
        except OSError as exc:
            raise DatabaseError(f"cannot import beside {path}: {exc.strerror or exc}") from None
        try:
            self.conn = sqlite3.connect(self.path, isolation_level=None)
            for pragma in ("journal_mode = OFF", "synchronous = OFF", "temp_store = MEMORY",
                           "cache_size = -16384"):
                self.conn.execute(f"PRAGMA {pragma}")
            self.conn.execute(f"CREATE TABLE stage_sessions ({columns_sql(STAGED_SESSION_FIELDS)}, "
                              "PRIMARY KEY (id))")  # fmt: skip
            self.conn.execute(f"CREATE TABLE stage_ratings ({columns_sql(STAGED_RATING_FIELDS)})")
            self.conn.execute(f"CREATE TABLE stage_definitions ({columns_sql(DEFINITION_FIELDS)})")
            self.conn.execute("BEGIN")
        except sqlite3.Error as exc:
            self.close()
            raise DatabaseError(f"cannot import beside {path}: {_staging_reason(exc)}") from None
        self._known: dict[str, int] = {}  # digest -> definition id (stored or to be)
        self._new: dict[str, SpotSpec] = {}  # definitions to publish, by digest
        self._last_id: int | None = None  # the largest stored definition id when numbered

    # -- staging ------------------------------------------------------------------------------

    def definition_ids(self, specs: Iterable[SpotSpec]) -> dict[str, int]:
        """Row ids for these spot definitions by digest: the stored ones', or the ids new
        ones will have once published."""
        from selftrack.storage.queries import definitions_by_digest

        wanted = {spec.digest: spec for spec in specs if spec.digest not in self._known}
        if wanted:
            with self.database.reading() as conn:
                self._known |= definitions_by_digest(conn, wanted)
                if self._last_id is None:
                    self._last_id = conn.scalar("SELECT max(id) FROM spot_definitions") or 0
            for digest, spec in wanted.items():
                if digest not in self._known:
                    self._known[digest] = self._last_id + len(self._new) + 1
                    self._new[digest] = spec
        return self._known

    def add(self, sessions: Sequence[tuple], ratings: Sequence[tuple]) -> None:
        """Stage sessions (tuples in STAGED_SESSION_FIELDS order, moments as stored text) and
        their ratings (STAGED_RATING_FIELDS)."""
        try:
            self.conn.executemany(_insert("stage_sessions", STAGED_SESSION_FIELDS), sessions)
            self.conn.executemany(_insert("stage_ratings", STAGED_RATING_FIELDS), ratings)
        except sqlite3.Error as exc:
            raise DatabaseError(f"cannot import beside {self.database.path}: {_staging_reason(exc)}") from None

    # -- publishing ---------------------------------------------------------------------------

    def publish(self, then=None) -> tuple[int, int, list[str]]:
        """Copy every staged session, with its ratings, in one transaction; returns (sessions,
        ratings) added and the ids of staged sessions another program added meanwhile (those
        are left as the database has them). `then(scope)` runs last in that same transaction
        (an import's outcome records), again on each try."""
        raced: list[str] = []
        try:
            self._stage_definitions()
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            raise DatabaseError(f"cannot import beside {self.database.path}: {_staging_reason(exc)}") from None
        for _attempt in range(PUBLISH_TRIES):
            try:
                added, rated = self._publish_once(then)
                return added, rated, raced
            except Moved:
                self._renumber()
            except Raced as meanwhile:
                raced += meanwhile.ids
                self._drop(meanwhile.ids)
        raise DatabaseError("other programs kept changing the database; nothing was imported, try again")

    def _stage_definitions(self) -> None:
        self.conn.execute("DELETE FROM stage_definitions")
        self.conn.executemany(
            _insert("stage_definitions", DEFINITION_FIELDS),
            [_definition_row(self._known[digest], spec) for digest, spec in self._new.items()],
        )

    def _publish_once(self, then=None) -> tuple[int, int]:
        sessions = columns_sql(STAGED_SESSION_FIELDS)
        ratings = columns_sql(STAGED_RATING_FIELDS)
        with self.store.writing(attach=self.path) as scope:
            conn = scope.conn
            conn.execute(f"PRAGMA cache_size = -{PUBLISH_CACHE_KIB}")
            try:
                self._check_definitions(conn)
                raced = conn.rows(
                    "SELECT s.id FROM stage.stage_sessions s JOIN main.sessions m ON m.id = s.id"
                )
                if raced:
                    raise Raced([sid for (sid,) in raced])
                conn.execute(
                    f"INSERT INTO main.spot_definitions ({columns_sql(DEFINITION_FIELDS)}) "
                    f"SELECT {columns_sql(DEFINITION_FIELDS)} FROM stage.stage_definitions"
                )
                added = conn.execute(
                    f"INSERT INTO main.sessions ({sessions}, profile_id) "
                    f"SELECT {sessions}, :profile FROM stage.stage_sessions",
                    {"profile": scope.profile},
                )
                rated = conn.execute(
                    f"INSERT INTO main.ratings ({ratings}, profile_id) "
                    f"SELECT {ratings}, :profile FROM stage.stage_ratings",
                    {"profile": scope.profile},
                )
                # the sessions are all new (a raced one was refused above): their spots add up
                count_new_sessions(conn, "SELECT id FROM stage.stage_sessions")
                if then is not None:
                    then(scope)
            finally:
                conn.execute("PRAGMA cache_size = -2000")
        return added, rated

    def _drop(self, session_ids: list[str]) -> None:
        """Take sessions out of the stage (outside any lock on the database)."""
        try:
            self.conn.execute("BEGIN")
            for first in range(0, len(session_ids), 500):
                params: dict = {}
                names = placeholders("id", session_ids[first : first + 500], params)
                self.conn.execute(f"DELETE FROM stage_ratings WHERE session_id IN ({names})", params)
                self.conn.execute(f"DELETE FROM stage_sessions WHERE id IN ({names})", params)
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            raise DatabaseError(f"cannot import beside {self.database.path}: {_staging_reason(exc)}") from None

    def _check_definitions(self, conn) -> None:
        """Refuse to publish (Moved) when the new definitions' ids or digests were taken."""
        if not self._new:
            return
        params: dict = {}
        taken = conn.scalar(
            "SELECT count(*) FROM main.spot_definitions WHERE digest IN "
            f"({placeholders('d', self._new, params)})",
            params,
        )
        highest = conn.scalar("SELECT max(id) FROM main.spot_definitions") or 0
        if taken or highest != self._last_id:
            raise Moved()

    def _renumber(self) -> None:
        """Number the new definitions again after what another program added, and change
        the staged ratings and plans to match (outside any lock on the database)."""
        from selftrack.storage.queries import definitions_by_digest

        old = dict(self._known)
        with self.database.reading() as conn:
            stored = definitions_by_digest(conn, self._known)
            self._last_id = conn.scalar("SELECT max(id) FROM spot_definitions") or 0
        self._known = dict(stored)
        pending = {d: s for d, s in self._new.items() if d not in stored}
        self._new = {}
        for digest, spec in pending.items():
            self._known[digest] = self._last_id + len(self._new) + 1
            self._new[digest] = spec
        mapping = {old[d]: self._known[d] for d in old if old[d] != self._known[d]}
        if not mapping:
            return
        try:
            self.conn.execute("BEGIN")
            self.conn.execute("CREATE TEMP TABLE IF NOT EXISTS renumber (old INTEGER PRIMARY KEY, new INTEGER)")
            self.conn.execute("DELETE FROM renumber")
            self.conn.executemany("INSERT INTO renumber VALUES (?, ?)", mapping.items())
            self.conn.execute(
                "UPDATE stage_ratings SET spot_def_id = (SELECT new FROM renumber WHERE old = spot_def_id) "
                "WHERE spot_def_id IN (SELECT old FROM renumber)"
            )
            updates = []
            for session_id, plan in self.conn.execute("SELECT id, plan FROM stage_sessions"):
                data = json.loads(plan)
                steps = [[r, s, side, mapping.get(d, d)] for r, s, side, d in data["steps"]]
                if steps != data["steps"]:
                    data["steps"] = steps
                    updates.append((json.dumps(data, separators=(",", ":")), session_id))
            self.conn.executemany("UPDATE stage_sessions SET plan = ? WHERE id = ?", updates)
            self._stage_definitions()
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            raise DatabaseError(f"cannot import beside {self.database.path}: {_staging_reason(exc)}") from None

    def close(self) -> None:
        """Remove the staging file (whatever happened)."""
        conn = getattr(self, "conn", None)
        if conn is not None:
            conn.close()
        os.close(self._handle)
        Path(self.path).unlink(missing_ok=True)


def _insert(table: str, fields: Sequence[str]) -> str:
    """An INSERT taking rows as tuples in the order of `fields`."""
    return f"INSERT INTO {table} ({columns_sql(fields)}) VALUES ({', '.join('?' * len(fields))})"


def _definition_row(def_id: int, spot: SpotSpec) -> tuple:
    return (
        def_id, spot.id, spot.digest, spot.name, spot.region, spot.view, spot.x, spot.y,
        json.dumps(spot.to_dict(), sort_keys=True),
    )  # fmt: skip  (DEFINITION_FIELDS)


def _staging_reason(exc: sqlite3.Error) -> str:
    reason = _plain(exc)
    return "the disk is full; nothing was imported" if "disk is full" in reason else reason
