"""Open a database safely: check the location, set pragmas, bring the schema up to date.

A SQLite file is run through the standard `sqlite3` module; any other location is a
SQLAlchemy URL (PostgreSQL). SQLAlchemy and Alembic are imported only to create or upgrade a
SQLite schema, so opening an existing, current database costs a few milliseconds.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import sys
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from selftrack.errors import DatabaseError
from selftrack.paths import create_private_file, default_db_path, make_private_dir
from selftrack.storage.connection import AlchemyConnection, Connection, SQLiteConnection
from selftrack.storage.migrations import HEAD_REVISION, KNOWN_REVISIONS

SQLITE_HEADER = b"SQLite format 3\x00"
# `PRAGMA application_id` of every selftrack SQLite file ("STK1"): a file with another id is
# someone else's and is never touched
APPLICATION_ID = 0x53544B31
# every table selftrack's migrations make (a test compares it with storage.models): a file
# without selftrack's application id is taken for ours only when it holds nothing else
SELFTRACK_TABLES = frozenset({
    "alembic_version", "profiles", "spot_definitions", "sessions", "ratings",  # 0001
    "screenings", "condition_profiles", "soreness",  # 0005
    "checkins", "weekly_forms", "psfs_activities", "psfs_scores",  # 0006
    "spot_counts",  # 0007
})  # fmt: skip
MIGRATIONS_DIR = Path(__file__).parent / "migrations"
BUSY_TIMEOUT_MS = 10_000  # how long a write waits for another program's write to end
BUSY_TIMEOUT_ENV = "SELFTRACK_BUSY_TIMEOUT_MS"  # a setting for slow disks, and for tests
WRITE_TRIES = 3  # a write waits up to this many busy timeouts for the lock before giving up


def busy_timeout_ms() -> int:
    """How long (ms) a statement waits for a lock another program holds: BUSY_TIMEOUT_MS, or
    SELFTRACK_BUSY_TIMEOUT_MS when it holds a whole number from 0 to 600,000."""
    value = os.environ.get(BUSY_TIMEOUT_ENV, "")
    if value.isdigit() and int(value) <= 600_000:
        return int(value)
    return BUSY_TIMEOUT_MS

_PLAIN_REASONS = {
    "database or disk is full": "the disk is full (earlier entries are kept)",
    "readonly database": "it has become read-only (earlier entries are kept)",
    "disk i/o error": "the disk reported an error: is it full or gone? (earlier entries are kept)",
    "database is locked": "another program kept it busy for too long; try again",
}


def _failure(message: str, exc: BaseException) -> DatabaseError:
    error = DatabaseError(message)
    reason = str(getattr(exc, "orig", None) or exc).lower()
    error.busy = "database is locked" in reason or "database is busy" in reason
    return error


@dataclass
class UpgradeReport:
    """What upgrading a database did to its schema."""

    before: str | None
    after: str
    backup: Path | None = None

    @property
    def changed(self) -> bool:
        return self.before != self.after


@dataclass(frozen=True)
class Location:
    """Where a database is: a SQLite file (`path`), or a SQLAlchemy URL (`url`)."""

    text: str
    path: Path | None = None

    @property
    def is_sqlite(self) -> bool:
        return self.path is not None

    @property
    def display(self) -> str:
        """Safe to print: the file, or the URL without its password."""
        if self.path is not None:
            return str(self.path)
        return to_url(self.text).render_as_string(hide_password=True)


def locate(location: str) -> Location:
    """A file path (or a `sqlite:///FILE` URL) is a SQLite file; anything else is a URL."""
    if "://" not in location:
        return Location(location, Path(location).expanduser().absolute())
    url = to_url(location)
    if url.get_backend_name() == "sqlite":
        if url.database in (None, "", ":memory:"):
            raise DatabaseError("an in-memory SQLite database would keep nothing: give a file")
        return Location(location, Path(url.database).expanduser().absolute())
    return Location(location)


def to_url(location: str):
    """A SQLAlchemy URL for a URL string or a file path (imports SQLAlchemy)."""
    from sqlalchemy.engine import URL, make_url

    if "://" not in location:
        return URL.create("sqlite+pysqlite", database=str(Path(location).expanduser().absolute()))
    try:
        url = make_url(location)
    except Exception as exc:  # sqlalchemy raises ArgumentError with a long text
        raise DatabaseError(f"cannot read database URL {_hide(location)!r}: {_one_line(exc)}") from None
    backend = url.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise DatabaseError(
            f"selftrack stores its records in SQLite or PostgreSQL, not {backend!r} "
            "(give a file path, or postgresql+psycopg://user@host/db)"
        )
    return url


class Database:
    """An open selftrack database: read and write transactions that run SQL texts."""

    location: Location
    dialect: str

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    @property
    def path(self) -> Path | None:
        return self.location.path

    @property
    def display(self) -> str:
        """Where the database is, safe to print (no password)."""
        return self.location.display

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A read transaction: one consistent view of the data."""
        raise NotImplementedError
        yield  # pragma: no cover

    @contextmanager
    def writing(self, *, attach: Path | None = None) -> Iterator[Connection]:
        """A write transaction, committed durably when the block ends without an error.

        When the disk is full, read-only or failing, nothing of this block is kept, earlier
        work stays intact, and the error is a DatabaseError with a one-line reason. With
        `attach` (SQLite), that file is reachable as the schema `stage` inside the block.
        """
        raise NotImplementedError
        yield  # pragma: no cover

    def close(self) -> None:
        raise NotImplementedError

    @contextmanager
    def _explained(self, action: str):
        try:
            yield
        except sqlite3.Error as exc:
            if isinstance(exc, sqlite3.IntegrityError):
                raise
            raise _failure(f"could not {action} {self.display}: {_plain(exc)}", exc) from exc
        except Exception as exc:
            if _is_alchemy_operational(exc):
                raise _failure(f"could not {action} {self.display}: {_plain(exc)}", exc) from exc
            raise


