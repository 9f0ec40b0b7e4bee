"""The one gate for text: what selftrack accepts, and how any text is made safe to show.

Every way in checks text here: the walk and the notes (`check_text`, through the Tracker),
imports and protocol files (their pydantic types are built from the patterns below, and the
loader checks every key and value with `first_unsafe`), file names (`has_control`). Every way
out to a person goes through `printable` (the command line, `protocols` texts, the PDF, the
notifications and screens of the terminal program), and the terminal program also passes
every line it draws through `strip_unsafe` (selftrack.tui.safe_output), so a note or a file
holding an escape sequence can never rewrite a terminal. CSV, JSON and FHIR files keep the
exact text (they are data); written to a terminal instead of a file they go through
`printable` like everything else.

- Free text (notes, where pain spreads, session notes) may hold any character but NUL and
  lone surrogates (neither can be stored everywhere), up to its limit; it is kept exactly.
- Protocol texts (how to find a spot, cautions …) may also hold newlines and tabs, nothing
  else below the space.
- Labels (names shown on one line: profiles, routines, routes, spots, tools) hold no
  control characters at all.
"""

from __future__ import annotations

import re

from selftrack.errors import SelftrackError

NOTE_MAX = 20_000  # characters: some pages of text
REFERRED_TO_MAX = 200
LABEL_MAX = 200
PROTOCOL_TEXT_MAX = 4000

# Character classes (the inside of a `[...]`), written so that Python's `re` and the Rust
# regex engine pydantic uses read them the same way.
# C0 controls, DEL, C1 controls, the bidirectional overrides and isolates (they reorder what
# is shown); lone surrogates are not text at all (pydantic refuses them by itself).
_BIDI = "\u202a-\u202e\u2066-\u2069"
CONTROL_CLASS = f"\x00-\x1f\x7f-\x9f{_BIDI}"
CONTROL_KEEP_LINES_CLASS = f"\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}"  # tab and newline allowed
UNSTORABLE_CLASS = "\x00"

# Whole-value patterns for schemas (protocol files, imports)
LABEL_PATTERN = f"^[^{CONTROL_CLASS}]*$"
PROTOCOL_TEXT_PATTERN = f"^[^{CONTROL_KEEP_LINES_CLASS}]*$"
FREE_TEXT_PATTERN = f"^[^{UNSTORABLE_CLASS}]*$"

_SURROGATES = "\ud800-\udfff"
_UNSAFE = re.compile(f"[{CONTROL_CLASS}{_SURROGATES}]")
_UNSAFE_KEEP_LINES = re.compile(f"[{CONTROL_KEEP_LINES_CLASS}{_SURROGATES}]")
_UNSTORABLE = re.compile(f"[{UNSTORABLE_CLASS}{_SURROGATES}]")
_ZERO_WIDTH_UNSAFE = re.compile(f"[{CONTROL_CLASS}]")
_SURROGATE_TO_REPLACEMENT = {code: "\ufffd" for code in range(0xD800, 0xE000)}  # one cell each


class TextError(SelftrackError, ValueError):
    """Text that selftrack does not accept, explained in one line."""


def has_control(text: str, *, keep_lines: bool = False) -> bool:
    """Whether `text` holds any control character (with `keep_lines`, tab and newline are
    allowed) or a lone surrogate."""
    pattern = _UNSAFE_KEEP_LINES if keep_lines else _UNSAFE
    return pattern.search(text) is not None


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
        raise TextError(f"{what}: holds {unstorable_kind(found.group())}, which cannot be stored")
    if label and has_control(value):
        raise TextError(f"{what}: holds a control character: {printable(value)}")
    return value


def unstorable_kind(character: str) -> str:
    """'a NUL character' or 'a lone surrogate (not text)'."""
    return "a NUL character" if character == "\x00" else "a lone surrogate (not text)"


def first_unsafe(value, *, keep_lines: bool = True, path: tuple = ()) -> tuple[tuple, str] | None:
    """Where the first key or text with a control character is in parsed data (dicts,
    lists, strings), and that text; None when there is none.

    Walks iteratively, so data nested however deep never overflows the stack.
    """
    pending: list[tuple[tuple, object]] = [(path, value)]
    while pending:
        where, item = pending.pop()
        if where and isinstance(where[-1], str) and has_control(where[-1]):
            return where, where[-1]  # a key: always a label
        if isinstance(item, str):
            if has_control(item, keep_lines=keep_lines):
                return where, item
        elif isinstance(item, dict):
            pending.extend(reversed([((*where, key), child) for key, child in item.items()]))
        elif isinstance(item, list):
            pending.extend(reversed([((*where, n), child) for n, child in enumerate(item)]))
    return None


def printable(text: str, *, multiline: bool = False) -> str:
    """`text` with every control character shown as a harmless `\\xNN` or `\\uNNNN` mark.

    With `multiline`, newlines and tabs are kept as they are.
    """
    pattern = _UNSAFE_KEEP_LINES if multiline else _UNSAFE
    if pattern.search(text) is None:
        return text
    return pattern.sub(_escape, text)


def strip_unsafe(text: str) -> str:
    """`text` without its control characters, bidirectional overrides and lone surrogates.

    For a terminal's last line of defence, where a character may not change the width a
    line was laid out with: these characters take no cell, so dropping them keeps it.
    """
    if text.isprintable():  # fast: nearly every piece of text on a screen
        return text
    return _ZERO_WIDTH_UNSAFE.sub("", text).translate(_SURROGATE_TO_REPLACEMENT)


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
