"""The base of every error the front ends show as a one-line message (no traceback)."""


class SelftrackError(Exception):
    """A refusal or failure explained in one line for the user."""


class DatabaseError(SelftrackError):
    """A database problem explained in one line for the user; `busy` when another program
    held a lock for longer than the busy timeout (trying again later may work).

    Raised by selftrack.storage; defined here so the front ends can name it without
    importing the storage layer."""

    busy = False
