"""The Store: what the layers below the Tracker are given instead of the Tracker itself.

It holds the database (opened on first use), whose records are read and written (a profile
name, resolved to its id inside each transaction) and the clock. Query and write functions
(selftrack.storage.queries, selftrack.storage.writes) take the `Scope` of one transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from selftrack.clock import Clock
from selftrack.errors import SelftrackError
from selftrack.paths import DEFAULT_PROFILE
from selftrack.storage.connection import Connection

NO_PROFILE = -1  # matches no row: a profile that has no records yet
PROFILE_NAME_MAX = 80


@dataclass(frozen=True, slots=True)
class Scope:
    """One transaction: its connection, and the id of the profile it works for."""

    conn: Connection
    profile: int


class Store:
    """One profile's records in one database, with the clock that says when things happen."""

    def __init__(self, location: str, profile: str = DEFAULT_PROFILE, clock: Clock | None = None) -> None:
        self.location = location
        self.profile = profile
        self.clock = clock or Clock()
        self._database = None
        self._profile_id: int | None = None

    @property
    def database(self):
        """The open database, created and upgraded on first use."""
        return self.open(create=True)

    def open(self, *, create: bool):
        """The open database; with `create=False` a missing SQLite file is an error, not made."""
        if self._database is None:
            from selftrack.storage.engine import open_database

            self._database = open_database(self.location, create=create)
        return self._database

    @property
    def is_open(self) -> bool:
        return self._database is not None

    @contextmanager
    def reading(self) -> Iterator[Scope]:
        """A read transaction for this profile (its id is NO_PROFILE until it has records)."""
        with self.database.reading() as conn:
            yield Scope(conn, self._known_profile(conn))

    @contextmanager
    def writing(self, *, attach=None) -> Iterator[Scope]:
        """A write transaction for this profile, which is created on first use (`attach`: a
        SQLite file reachable as `stage` inside it)."""
        from selftrack.storage import writes

        with self.database.writing(attach=attach) as conn:
            profile = self._known_profile(conn)
            if profile == NO_PROFILE:
                check_profile_name(self.profile)
                profile = writes.add_profile(conn, self.profile, self.clock.now())
            yield Scope(conn, profile)
        if self._profile_id is None and profile != NO_PROFILE:
            self._profile_id = profile  # remembered only once committed

    def _known_profile(self, conn: Connection) -> int:
        if self._profile_id is not None:
            return self._profile_id
        found = conn.scalar("SELECT id FROM profiles WHERE name = :name", {"name": self.profile})
        if found is None:
            return NO_PROFILE
        self._profile_id = found
        return found

    def close(self) -> None:
        if self._database is not None:
            self._database.close()
            self._database = None


class ProfileNameError(SelftrackError, ValueError):
    """A profile name that cannot be used."""


def check_profile_name(name: str) -> None:
    """Refuse profile names that are empty, too long or hold control characters."""
    from selftrack.domain.text import has_control

    if not name or not name.strip():
        raise ProfileNameError("a profile name cannot be empty")
    if len(name) > PROFILE_NAME_MAX:
        raise ProfileNameError(f"a profile name has at most {PROFILE_NAME_MAX} characters")
    if has_control(name):
        raise ProfileNameError(f"a profile name cannot hold control characters: {name!r}")