class SQLiteDatabase(Database):
    """A SQLite file in WAL mode, FULL synchronous commits, foreign keys on.

    Connections are pooled (the terminal program runs each core call in a new thread).
    """

    dialect = "sqlite"

    def __init__(self, location: Location) -> None:
        self.location = location
        self._idle: list[sqlite3.Connection] = []
        self._open: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._held: tuple[int, int] | None = None  # the file, while a connection is open

    def connect(self) -> sqlite3.Connection:
        """A new connection with selftrack's settings (autocommit: transactions are explicit)."""
        timeout = busy_timeout_ms()
        raw = sqlite3.connect(
            self.location.path, timeout=timeout / 1000, isolation_level=None,
            check_same_thread=False,
        )  # fmt: skip
        raw.execute(f"PRAGMA busy_timeout = {timeout}")
        raw.execute("PRAGMA journal_mode = WAL")
        raw.execute("PRAGMA synchronous = FULL")
        raw.execute("PRAGMA foreign_keys = ON")
        return raw

    @contextmanager
    def _connection(self):
        with self._lock:
            raw = self._idle.pop() if self._idle else None
        if raw is None:
            with self._explained("open"):
                raw = self.connect()
            with self._lock:
                self._open.append(raw)
                if self._held is None:
                    self._held = _file_identity(self.location.path)
                    _HELD.add(self)
        try:
            yield raw
        finally:
            if raw.in_transaction:  # only after an error that left it open
                try:
                    raw.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
            with self._lock:
                self._idle.append(raw)

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        with self._explained("read from"), self._connection() as raw:
            raw.execute("BEGIN")
            try:
                yield SQLiteConnection(raw)
            finally:
                raw.execute("ROLLBACK")

    @contextmanager
    def writing(self, *, attach: Path | None = None) -> Iterator[Connection]:
        with self._explained("save to"), self._connection() as raw:
            if attach is not None:
                raw.execute("ATTACH DATABASE ? AS stage", (str(attach),))
            try:
                self._begin_immediate(raw)
                try:
                    yield SQLiteConnection(raw)
                except BaseException:
                    raw.execute("ROLLBACK")
                    raise
                raw.execute("COMMIT")
            finally:
                if attach is not None:
                    raw.execute("DETACH DATABASE stage")

    @staticmethod
    def _begin_immediate(raw: sqlite3.Connection) -> None:
        """Take the write lock now, waiting for it if need be: up to WRITE_TRIES busy
        timeouts, so a person's rating outwaits any other selftrack's write (an import holds
        the lock only to publish: about 4 s for ten years of sessions)."""
        for attempt in range(WRITE_TRIES):
            try:
                raw.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if attempt + 1 == WRITE_TRIES or "locked" not in str(exc) and "busy" not in str(exc):
                    raise

    def close(self) -> None:
        with self._lock:
            connections, self._open, self._idle = self._open, [], []
            self._held = None
            _HELD.discard(self)
        for raw in connections:
            raw.close()


