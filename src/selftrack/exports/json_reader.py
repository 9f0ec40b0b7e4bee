"""Reading a JSON export as a stream: one value at a time, with the place of each, so a big
file is checked as it is read and a problem is named on the line of the bad value.

Limits hold before anything is parsed: the file's size (IMPORT_MAX_BYTES), one value's size
(VALUE_MAX_CHARS), and the nesting the decoder can follow (deeper is refused at its line,
never a crash). A key that appears twice in an object is refused wherever it is.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

from selftrack.domain.text import printable
from selftrack.errors import SelftrackError

CHUNK_BYTES = 1 << 20
IMPORT_MAX_BYTES = 256 << 20  # ten years of daily sessions export to about 140 MB
VALUE_MAX_CHARS = 64 << 20  # one session (notes of 20,000 characters on every spot fit)

_WHITESPACE = re.compile(r"[ \t\n\r]*")
HEADER_KEYS = (
    "format", "version", "exported_at", "selection", "spot_definitions", "sessions",
    # versions 2 and 3: the outcome records (selftrack.exports.json_schema.OUTCOME_KEYS)
    "psfs_activities", "checkins", "weekly_forms", "screenings", "conditions", "soreness_answers",
)  # fmt: skip


class ImportRefused(SelftrackError, ValueError):
    """A file that cannot be imported; the message names the first problem and where it is."""


def _reject_constant(name: str):
    raise ValueError(f"{name} is not allowed in JSON")


class DuplicateKey(ValueError):
    """A key that appears twice in one object."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique_pairs(pairs: list) -> dict:
    found = dict(pairs)
    if len(found) != len(pairs):
        seen: set = set()
        for key, _value in pairs:
            if key in seen:
                raise DuplicateKey(key)
            seen.add(key)
    return found


_DECODER = json.JSONDecoder(parse_constant=_reject_constant)
_STRICT_DECODER = json.JSONDecoder(parse_constant=_reject_constant, object_pairs_hook=_unique_pairs)


class Span:
    """Where one value is in the reader's buffer (valid until the reader reads on)."""

    __slots__ = ("reader", "start", "end")

    def __init__(self, reader: Reader, start: int, end: int) -> None:
        self.reader, self.start, self.end = reader, start, end

    def line_of(self, loc: tuple) -> int:
        """The line of the value at `loc` inside this one (the nearest enclosing one found)."""
        return self.reader.line_of(locate(self.reader.buf, self.start, loc))

    def first_line(self) -> int:
        """The line the value starts on."""
        return self.reader.line_of(self.start)


