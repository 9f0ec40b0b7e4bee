"""Alembic migrations; the schema revisions are the files in `versions/` (`NNNN_what.py`).

The head revision is read from the file names, so checking a database's schema needs no
Alembic import; a test proves the names agree with Alembic's own view of the scripts.
"""

from __future__ import annotations

from pathlib import Path


def _revisions() -> tuple[str, ...]:
    names = (path.name for path in (Path(__file__).parent / "versions").glob("[0-9]*.py"))
    return tuple(sorted(name.split("_", 1)[0] for name in names))


KNOWN_REVISIONS: tuple[str, ...] = _revisions()
HEAD_REVISION: str = KNOWN_REVISIONS[-1]
