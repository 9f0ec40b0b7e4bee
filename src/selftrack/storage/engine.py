"""Open a database safely: check the location, set pragmas, bring the schema up to date."""

from __future__ import annotations

import os
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from selftrack.errors import SelftrackError
from selftrack.paths import create_private_file, default_db_path, make_private_dir
from selftrack.storage.schema import HEAD_REVISION, KNOWN_REVISIONS  # noqa: F401 (re-exported)

SQLITE_HEADER = b"SQLite format 3\x00"
MIGRATIONS_DIR = Path(__file__).parent / "migrations"


_PLAIN_REASONS = {
    "database or disk is full": "the disk is full (earlier entries are kept)",
    "readonly database": "it has become read-only (earlier entries are kept)",
    "disk i/o error": "the disk reported an error: is it full or gone? (earlier entries are kept)",
    "database is locked": "another program kept it busy for too long; try again",
}


class DatabaseError(SelftrackError):
    """A database problem explained in one line for the user."""


@dataclass
class UpgradeReport:
    """What opening a database did to its schema."""

    before: str | None
    after: str
    backup: Path | None = None

    @property
    def changed(self) -> bool:
        return self.before != self.after


def to_url(location: str) -> URL:
    """A SQLAlchemy URL for a file path or URL string."""
    if "://" in location:
        try:
            return make_url(location)
        except Exception as exc:  # sqlalchemy raises ArgumentError with a long text
            raise DatabaseError(f"cannot read database URL {location!r}: {exc}") from None
    path = Path(location).expanduser().absolute()
    return URL.create("sqlite+pysqlite", database=str(path))


def sqlite_path(url: URL) -> Path | None:
    """The file behind a SQLite URL, or None for other databases and in-memory SQLite."""
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)


class Database:
    """An open selftrack database: an engine, sessions for reading and writing, its schema."""

    def __init__(self, url: URL, engine: Engine) -> None:
        self.url = url
        self.engine = engine
        self.path = sqlite_path(url)
        self._read = sessionmaker(engine, expire_on_commit=False, info={"writer": False})
        writer = engine.execution_options(selftrack_immediate=True) if self.is_sqlite else engine
        self._write = sessionmaker(writer, expire_on_commit=False, info={"writer": True})

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def display(self) -> str:
        """Where the database is, safe to print (no password)."""
        return str(self.path) if self.path else self.url.render_as_string(hide_password=True)

    @contextmanager
    def reading(self):
        """A session for queries (rolled back at the end)."""
        with self._explained("read from"), self._read() as session:
            yield session

    @contextmanager
    def writing(self):
        """A session whose work is committed durably when the block ends without error.

        When the disk is full, read-only or failing, nothing of this block is kept, earlier
        work stays intact, and the error is a DatabaseError with a one-line reason.
        """
        with self._explained("save to"), self._write() as session, session.begin():
            yield session

    @contextmanager
    def _explained(self, action: str):
        from sqlalchemy.exc import OperationalError

        try:
            yield
        except OperationalError as exc:
            raise DatabaseError(f"could not {action} {self.display}: {_plain(exc)}") from exc

    def close(self) -> None:
        self.engine.dispose()