class Reader:
    """Reads one JSON document piece by piece, keeping line numbers for messages."""

    def __init__(self, handle, path: Path, progress: Callable[[int], None] | None) -> None:
        self.handle = handle
        self.path = path
        self.progress = progress
        self.decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self.buf = ""
        self.pos = 0
        self.dropped = 0  # characters dropped from the front of buf so far
        self.counted_pos = 0  # newlines are counted up to here in buf ...
        self.counted_lines = 0  # ... and there were this many before it in the file
        self.bytes_read = 0
        self.eof = False
        self.value_start = 0  # where the value being read (or last read) starts in buf

    def more(self) -> bool:
        """Append the next chunk to the buffer; False at the end of the file."""
        if self.eof:
            return False
        try:
            data = self.handle.read(CHUNK_BYTES)
        except OSError as exc:
            raise ImportRefused(f"{self.path}: cannot read: {exc.strerror or exc}; nothing was imported") from None
        try:
            text = self.decoder.decode(data, final=not data)
        except UnicodeDecodeError as exc:
            where = self.bytes_read + exc.start
            raise ImportRefused(f"{self.path}: not UTF-8 text (byte {where}); nothing was imported") from None
        self.bytes_read += len(data)
        if self.bytes_read > IMPORT_MAX_BYTES:
            raise self.too_big()
        self.eof = not data
        if self.pos:
            self.line_of(self.pos)
            self.counted_pos -= self.pos
            self.value_start = max(0, self.value_start - self.pos)
            self.dropped += self.pos
            self.buf = self.buf[self.pos :]
            self.pos = 0
        if len(self.buf) > VALUE_MAX_CHARS:
            line, _column = self.where()
            raise ImportRefused(
                f"{self.path}:{line}: one value is longer than {VALUE_MAX_CHARS:,} characters "
                "(no session is that long); nothing was imported"
            )
        self.buf += text
        if self.progress:
            self.progress(self.bytes_read)
        return True

    def too_big(self) -> ImportRefused:
        return ImportRefused(
            f"{self.path}: larger than {IMPORT_MAX_BYTES >> 20} MB, the most one import takes "
            "(export a shorter period with --from/--to, and import each); nothing was imported"
        )

    def line_of(self, pos: int) -> int:
        """The line (from 1) of a buffer position; positions are asked for in order, mostly."""
        if pos < self.counted_pos:
            self.counted_lines -= self.buf.count("\n", pos, self.counted_pos)
        else:
            self.counted_lines += self.buf.count("\n", self.counted_pos, pos)
        self.counted_pos = pos
        return self.counted_lines + 1

    def where(self, pos: int | None = None) -> tuple[int, int]:
        """(line, column), both from 1, of a buffer position."""
        pos = self.pos if pos is None else pos
        column = pos - (self.buf.rfind("\n", 0, pos) + 1) + 1
        return self.line_of(pos), column

    def refuse(self, message: str, pos: int | None = None) -> ImportRefused:
        line, column = self.where(pos)
        return ImportRefused(
            f"{self.path}:{line}:{column}: not valid JSON: {message}; nothing was imported"
        )

    def peek(self) -> str:
        """The next character that is not white space ('' at the end)."""
        while True:
            self.pos = _WHITESPACE.match(self.buf, self.pos).end()
            if self.pos < len(self.buf) or not self.more():
                return self.buf[self.pos : self.pos + 1]

    def expect(self, allowed: str, what: str) -> str:
        char = self.peek()
        if not char:
            raise self.refuse("the file ends in the middle (is it complete?)")
        if char not in allowed:
            raise self.refuse(f"expected {what}")
        self.pos += 1
        return char

    def value(self, decoder: json.JSONDecoder = _DECODER):
        """Decode the next complete JSON value (it starts at `value_start` in the buffer)."""
        self.peek()
        self.value_start = self.pos
        last = None
        while True:
            try:
                value, end = decoder.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                seen = (exc.msg, self.dropped + exc.pos)
                unterminated = exc.msg.startswith("Unterminated string")
                if self.eof or (seen == last and not unterminated) or not self.more():
                    if not self.buf[exc.pos :].strip() or unterminated:
                        raise self.refuse("the file ends in the middle (is it complete?)", exc.pos) from None
                    raise self.refuse(exc.msg[0].lower() + exc.msg[1:], exc.pos) from None
                last = seen
                continue
            except RecursionError:
                raise self.refuse(
                    "lists or objects nested too deeply (this format needs five levels)",
                    _deep_position(self.buf, self.pos),
                ) from None
            except DuplicateKey as twice:
                line, column = self.where(find_duplicate(self.buf, self.pos, twice.key))
                raise ImportRefused(
                    f'{self.path}:{line}:{column}: the key "{printable(twice.key)}" appears twice in one '
                    "object (which of its values counts is unclear); nothing was imported"
                ) from None
            except ValueError as exc:
                raise self.refuse(str(exc)) from None
            if end == len(self.buf) and not self.eof and self.more():
                continue  # a number may go on in the next chunk
            self.pos = end
            return value


def walk(reader: Reader, on_header, on_session) -> None:
    """Read the document: each top-level value but the sessions goes to `on_header(key, value,
    span)` as soon as it is read, each session to `on_session(value, index, span)`."""
    if reader.peek() != "{":
        raise ImportRefused(
            f"{reader.path}: not a selftrack export: the file is not a JSON object; nothing was imported"
        )
    reader.expect("{", "{")
    seen: set[str] = set()
    if reader.peek() == "}":
        reader.pos += 1
    else:
        while True:
            if reader.peek() != '"':
                raise reader.refuse("expected a key in double quotes")
            key_pos = reader.pos
            key = reader.value()
            if key in seen:
                raise reader.refuse(f'the key "{printable(key)}" appears twice', key_pos)
            seen.add(key)
            if key not in HEADER_KEYS:
                line, _col = reader.where(key_pos)
                raise ImportRefused(
                    f'{reader.path}:{line}: unexpected key "{printable(key)}" at the top level '
                    f"(expected {', '.join(HEADER_KEYS)}); nothing was imported"
                )
            reader.expect(":", "':'")
            if key == "sessions":
                _sessions(reader, on_session)
            else:
                value = reader.value(_STRICT_DECODER)
                on_header(key, value, Span(reader, reader.value_start, reader.pos))
            if reader.expect(",}", "',' or '}'") == "}":
                break
    if reader.peek():
        raise reader.refuse("extra data after the end of the document")
    if "sessions" not in seen:
        raise ImportRefused(f'{reader.path}: no "sessions" list; nothing was imported')


def _sessions(reader: Reader, on_session) -> None:
    reader.expect("[", "'[' to start the sessions list")
    if reader.peek() == "]":
        reader.pos += 1
        return
    index = 0
    while True:
        value = reader.value(_STRICT_DECODER)  # a key twice in any object is refused
        on_session(value, index, Span(reader, reader.value_start, reader.pos))
        index += 1
        if reader.expect(",]", "',' or ']'") == "]":
            return