# The SQLite databases of this process with a connection open (gone with them when dropped
# unclosed): check_selftrack_file must not read their files through a descriptor of its own.
_HELD: weakref.WeakSet[SQLiteDatabase] = weakref.WeakSet()


def _file_identity(path: Path | None) -> tuple[int, int] | None:
    """The file at `path` as (device, inode); None when there is none."""
    if path is None:
        return None
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _held_here(path: Path) -> bool:
    """Whether this process has a connection open on the file at `path`."""
    identity = _file_identity(path)
    return identity is not None and any(database._held == identity for database in list(_HELD))


class AlchemyDatabase(Database):
    """A database reached through SQLAlchemy (PostgreSQL)."""

    def __init__(self, location: Location, engine) -> None:
        self.location = location
        self.engine = engine
        self.dialect = engine.dialect.name

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        with self._explained("read from"), self.engine.connect() as conn:
            transaction = conn.begin()
            try:
                yield AlchemyConnection(conn)
            finally:
                transaction.rollback()

    @contextmanager
    def writing(self, *, attach: Path | None = None) -> Iterator[Connection]:
        if attach is not None:
            raise ValueError("only a SQLite database can attach a file")
        with self._explained("save to"), self.engine.connect() as conn, conn.begin():
            yield AlchemyConnection(conn)

    def close(self) -> None:
        self.engine.dispose()


