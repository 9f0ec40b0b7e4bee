"""The one gate for text: what selftrack accepts, and how any text is made safe to show.

Every way in (the walk, notes, imports, protocol files, file names) checks text here, and
every way out to a person (the terminal program, the command line, the PDF) shows it through
`printable`, so a note or a file holding an escape sequence can never rewrite a terminal.

- Free text (notes, where pain spreads, session notes) may hold any character but NUL and
  lone surrogates (neither can be stored everywhere), up to its limit; it is kept exactly.
- Labels (names shown on one line: profiles, routines, spots, tools) hold no control
  characters at all.
"""

from __future__ import annotations

import re

from selftrack.errors import SelftrackError

NOTE_MAX = 20_000  # characters: some pages of text
REFERRED_TO_MAX = 200
LABEL_MAX = 200
PROTOCOL_TEXT_MAX = 4000

# C0 controls, DEL, C1 controls, the bidirectional overrides and isolates (they reorder what
# is shown), and the surrogates (not text at all)
_OTHERS = "\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_UNSAFE = re.compile(f"[\x00-\x1f{_OTHERS}]")
_UNSAFE_KEEP_LINES = re.compile(f"[\x00-\x08\x0b-\x1f{_OTHERS}]")  # tab and newline kept
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


class TextError(SelftrackError, ValueError):
    """Text that selftrack does not accept, explained in one line."""


def has_control(text: str) -> bool:
    """Whether `text` holds any control character (newlines and tabs included)."""
    return _UNSAFE.search(text) is not None


def check_text(what: str, value: object, limit: int = NOTE_MAX, *, label: bool = False) -> str:
    """`value` if selftrack accepts it as `what`; otherwise a TextError saying why.

    Free text may hold anything but NUL and lone surrogates; a `label` no control character.
    """
    if not isinstance(value, str):
        raise TextError(f"{what}: must be text, not {type(value).__name__}")
    if len(value) > limit:
        raise TextError(f"{what}: {len(value):,} characters, at most {limit:,} fit")
    found = _UNSTORABLE.search(value)
    if found is not None:
        kind = "a NUL character" if found.group() == "\x00" else "a lone surrogate (not text)"
        raise TextError(f"{what}: holds {kind}, which cannot be stored")
    if label and has_control(value):
        raise TextError(f"{what}: holds a control character: {printable(value)}")
    return value


def printable(text: str, *, multiline: bool = False) -> str:
    """`text` with every control character shown as a harmless `\\xNN` or `\\uNNNN` mark.

    With `multiline`, newlines and tabs are kept as they are.
    """
    pattern = _UNSAFE_KEEP_LINES if multiline else _UNSAFE
    if pattern.search(text) is None:
        return text
    return pattern.sub(_escape, text)


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
