"""The words selftrack shows for its values, in one place: statuses, sides, flags, verdicts,
pain before and after, counts and numbers."""

from __future__ import annotations

from selftrack.analysis.stats import Change, Verdict
from selftrack.domain.terms import SessionStatus

STATUS_WORDS: dict[SessionStatus, str] = {
    SessionStatus.IN_PROGRESS: "in progress",
    SessionStatus.FINISHED: "finished",
    SessionStatus.ABANDONED: "abandoned",
}
SIDE_WORDS = {"left": "left side", "right": "right side", "mid": "middle", "both": "both sides"}
VERDICT_WORDS: dict[Verdict, str] = {
    Verdict.LESS_TENDER: "clearly less tender",
    Verdict.MORE_TENDER: "clearly more tender",
    Verdict.NO_CLEAR_CHANGE: "no clear change",
    Verdict.BETTER: "better (meaningful)",
    Verdict.WORSE: "worse (meaningful)",
    Verdict.NO_MEANINGFUL_CHANGE: "no meaningful change",
    Verdict.TOO_FEW: "too few sessions",
}
FLAG_WORDS = {
    "recognised": "recognised",
    "referred": "refers",
    "nerve": "nerve",
    "note": "note",
}
FLAG_MEANINGS = {
    "recognised": "the person's familiar pain",
    "referred": "the feeling spreads elsewhere",
    "nerve": "electric, shooting or tingling",
}
DASH = "–"


def status_word(status: SessionStatus | str) -> str:
    """'finished', 'in progress', 'abandoned'."""
    return STATUS_WORDS[SessionStatus(status)]


def side_word(side: str) -> str:
    """'left side', 'right side', 'middle', 'both sides'."""
    return SIDE_WORDS.get(side, side)


def spot_label(name: str, side: str) -> str:
    """'Spot name (left)', or the name alone for a spot on the midline."""
    return name if side == "mid" else f"{name} ({side})"


def counted(count: int, word: str, plural: str | None = None) -> str:
    """'1 day', '3 days': a count with its word, plural when it is not one."""
    return f"{count} {word}" if count == 1 else f"{count} {plural or word + 's'}"


def number(value: float | None, digits: int = 1) -> str:
    """A value for a table: '3.2', or a dash when there is none; never '-0.0'."""
    if value is None:
        return DASH
    text = f"{value:.{digits}f}"
    return text[1:] if text.startswith("-") and not text.strip("-0.") else text


def signed(value: float | None, digits: int = 1, suffix: str = "") -> str:
    """A change for a table: '+1.5', '-2.0', '0.0', or a dash."""
    if value is None:
        return DASH
    text = f"{value:+.{digits}f}"
    if not text.strip("+-0."):
        text = f"{0:.{digits}f}"
    return text + suffix


def verdict_words(change: Change) -> str:
    """The verdict as a person reads it, with the counts it rests on."""
    words = VERDICT_WORDS[change.verdict]
    if change.verdict is Verdict.TOO_FEW:
        if change.spots == 0 and change.sessions:
            return f"{words} (no spot has 6)"
        return f"{words} ({change.sessions})"
    if change.spots is not None:
        if not change.change:
            return f"{words} ({counted(change.spots, 'spot')})"
        way = "less" if change.change < 0 else "more"
        return f"{words} ({change.agreeing} of {counted(change.spots, 'spot')} {way} tender)"
    return words


def flag_words(recognised: bool, referred: bool, referred_to: str, nerve: bool, note: str = "") -> list[str]:
    """Short words for the flags that are set, and the note."""
    out = []
    if nerve:
        out.append(FLAG_WORDS["nerve"])
    if recognised:
        out.append(FLAG_WORDS["recognised"])
    if referred:
        out.append(refers_words(referred_to))
    if note:
        out.append(f"{FLAG_WORDS['note']}: {note}")
    return out


# words a person starts "where does it spread" with, after which "to" would be one too many
_DIRECTIONS = (
    "to", "into", "in", "down", "up", "toward", "towards", "across", "along", "around",
    "over", "under", "through", "onto", "round", "out", "from", "behind", "below", "above",
)


def refers_words(referred_to: str) -> str:
    """'refers', 'refers to the left buttock', 'refers down the back of the thigh'."""
    where = " ".join(referred_to.split())
    if not where:
        return FLAG_WORDS["referred"]
    first = where.split(" ", 1)[0].lower()
    return f"refers {where}" if first in _DIRECTIONS else f"refers to {where}"


def pain_text(before: int | None, after: int | None) -> str:
    """'5 → 3 (-2)': overall pain before and after a session, and the difference."""
    text = f"{DASH if before is None else before} → {DASH if after is None else after}"
    if before is not None and after is not None and after != before:
        text += f" ({after - before:+d})"
    return text