def make_engine(url, *, foreign_keys: bool = True):
    """A SQLAlchemy engine with selftrack's settings, for migrations and PostgreSQL."""
    from sqlalchemy import create_engine, event

    if url.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    timeout = busy_timeout_ms()
    engine = create_engine(url, connect_args={"timeout": timeout / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves (SQLAlchemy recipe)
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {timeout}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        immediate = conn.get_execution_options().get("selftrack_immediate")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


# -- opening ---------------------------------------------------------------------------------


def open_database(location: str, *, create: bool = True, upgrade: bool = True) -> Database:
    """Open (creating if allowed) the database at `location`, upgraded to the current schema.

    A SQLite file that is not a selftrack database is refused before anything writes to it;
    a database behind the code is copied to a backup first; one ahead of the code is refused.
    """
    where = locate(location)
    if where.path is None:
        return _open_alchemy(where, upgrade=upgrade)
    return _open_sqlite(where, create=create, upgrade=upgrade)


def _open_sqlite(where: Location, *, create: bool, upgrade: bool) -> Database:
    path = where.path
    assert path is not None
    created = _check_sqlite_location(path, create=create)
    try:
        if created:
            migrate(where.text, None)
        revision = sqlite_revision(path)
        _check_revision(where, revision, upgrade=upgrade)
        if revision != HEAD_REVISION:
            migrate(where.text, revision)
    except BaseException:
        if created:
            _remove_if_empty(path)
        raise
    return SQLiteDatabase(where)


def _remove_if_empty(path: Path) -> None:
    """Remove a database file this process created when it holds no table yet."""
    try:
        empty = not path.stat().st_size or not _read_only_schema(path)[0]
    except (OSError, DatabaseError):
        return
    if empty:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


def _open_alchemy(where: Location, *, upgrade: bool) -> Database:
    url = to_url(where.text)
    engine = make_engine(url)
    try:
        try:
            with engine.connect() as conn:
                tables = set(_table_names(conn))
                revision = _revision_of(conn) if "alembic_version" in tables else None
        except Exception as exc:
            raise DatabaseError(f"cannot open database {where.display}: {_plain(exc)}") from None
        if revision is None and tables:
            raise DatabaseError(f"{where.display} holds other tables: not a selftrack database")
        _check_revision(where, revision, upgrade=upgrade)
        if revision != HEAD_REVISION:
            migrate(where.text, revision)
    except BaseException:
        engine.dispose()
        raise
    return AlchemyDatabase(where, engine)


def _check_revision(where: Location, revision: str | None, *, upgrade: bool) -> None:
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise DatabaseError(
            f"{where.display} was written by a newer selftrack (schema {revision}); "
            "install the newer selftrack to use it — the database was left untouched"
        )
    if revision != HEAD_REVISION and not upgrade:
        raise DatabaseError(
            f"{where.display} is at schema {revision}, behind {HEAD_REVISION}: "
            "run `selftrack db upgrade`"
        )


def _check_sqlite_location(path: Path, *, create: bool) -> bool:
    """Refuse what selftrack must not open or touch; True when a new, empty file was made.

    Only the default database's folder is made when missing (the user data folder is looked
    up only then: an existing file opens without it)."""
    try:
        info = path.stat()
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise DatabaseError(f"cannot open database {path}: {exc.strerror or exc}") from None
    if info is not None:
        if stat.S_ISDIR(info.st_mode):
            raise DatabaseError(f"{path} is a folder, not a database file")
        if not stat.S_ISREG(info.st_mode):
            raise DatabaseError(f"{path} is not a regular file (a pipe or a device?); refusing to open it")
        if not os.access(path, os.R_OK):
            raise DatabaseError(f"cannot read database {path}: permission denied")
        if info.st_size:
            check_selftrack_file(path)
        if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
            raise DatabaseError(f"database {path} is read-only; selftrack needs to write to it")
        return info.st_size == 0
    if not create:
        raise DatabaseError(f"no database at {path}")
    if not path.parent.exists():
        if path != default_db_path():
            raise DatabaseError(f"cannot create database {path}: folder {path.parent} does not exist")
        make_private_dir(path.parent)
    if not os.access(path.parent, os.W_OK):
        raise DatabaseError(f"cannot create database {path}: folder {path.parent} is not writable")
    try:
        create_private_file(path)
    except FileExistsError:
        return False  # another process created it a moment ago: it migrates it, we wait
    except OSError as exc:
        raise DatabaseError(f"cannot create database {path}: {exc.strerror or exc}") from None
    _stamp(path)
    return True


def _stamp(path: Path) -> None:
    """Give a file just created selftrack's application id before anything else, so another
    process opening it while it is being built knows it for ours (its tables come later)."""
    try:
        raw = sqlite3.connect(path, timeout=busy_timeout_ms() / 1000)
        try:
            raw.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            raw.commit()
        finally:
            raw.close()
    except sqlite3.Error as exc:
        path.unlink(missing_ok=True)
        raise DatabaseError(f"cannot create database {path}: {_plain(exc)}") from None


def check_selftrack_file(path: Path) -> None:
    """Refuse a file that is not a selftrack SQLite database, reading it only.

    Ours: the SQLite header with selftrack's application id, or (a database made before the
    id was set) no id, only selftrack's tables and a schema revision selftrack wrote.

    A file this process already has a database open on was checked when it was opened, and is
    not read again: closing a descriptor of the file drops every POSIX lock this process holds
    on it, SQLite's included, and another process could then fold away a write-ahead log that
    a connection here still uses ("How To Corrupt An SQLite Database File", 2.2).
    """
    from selftrack.paths import open_regular

    if _held_here(path):
        return
    try:
        descriptor = open_regular(path)
        try:
            header = os.read(descriptor, 100)
        finally:
            os.close(descriptor)
    except OSError as exc:
        raise DatabaseError(f"cannot read database {path}: {exc.strerror or exc}") from None
    if not header.startswith(SQLITE_HEADER) or len(header) < 100:
        raise DatabaseError(f"{path} is not a SQLite database; refusing to touch it")
    application_id = int.from_bytes(header[68:72], "big")
    if application_id == APPLICATION_ID:
        return
    if application_id != 0:
        raise DatabaseError(f"{path} belongs to another program; refusing to touch it")
    tables, revision = _read_only_schema(path)
    if "alembic_version" not in tables or not tables <= SELFTRACK_TABLES or revision not in KNOWN_REVISIONS:
        raise DatabaseError(f"{path} holds other tables: not a selftrack database; refusing to touch it")


def _read_only_schema(path: Path) -> tuple[set[str], str | None]:
    """The tables and Alembic revision of a file that may be someone else's, read as an
    unchangeable file: no lock taken, no -wal or -shm file made beside it, nothing written."""
    try:
        raw = sqlite3.connect(f"{path.as_uri()}?immutable=1", uri=True)
        try:
            tables = {row[0] for row in raw.execute(_SQLITE_TABLES)}
            revision = None
            if "alembic_version" in tables:
                rows = raw.execute("SELECT version_num FROM alembic_version").fetchall()
                revision = rows[0][0] if len(rows) == 1 else None
            return tables, revision
        finally:
            raw.close()
    except sqlite3.Error as exc:
        raise DatabaseError(f"cannot read database {path}: {_plain(exc)}") from None


def read_only_connection(path: Path) -> sqlite3.Connection:
    """A connection that can only read one of our SQLite files (it waits for locks as a
    writer would)."""
    timeout = busy_timeout_ms()
    raw = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=timeout / 1000)
    raw.execute(f"PRAGMA busy_timeout = {timeout}")
    return raw


_SQLITE_TABLES = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"


def sqlite_revision(path: Path) -> str | None:
    """The schema revision of a SQLite file (plain SQL, read only; None without a schema)."""
    try:
        raw = read_only_connection(path)
        try:
            tables = {row[0] for row in raw.execute(_SQLITE_TABLES)}
            if "alembic_version" not in tables:
                return None
            rows = raw.execute("SELECT version_num FROM alembic_version").fetchall()
            return rows[0][0] if rows else None
        finally:
            raw.close()
    except sqlite3.Error as exc:
        raise DatabaseError(f"cannot read database {path}: {_plain(exc)}") from None


def read_revision(database: Database) -> str | None:
    """The schema revision of an open database."""
    if database.path is not None:
        return sqlite_revision(database.path)
    with database.reading() as conn:
        tables = set(_table_names(conn.raw))
        return conn.scalar("SELECT version_num FROM alembic_version") if "alembic_version" in tables else None


def _revision_of(conn) -> str | None:
    from sqlalchemy import text

    if "alembic_version" not in _table_names(conn):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _table_names(conn) -> list[str]:
    from sqlalchemy import text

    if conn.dialect.name == "sqlite":
        return [row[0] for row in conn.execute(text(_SQLITE_TABLES))]
    sql = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
    return [row[0] for row in conn.execute(text(sql))]


# -- upgrading -------------------------------------------------------------------------------


def migrate(
    location: str, current: str | None, target: str = HEAD_REVISION, *, backup: bool = True
) -> UpgradeReport:
    """Back up (when there is data) and upgrade the schema to `target` in one transaction.

    A SQLite file is copied beside itself; a PostgreSQL database is dumped with `pg_dump`
    into the data folder, and the upgrade is refused when that cannot be done (unless
    `backup` is False).
    """
    where = locate(location)
    made = None
    if current is not None and backup:
        from selftrack.storage import backups

        if where.path is not None:
            stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
            made = where.path.with_name(f"{where.path.name}.before-{target}-{stamp}.bak")
            number = 1
            while os.path.lexists(made):  # another process upgraded in the same second
                number += 1
                made = where.path.with_name(f"{where.path.name}.before-{target}-{stamp}-{number}.bak")
            backups.backup_sqlite(where.path, made)
        else:
            made = backups.backup_postgres(where.text, target)
    engine = make_engine(to_url(where.text), foreign_keys=False)
    try:
        from alembic import command
        from alembic.config import Config
        from sqlalchemy import text

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        # Take the write lock first (and wait for it), then look again: another process may
        # have opened the same new database at the same moment and upgraded it already.
        locking = engine.execution_options(selftrack_immediate=True)
        with locking.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(5170011)"))
            if _revision_of(conn) == target:
                return UpgradeReport(current, target, made)
            config.attributes["connection"] = conn
            command.upgrade(config, target)
            if conn.dialect.name == "sqlite":
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise DatabaseError(
                        f"upgrade would break {len(broken)} references; nothing was changed"
                    )
                conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
    except DatabaseError:
        raise
    except Exception as exc:
        raise DatabaseError(f"upgrade failed, nothing was changed: {_plain(exc)}") from None
    finally:
        engine.dispose()
    return UpgradeReport(current, target, made)


# -- error text ------------------------------------------------------------------------------


def _is_alchemy_operational(exc: BaseException) -> bool:
    if "sqlalchemy" not in sys.modules:
        return False
    from sqlalchemy.exc import DBAPIError, IntegrityError

    return isinstance(exc, DBAPIError) and not isinstance(exc, IntegrityError)


def _plain(exc: BaseException) -> str:
    """A database error's reason in one line, in plain words when it is a common one."""
    reason = _one_line(getattr(exc, "orig", None) or exc)
    return next((v for k, v in _PLAIN_REASONS.items() if k in reason.lower()), reason)


def _one_line(exc: BaseException) -> str:
    text_ = str(exc).strip().splitlines()
    return text_[0] if text_ else exc.__class__.__name__


def _hide(location: str) -> str:
    """A URL with any password replaced, for messages."""
    head, sep, tail = location.partition("://")
    if not sep or "@" not in tail:
        return location
    credentials, _at, rest = tail.rpartition("@")
    user = credentials.split(":", 1)[0]
    return f"{head}://{user}:***@{rest}" if ":" in credentials else location
