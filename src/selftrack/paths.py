"""Where selftrack keeps its files; computed on demand, never created at import."""

from __future__ import annotations

import os
import stat
from pathlib import Path

APP_NAME = "selftrack"
DB_ENV = "SELFTRACK_DB"
PROTOCOLS_ENV = "SELFTRACK_PROTOCOLS_DIR"
PROFILE_ENV = "SELFTRACK_PROFILE"
DEFAULT_PROFILE = "default"  # whose records, when neither --profile nor SELFTRACK_PROFILE says
DB_FILENAME = "selftrack.db"


def data_dir() -> Path:
    """The user data folder (platformdirs), e.g. ~/.local/share/selftrack."""
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    """The user config folder (platformdirs), e.g. ~/.config/selftrack."""
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    """The user cache folder (platformdirs), e.g. ~/.cache/selftrack."""
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def default_db_path() -> Path:
    """The SQLite file used when neither --db nor SELFTRACK_DB is given."""
    return data_dir() / DB_FILENAME


def user_protocols_dir() -> Path:
    """Where a user's own protocol files live."""
    return config_dir() / "protocols"


def builtin_protocols_dir() -> Path:
    """The protocols shipped with the program (inside the wheel, or the repo root)."""
    packaged = Path(__file__).parent / "builtin_protocols"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "protocols"


def protocol_folders(extra: str | Path | None = None) -> list[Path]:
    """Folders protocols are read from: built-in, the user's, then --protocols-dir or env."""
    extra = extra or os.environ.get(PROTOCOLS_ENV)
    folders = [builtin_protocols_dir(), user_protocols_dir()]
    if extra:
        folders.append(Path(extra).expanduser())
    return folders


def export_folder(home: Path | None = None) -> Path:
    """Where exports go unless the user says otherwise: ~/Documents when it exists, else ~."""
    home = home or Path.home()
    documents = home / "Documents"
    return documents if documents.is_dir() else home


def resolve_db(value: str | None) -> str:
    """The database location: the --db value, else SELFTRACK_DB, else the default file."""
    return value or os.environ.get(DB_ENV) or str(default_db_path())


def make_private_dir(path: Path) -> None:
    """Create `path` and every missing parent readable by the owner only (0700, whatever the
    umask); folders that already exist are left as they are, but `path` itself is made 0700."""
    missing: list[Path] = []
    folder = Path(path)
    while not folder.exists():
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    for folder in reversed(missing):
        try:
            os.mkdir(folder, 0o700)
        except FileExistsError:
            pass  # made a moment ago by another process
        os.chmod(folder, 0o700)
    os.chmod(path, 0o700)


def open_regular(path: Path) -> int:
    """A read-only descriptor of `path` if it is a regular file; otherwise an OSError whose
    `strerror` says what it is instead, in words a person reads.

    A pipe, a device or a folder is refused before it is opened (opening a pipe waits for a
    writer, forever) and again after (in case it was swapped in between).
    """
    _refuse_special(os.stat(path).st_mode)
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        _refuse_special(os.fstat(descriptor).st_mode)
    except OSError:
        os.close(descriptor)
        raise
    return descriptor


def _refuse_special(mode: int) -> None:
    import errno

    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, "a folder, not a file")
    if not stat.S_ISREG(mode):
        raise OSError(errno.EINVAL, "not a regular file (a pipe, a socket or a device?)")


def create_private_file(path: Path) -> None:
    """Create an empty file readable by the owner only; an existing file is left alone."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)


TEMP_SUFFIX = ".selftrack-tmp"


def private_temp(folder: Path, name: str) -> tuple[int, Path]:
    """A new owner-only file for `name` in `folder`, under an unpredictable temporary name.

    Created with O_EXCL (mkstemp): a file or symlink planted at that name is never followed.
    The name ends in TEMP_SUFFIX, so leftovers of a killed run can be found and removed; the
    returned descriptor holds a lock on the file while it is open, so a file still being
    written is never taken for a leftover (`is_leftover`).
    """
    import fcntl
    import tempfile

    handle, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=TEMP_SUFFIX, dir=folder)
    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)  # a new file: nobody else holds it
    return handle, Path(temporary)


def is_leftover(path: Path) -> bool:
    """Whether a temporary file is left over from a run that ended (no process holds it)."""
    import fcntl

    try:
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return os.path.islink(path)  # a symlink where a temporary file would be: not ours
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False  # still being written by a running selftrack
    finally:
        os.close(handle)
    return True


def leftover_folders(database: Path | None = None) -> list[Path]:
    """The folders where selftrack writes temporary files: beside the database, the data and
    cache folders, and the folder exports go to by default."""
    found: list[Path] = []
    for folder in (database.parent if database else None, data_dir(), cache_dir(), export_folder()):
        if folder is not None and folder not in found:
            found.append(folder)
    return found


def open_private(path: Path, mode: str = "w", **kwargs):
    """Open a file for writing, created owner-only (0600) from the first byte; a symlink at
    `path` is refused, never followed."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW
    fd = os.open(path, flags, 0o600)
    os.fchmod(fd, 0o600)
    return os.fdopen(fd, mode, **kwargs)