# -- places in a value, found only when there is a problem to name ---------------------------


def locate(text: str, start: int, loc: tuple) -> int:
    """The position in `text` of the value at path `loc` inside the JSON value at `start`
    (the key, for a key that should not be there; the enclosing value when the path ends)."""
    pos = _skip_space(text, start)
    for part in loc:
        char = text[pos : pos + 1]
        if char == "{" and isinstance(part, str):
            found = None
            for key, key_pos, value_pos in _members(text, pos):
                if key == part:
                    found = (key_pos, value_pos)
            if found is None:
                return pos
            pos = found[1]
        elif char == "[" and isinstance(part, int):
            for number, item_pos in enumerate(_items(text, pos)):
                if number == part:
                    pos = item_pos
                    break
            else:
                return pos
        else:
            return pos
    return pos


def _skip_space(text: str, pos: int) -> int:
    return _WHITESPACE.match(text, pos).end()


def _members(text: str, pos: int) -> Iterator[tuple[str, int, int]]:
    """(key, key position, value position) of each member of the object at `pos`."""
    pos = _skip_space(text, pos + 1)
    if text[pos : pos + 1] == "}":
        return
    while True:
        key_pos = pos
        key, pos = _DECODER.raw_decode(text, pos)
        pos = _skip_space(text, pos)
        pos = _skip_space(text, pos + 1)  # the ':'
        value_pos = pos
        yield key, key_pos, value_pos
        pos = _skip_space(text, _value_end(text, pos))
        if text[pos : pos + 1] != ",":
            return
        pos = _skip_space(text, pos + 1)


def _items(text: str, pos: int) -> Iterator[int]:
    """The position of each item of the list at `pos`."""
    pos = _skip_space(text, pos + 1)
    if text[pos : pos + 1] == "]":
        return
    while True:
        yield pos
        pos = _skip_space(text, _value_end(text, pos))
        if text[pos : pos + 1] != ",":
            return
        pos = _skip_space(text, pos + 1)


def _value_end(text: str, pos: int) -> int:
    try:
        return _DECODER.raw_decode(text, pos)[1]
    except (ValueError, RecursionError):
        return len(text)


def find_duplicate(text: str, start: int, key: str) -> int:
    """The position of the second appearance of `key` in one object of the value at
    `start` (walked without recursion); `start` when not found."""
    pending = [_skip_space(text, start)]
    while pending:
        pos = pending.pop()
        char = text[pos : pos + 1]
        if char == "{":
            seen: set[str] = set()
            children = []
            for member, key_pos, value_pos in _members_tolerant(text, pos):
                if member == key and member in seen:
                    return key_pos
                seen.add(member)
                children.append(value_pos)
            pending.extend(reversed(children))
        elif char == "[":
            pending.extend(reversed(list(_items_tolerant(text, pos))))
    return start


def _members_tolerant(text: str, pos: int) -> Iterator[tuple[str, int, int]]:
    """Like _members, over text whose objects may repeat keys (values skipped by structure)."""
    pos = _skip_space(text, pos + 1)
    if text[pos : pos + 1] == "}":
        return
    while pos < len(text):
        key_pos = pos
        key, pos = _DECODER.raw_decode(text, pos)
        pos = _skip_space(text, _skip_space(text, pos) + 1)
        yield key, key_pos, pos
        pos = _skip_space(text, _skip_value(text, pos))
        if text[pos : pos + 1] != ",":
            return
        pos = _skip_space(text, pos + 1)


def _items_tolerant(text: str, pos: int) -> Iterator[int]:
    pos = _skip_space(text, pos + 1)
    if text[pos : pos + 1] == "]":
        return
    while pos < len(text):
        yield pos
        pos = _skip_space(text, _skip_value(text, pos))
        if text[pos : pos + 1] != ",":
            return
        pos = _skip_space(text, pos + 1)


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def _skip_value(text: str, pos: int) -> int:
    """The end of the value at `pos`, found by its brackets and strings (keys may repeat)."""
    char = text[pos : pos + 1]
    if char not in "[{":
        return _value_end(text, pos)
    depth = 0
    while pos < len(text):
        char = text[pos]
        if char == '"':
            found = _STRING.match(text, pos)
            pos = found.end() if found else len(text)
            continue
        if char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
            if depth == 0:
                return pos + 1
        pos += 1
    return pos


def _deep_position(text: str, start: int, deepest: int = 100) -> int:
    """The position where lists and objects first nest `deepest` levels down (strings
    skipped); `start` when they never do."""
    depth, pos = 0, start
    while pos < len(text):
        char = text[pos]
        if char == '"':
            found = _STRING.match(text, pos)
            pos = found.end() if found else len(text)
            continue
        if char in "[{":
            depth += 1
            if depth >= deepest:
                return pos
        elif char in "]}":
            depth -= 1
        pos += 1
    return start