def _add_sqlite_pragmas(engine: Engine, *, foreign_keys: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves (SQLAlchemy recipe)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA busy_timeout = 10000")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        immediate = conn.get_execution_options().get("selftrack_immediate")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(url: URL, *, foreign_keys: bool = True) -> Engine:
    """An engine with selftrack's connection settings (WAL, FULL sync, FKs, busy timeout)."""
    if url.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": 10})
        _add_sqlite_pragmas(engine, foreign_keys=foreign_keys)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _check_sqlite_location(path: Path, *, create: bool, is_default: bool) -> None:
    if path.exists():
        if path.is_dir():
            raise DatabaseError(f"{path} is a folder, not a database file")
        with open(path, "rb") as handle:
            header = handle.read(16)
        if header and header != SQLITE_HEADER:
            raise DatabaseError(f"{path} is not a SQLite database; refusing to touch it")
        if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
            raise DatabaseError(f"database {path} is read-only; selftrack needs to write to it")
        return
    if not create:
        raise DatabaseError(f"no database at {path}")
    if not path.parent.exists():
        if not is_default:
            raise DatabaseError(f"cannot create database {path}: folder {path.parent} does not exist")
        make_private_dir(path.parent)
    if not os.access(path.parent, os.W_OK):
        raise DatabaseError(f"cannot create database {path}: folder {path.parent} is not writable")
    try:
        create_private_file(path)
    except FileExistsError:
        pass  # another process created it a moment ago; opening goes on as usual


def read_revision(engine: Engine) -> tuple[str | None, bool]:
    """The schema revision (plain SQL, no alembic import) and whether other tables exist."""
    with engine.connect() as conn:
        tables = set(_table_names(conn))
        if "alembic_version" not in tables:
            return None, bool(tables - {"alembic_version"})
        rows = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
        return (rows[0] if rows else None), True


def _revision_of(conn) -> str | None:
    if "alembic_version" not in _table_names(conn):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _table_names(conn) -> list[str]:
    if conn.dialect.name == "sqlite":
        sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    else:
        sql = (
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema()"
        )
    return [row[0] for row in conn.execute(text(sql))]


def open_database(location: str, *, create: bool = True, upgrade: bool = True) -> Database:
    """Open (creating if allowed) the database at `location`, upgraded to the current schema.

    A database behind the code is copied to a backup first; one ahead of the code is refused.
    """
    url = to_url(location)
    path = sqlite_path(url)
    created = False
    if path is not None:
        created = not path.exists()
        _check_sqlite_location(path, create=create, is_default=path == default_db_path())
    engine = make_engine(url)
    try:
        try:
            revision, has_tables = read_revision(engine)
        except (sqlite3.DatabaseError, DBAPIError) as exc:
            raise DatabaseError(f"cannot read database {_safe(url)}: {_plain(exc)}") from None
        except Exception as exc:
            raise DatabaseError(f"cannot open database {_safe(url)}: {_one_line(exc)}") from None
        if revision is None and has_tables:
            raise DatabaseError(f"{_safe(url)} holds other tables: not a selftrack database")
        if revision is not None and revision not in KNOWN_REVISIONS:
            raise DatabaseError(
                f"{_safe(url)} was written by a newer selftrack (schema {revision}); "
                "install the newer selftrack to use it — the database was left untouched"
            )
        if revision != HEAD_REVISION:
            if not upgrade:
                raise DatabaseError(
                    f"{_safe(url)} is at schema {revision}, behind {HEAD_REVISION}: "
                    "run `selftrack db upgrade`"
                )
            migrate(engine.url, revision)
    except BaseException:
        engine.dispose()
        if created and path is not None and path.exists() and path.stat().st_size == 0:
            path.unlink()
        raise
    return Database(url, engine)


def migrate(url: URL, current: str | None, target: str = HEAD_REVISION) -> UpgradeReport:
    """Back up (when there is data) and upgrade the schema to `target` in one transaction."""
    backup = None
    path = sqlite_path(url)
    if current is not None and path is not None:
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        backup = path.with_name(f"{path.name}.before-{target}-{stamp}.bak")
        backup_sqlite(path, backup)
    engine = make_engine(url, foreign_keys=False)
    try:
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        # Take the write lock first (and wait for it), then look again: another process may
        # have opened the same new database at the same moment and upgraded it already.
        locking = engine.execution_options(selftrack_immediate=True)
        with locking.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(5170011)"))
            if _revision_of(conn) == target:
                return UpgradeReport(current, target, backup)
            config.attributes["connection"] = conn
            command.upgrade(config, target)
            if conn.dialect.name == "sqlite":
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise DatabaseError(
                        f"upgrade would break {len(broken)} references; nothing was changed"
                    )
    except DatabaseError:
        raise
    except Exception as exc:
        raise DatabaseError(f"upgrade failed, nothing was changed: {_one_line(exc)}") from None
    finally:
        engine.dispose()
    return UpgradeReport(current, target, backup)


def backup_sqlite(source: Path, target: Path) -> None:
    """Copy a live SQLite database to `target` (created owner-only) with SQLite's backup API."""
    create_private_file(target)
    try:
        src = sqlite3.connect(source)
        dst = sqlite3.connect(target)
        try:
            with dst:
                src.backup(dst)
        finally:
            dst.close()
            src.close()
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def _safe(url: URL) -> str:
    path = sqlite_path(url)
    return str(path) if path else url.render_as_string(hide_password=True)


def _plain(exc: BaseException) -> str:
    """A database error's reason in one line, in plain words when it is a common one."""
    reason = _one_line(getattr(exc, "orig", exc))
    return next((v for k, v in _PLAIN_REASONS.items() if k in reason.lower()), reason)


def _one_line(exc: BaseException) -> str:
    text_ = str(exc).strip().splitlines()
    return text_[0] if text_ else exc.__class__.__name__
