"""Database chores: a check that only reads, a backup, an explicit upgrade."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from selftrack.paths import TEMP_SUFFIX, is_leftover, leftover_folders
from selftrack.storage.engine import (
    HEAD_REVISION,
    KNOWN_REVISIONS,
    DatabaseError,
    Location,
    check_selftrack_file,
    locate,
    migrate,
    read_only_connection,
    sqlite_revision,
    to_url,
)

_SPOT_COUNTED = (
    "SELECT profile_id, spot_id, side, count(DISTINCT session_id) FROM ratings "
    "WHERE tenderness IS NOT NULL GROUP BY profile_id, spot_id, side"
)
_SPOT_KEPT = "SELECT profile_id, spot_id, side, sessions FROM spot_counts"
# what the same data must say twice: ratings carry their session's person and start, a
# session's totals are what its ratings add up to, and each spot's count of sessions is what
# the ratings hold
_CONSISTENCY = (
    (
        "ratings whose person or start differs from their session's",
        "SELECT count(*) FROM ratings r JOIN sessions s ON s.id = r.session_id "
        "WHERE r.profile_id != s.profile_id OR r.started_at != s.started_at",
    ),
    (
        "sessions whose totals differ from their ratings",
        "SELECT count(*) FROM sessions s WHERE s.rated != (SELECT count(r.tenderness) FROM ratings r "
        "WHERE r.session_id = s.id) OR s.skipped != (SELECT count(*) - count(r.tenderness) FROM "
        "ratings r WHERE r.session_id = s.id) OR s.tenderness_sum != (SELECT coalesce(sum(r.tenderness), "
        "0) FROM ratings r WHERE r.session_id = s.id)",
    ),
    (
        "spots whose session counts differ from their ratings",
        "SELECT count(*) FROM ("
        f"SELECT profile_id, spot_id, side FROM ({_SPOT_COUNTED} EXCEPT {_SPOT_KEPT}) counted_only "
        f"UNION SELECT profile_id, spot_id, side FROM ({_SPOT_KEPT} EXCEPT {_SPOT_COUNTED}) kept_only"
        ") differing",
    ),
)
_ORPHANS = (
    "SELECT count(*) FROM sessions s LEFT JOIN profiles p ON p.id = s.profile_id WHERE p.id IS NULL",
    "SELECT count(*) FROM ratings r LEFT JOIN sessions s ON s.id = r.session_id WHERE s.id IS NULL",
    "SELECT count(*) FROM ratings r LEFT JOIN spot_definitions d ON d.id = r.spot_def_id "
    "WHERE d.id IS NULL",
)


@dataclass
class CheckReport:
    """The result of `selftrack db check`: readable lines and a verdict."""

    ok: bool = True
    lines: list[str] = field(default_factory=list)
    leftovers: list[Path] = field(default_factory=list)


def check_database(location: str, *, fix: bool = False) -> CheckReport:
    """Check a database without changing it: integrity (SQLite's own checks, or the server's),
    schema, references, contents, and leftovers of interrupted writes (removed with `fix`)."""
    where = locate(location)
    report = CheckReport(lines=[f"database: {where.display}"])
    if where.path is not None:
        _check_sqlite(where, report)
    else:
        _check_server(where, report)
    _leftovers(leftover_folders(where.path), report, fix=fix)
    return report


def _check_sqlite(where: Location, report: CheckReport) -> None:
    path = where.path
    assert path is not None
    if not os.path.lexists(path):
        raise DatabaseError(f"no database at {path}")
    check_selftrack_file(path)
    revision = sqlite_revision(path)
    _schema_line(report, revision)
    try:
        raw = read_only_connection(path)
        try:
            integrity = [row[0] for row in raw.execute("PRAGMA integrity_check")]
            ok = integrity == ["ok"]
            report.lines += ["integrity: ok"] if ok else [f"integrity: {x}" for x in integrity[:20]]
            broken = len(raw.execute("PRAGMA foreign_key_check").fetchall())
            report.lines.append(f"references: {broken} broken" if broken else "references: ok")
            report.ok = report.ok and ok and not broken
            if revision == HEAD_REVISION:
                _consistency(lambda sql: raw.execute(sql).fetchone()[0], report)
            counts = [raw.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in _COUNTED]
        finally:
            raw.close()
    except sqlite3.Error as exc:
        report.ok = False
        report.lines.append(f"error: {str(exc).strip().splitlines()[0]}")
        return
    _contents(report, counts)


_COUNTED = ("profiles", "sessions", "ratings")


def _check_server(where: Location, report: CheckReport) -> None:
    from sqlalchemy import text

    from selftrack.storage.engine import make_engine

    engine = make_engine(to_url(where.text))
    try:
        with engine.connect() as conn:
            tables = _server_tables(conn)
            if "alembic_version" not in tables:
                raise DatabaseError(f"{where.display} holds no selftrack database")
            revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            _schema_line(report, revision)
            version = conn.execute(text("SHOW server_version")).scalar_one()
            report.lines.append(f"integrity: kept by the server (PostgreSQL {version}; no file to check)")
            broken = sum(conn.execute(text(sql)).scalar_one() for sql in _ORPHANS)
            report.lines.append(f"references: {broken} broken" if broken else "references: ok")
            report.ok = report.ok and not broken
            if revision == HEAD_REVISION:
                _consistency(lambda sql: conn.execute(text(sql)).scalar_one(), report)
            counts = [conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in _COUNTED]
    except DatabaseError:
        raise
    except Exception as exc:  # a server fails in many ways: report it, never crash
        report.ok = False
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
        report.lines.append(f"error: {reason}")
        return
    finally:
        engine.dispose()
    _contents(report, counts)


def _server_tables(conn) -> set[str]:
    from sqlalchemy import text

    sql = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
    return {row[0] for row in conn.execute(text(sql))}


def _schema_line(report: CheckReport, revision: str | None) -> None:
    if revision == HEAD_REVISION:
        report.lines.append(f"schema: {revision} (current)")
    elif revision in KNOWN_REVISIONS:
        report.ok = False
        report.lines.append(
            f"schema: {revision}, behind this selftrack's {HEAD_REVISION}: run `selftrack db upgrade` "
            "(it makes a backup first)"
        )
    else:
        raise DatabaseError(
            f"schema {revision} was written by a newer selftrack (this one knows {HEAD_REVISION}): "
            "install the newer selftrack to use it"
        )


_OUT_OF_RANGE = (
    "SELECT count(*) FROM sessions WHERE started_at < '1900-01-01' OR started_at >= '2200-01-01' "
    "OR ended_at < '1900-01-01' OR ended_at >= '2200-01-01'"
)


def _consistency(count, report: CheckReport) -> None:
    for what, sql in _CONSISTENCY:
        found = count(sql)
        if found:
            report.ok = False
            report.lines.append(f"summaries: {found} {what}")
    if report.ok:
        report.lines.append("summaries: ok")
    far = count(_OUT_OF_RANGE)
    if far:  # only an import made before such files were refused can have written them
        report.ok = False
        report.lines.append(
            f"dates: {far} session(s) dated outside 1900-2199; find them in the program's history "
            "(they sort first or last) and delete them"
        )


def _contents(report: CheckReport, counts: list[int]) -> None:
    report.lines.append(
        f"contents: {counts[0]} profile(s), {counts[1]} session(s), {counts[2]} rating(s)"
    )


def _leftovers(folders: list[Path], report: CheckReport, *, fix: bool) -> None:
    """Temporary files an interrupted import, export, backup or upgrade left behind (beside
    the database, in the data and cache folders, in the default export folder); files still
    being written by a running selftrack are left alone."""
    found: list[Path] = []
    for folder in folders:
        try:
            found += sorted(p for p in folder.glob(f".*{TEMP_SUFFIX}") if is_leftover(p))
        except OSError:
            continue
    for leftover in found:
        if fix:
            try:
                leftover.unlink(missing_ok=True)
            except OSError as exc:
                report.ok = False
                report.lines.append(f"could not remove {leftover}: {exc.strerror or exc}")
                continue
            report.lines.append(f"removed a leftover of an interrupted write: {leftover}")
        else:
            report.lines.append(f"leftover of an interrupted write (may hold health data): {leftover}")
    if found and not fix:
        report.ok = False
        report.lines.append("run `selftrack db check --fix` to remove the leftovers")
    report.leftovers = found


def backup_to(location: str, target: Path) -> None:
    """Copy a SQLite database to `target`, never overwriting an existing file."""
    from selftrack.storage.backups import backup_sqlite

    where = locate(location)
    if where.path is None:
        raise DatabaseError(
            "backup copies SQLite files; for a PostgreSQL database use the server's pg_dump "
            "(`selftrack db upgrade` runs it for you before an upgrade)"
        )
    if not os.path.lexists(where.path):
        raise DatabaseError(f"no database at {where.path}")
    check_selftrack_file(where.path)
    target = target.expanduser()
    if target.exists() or target.is_symlink():
        raise DatabaseError(f"{target} already exists; choose a new file name")
    if not target.parent.is_dir():
        raise DatabaseError(f"cannot write {target}: folder {target.parent} does not exist")
    backup_sqlite(where.path, target)


def upgrade_database(location: str, *, backup: bool = True) -> str:
    """Upgrade the schema at `location` to this version's, after a backup (unless `backup`
    is False); says what it did and where the backup is."""
    where = locate(location)
    if where.path is not None:
        if not os.path.lexists(where.path):
            raise DatabaseError(f"no database at {where.path}")
        check_selftrack_file(where.path)
        revision = sqlite_revision(where.path)
    else:
        revision = _server_revision(where)
    if revision == HEAD_REVISION:
        return f"already up to date (schema {HEAD_REVISION})"
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise DatabaseError(
            f"{where.display} was written by a newer selftrack (schema {revision}); "
            "install the newer selftrack to use it — the database was left untouched"
        )
    if revision is None:
        raise DatabaseError(f"{where.display} holds no selftrack database; nothing was changed")
    report = migrate(where.text, revision, backup=backup)
    made = f"; backup at {report.backup}" if report.backup else "; no backup was made (--no-backup)"
    return f"upgraded schema {report.before} -> {report.after}{made}"


def _server_revision(where: Location) -> str | None:
    from sqlalchemy import text

    from selftrack.storage.engine import make_engine

    engine = make_engine(to_url(where.text))
    try:
        with engine.connect() as conn:
            tables = _server_tables(conn)
            if "alembic_version" not in tables:
                if tables:
                    raise DatabaseError(f"{where.display} holds other tables: not a selftrack database")
                return None
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DatabaseError:
        raise
    except Exception as exc:
        raise DatabaseError(f"cannot open database {where.display}: {str(getattr(exc, 'orig', exc)).strip().splitlines()[0]}") from None
    finally:
        engine.dispose()
