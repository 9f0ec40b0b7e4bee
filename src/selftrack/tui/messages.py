"""Facts the screens tell the app about (posted after the core has stored them)."""

from __future__ import annotations

from textual.message import Message

from selftrack.domain import Rating, Session


class SessionStarted(Message):
    """A new session was stored and its walk can begin."""

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session


class RatingRecorded(Message):
    """A rating was committed to the database (and the walk moved on)."""

    def __init__(self, rating: Rating) -> None:
        super().__init__()
        self.rating = rating


class RatingUndone(Message):
    """The most recent rating of the walk was removed."""

    def __init__(self, rating: Rating) -> None:
        super().__init__()
        self.rating = rating


class SessionClosed(Message):
    """A session was finished or abandoned."""

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
