"""The safety texts every front end shows, and whether the first-run note has been read.

The acknowledgement is a small owner-only file in the config folder, so it survives a new
database and is never part of the health record.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from selftrack import paths

EASE_OFF_AT = 8
ACK_FILENAME = "safety-note-read"

NOT_ADVICE = (
    "selftrack is a diary, not a clinician. It records how tender named spots feel to you; it "
    "does not diagnose or treat anything. The routines describe gentle self-massage for "
    "ordinary muscular aches."
)
RED_FLAGS_INTRO = "See a clinician before treating yourself, and stop and get help, if you have:"
RED_FLAGS: tuple[str, ...] = (
    "numbness in the saddle area (between the legs, the inner buttocks)",
    "new trouble controlling your bladder or bowels",
    "weakness in a leg that is getting worse",
    "fever, or weight loss you cannot explain",
    "a history of cancer",
    "pain that began with a major injury, such as a fall or a car accident",
)
WHILE_YOU_WORK = (
    "Deeper is not better: a rating of 8 or more means ease off. An electric, shooting or "
    "tingling feeling means you are on a nerve: move off the spot."
)
EASE_OFF = "Ease off: deeper is not better. Lighter pressure for longer does the job."
NERVE = (
    "Move off this spot: an electric, shooting or tingling feeling means pressure on a nerve. "
    "It is marked, and later sessions will warn you here."
)


def is_ease_off(tenderness: int | None) -> bool:
    """Whether a rating is high enough to suggest easing off."""
    return tenderness is not None and tenderness >= EASE_OFF_AT


def ack_path() -> Path:
    """The file whose presence means the first-run note was read."""
    return paths.config_dir() / ACK_FILENAME


def is_acknowledged() -> bool:
    """Whether the first-run safety note has been read on this account."""
    return ack_path().is_file()


def acknowledge(now: datetime) -> Path:
    """Record that the safety note was read (owner-only file holding the UTC moment)."""
    path = ack_path()
    paths.make_private_dir(path.parent)
    with paths.open_private(path) as handle:
        handle.write(now.isoformat() + "\n")
    return path
