"""The terminal program's last line of defence: no control character from data reaches the
terminal, whatever a screen forgets.

Screens show stored and loaded text through selftrack.domain.text.printable (a note's escape
sequence appears as `\\x1b`). Textual itself passes control characters in text straight to
the terminal, so every line the program draws also goes through `SafeText`, which drops what
`printable` would have marked (these characters take no cell, so the layout is unchanged).
Textual's own escape sequences (colours, cursor moves) are not text and are not touched.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.color import Color
from textual.filter import LineFilter

from selftrack.domain.text import strip_unsafe


class SafeText(LineFilter):
    """Drops control characters, bidirectional overrides and lone surrogates from text."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        if all(segment.text.isprintable() for segment in segments):
            return segments
        safe: list[Segment] = []
        for segment in segments:
            text = segment.text
            if not text.isprintable():
                text = strip_unsafe(text)
                if not text:
                    continue  # nothing but control characters: no cell, no segment
                segment = Segment(text, segment.style, segment.control)
            safe.append(segment)
        return safe


SAFE_TEXT = SafeText()
