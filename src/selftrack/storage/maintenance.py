"""Database chores: integrity check, backup, explicit upgrade."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import text

from selftrack.storage.engine import (
    HEAD_REVISION,
    KNOWN_REVISIONS,
    Database,
    DatabaseError,
    backup_sqlite,
    make_engine,
    migrate,
    read_revision,
    sqlite_path,
    to_url,
)


@dataclass
class CheckReport:
    """The result of `selftrack db check`: readable lines and a verdict."""

    ok: bool = True
    lines: list[str] = field(default_factory=list)


def check_database(database: Database) -> CheckReport:
    """Check integrity (SQLite's own checks, or the server's on PostgreSQL), schema and contents."""
    report = CheckReport(lines=[f"database: {database.display}"])
    try:
        revision, _ = read_revision(database.engine)
        report.lines.append(f"schema: {revision} (this selftrack expects {HEAD_REVISION})")
        with database.engine.connect() as conn:
            if database.is_sqlite:
                integrity = [row[0] for row in conn.exec_driver_sql("PRAGMA integrity_check")]
                ok = integrity == ["ok"]
                report.lines += ["integrity: ok"] if ok else [f"integrity: {x}" for x in integrity[:20]]
                broken = len(conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall())
            else:
                version = conn.execute(text("SHOW server_version")).scalar_one()
                report.lines.append(
                    f"integrity: kept by the server (PostgreSQL {version}; no file to check)"
                )
                ok = True
                broken = sum(conn.execute(text(sql)).scalar_one() for sql in _ORPHANS)
            report.lines.append(f"references: {broken} broken" if broken else "references: ok")
            report.ok = ok and not broken
            counts = [
                conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
                for table in ("profiles", "sessions", "ratings")
            ]
    except Exception as exc:  # a damaged file fails in many ways: report it, never crash
        report.ok = False
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
        report.lines.append(f"error: {reason}")
        return report
    report.lines.append(
        f"contents: {counts[0]} profile(s), {counts[1]} session(s), {counts[2]} rating(s)"
    )
    return report


_ORPHANS = (
    "SELECT count(*) FROM sessions s LEFT JOIN profiles p ON p.id = s.profile_id WHERE p.id IS NULL",
    "SELECT count(*) FROM ratings r LEFT JOIN sessions s ON s.id = r.session_id WHERE s.id IS NULL",
    "SELECT count(*) FROM ratings r LEFT JOIN spot_definitions d ON d.id = r.spot_def_id "
    "WHERE d.id IS NULL",
)


def backup_to(database: Database, target: Path) -> None:
    """Copy a SQLite database to `target`, never overwriting an existing file."""
    if not database.is_sqlite or database.path is None:
        raise DatabaseError(
            "backup copies SQLite files; for a PostgreSQL database use the server's pg_dump"
        )
    target = target.expanduser()
    if target.exists():
        raise DatabaseError(f"{target} already exists; choose a new file name")
    if not target.parent.is_dir():
        raise DatabaseError(f"cannot write {target}: folder {target.parent} does not exist")
    try:
        backup_sqlite(database.path, target)
    except OSError as exc:
        raise DatabaseError(f"cannot write {target}: {exc.strerror or exc}") from None


def upgrade_database(location: str) -> str:
    """Upgrade the schema at `location` to this version's; says what it did."""
    from selftrack.storage.engine import open_database

    url = to_url(location)
    path = sqlite_path(url)
    if path is not None and not path.exists():
        raise DatabaseError(f"no database at {path}")
    engine = make_engine(url)
    try:
        revision, _ = read_revision(engine)
    finally:
        engine.dispose()
    if revision == HEAD_REVISION:
        return f"already up to date (schema {HEAD_REVISION})"
    if revision is not None and revision not in KNOWN_REVISIONS:
        open_database(location)  # raises the newer-schema message
    report = migrate(url, revision)
    backup = f"; backup at {report.backup}" if report.backup else ""
    return f"upgraded schema {report.before} -> {report.after}{backup}"
