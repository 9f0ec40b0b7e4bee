"""The base of every error the front ends show as a one-line message (no traceback)."""


class SelftrackError(Exception):
    """A refusal or failure explained in one line for the user."""
