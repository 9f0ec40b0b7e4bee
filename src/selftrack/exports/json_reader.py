"""Reading a JSON export as a stream: one value at a time, with the line of each, so a big
file is checked as it is read and a problem is named where it is."""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Callable
from pathlib import Path

from selftrack.domain.records import SpotDefinition
from selftrack.errors import SelftrackError
from selftrack.exports.json_export import FORMAT_NAME, FORMAT_VERSION
from selftrack.exports.json_schema import Bad, spot_definition

CHUNK_BYTES = 1 << 20

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_HEADER_KEYS = ("format", "version", "exported_at", "selection", "spot_definitions", "sessions")

class ImportRefused(SelftrackError, ValueError):
    """A file that cannot be imported; the message names the first problem and where it is."""


def _reject_constant(name: str):
    raise ValueError(f"{name} is not allowed in JSON")


_DECODER = json.JSONDecoder(parse_constant=_reject_constant)

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

    def more(self) -> bool:
        """Append the next chunk to the buffer; False at the end of the file."""
        if self.eof:
            return False
        data = self.handle.read(CHUNK_BYTES)
        try:
            text = self.decoder.decode(data, final=not data)
        except UnicodeDecodeError as exc:
            where = self.bytes_read + exc.start
            raise ImportRefused(f"{self.path}: not UTF-8 text (byte {where}); nothing was imported") from None
        self.bytes_read += len(data)
        self.eof = not data
        if self.pos:
            self.line_of(self.pos)
            self.counted_pos -= self.pos
            self.dropped += self.pos
            self.buf = self.buf[self.pos :]
            self.pos = 0
        self.buf += text
        if self.progress:
            self.progress(self.bytes_read)
        return True

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

    def value(self):
        """Decode the next complete JSON value."""
        self.peek()
        last = None
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                seen = (exc.msg, self.dropped + exc.pos)
                unterminated = exc.msg.startswith("Unterminated string")
                if self.eof or (seen == last and not unterminated) or not self.more():
                    if not self.buf[exc.pos :].strip() or unterminated:
                        raise self.refuse("the file ends in the middle (is it complete?)", exc.pos) from None
                    raise self.refuse(exc.msg[0].lower() + exc.msg[1:], exc.pos) from None
                last = seen
                continue
            except ValueError as exc:
                raise self.refuse(str(exc)) from None
            if end == len(self.buf) and not self.eof and self.more():
                continue  # a number may go on in the next chunk
            self.pos = end
            return value


def walk(reader: Reader, header: dict, on_session) -> bool:
    """Read the document; header values go into `header`, each session to `on_session`.

    Returns False when the sessions came before the header was complete (they were only
    checked as JSON then, and need a second pass).
    """
    if reader.peek() != "{":
        raise ImportRefused(
            f"{reader.path}: not a selftrack export: the file is not a JSON object; nothing was imported"
        )
    reader.expect("{", "{")
    processed = True
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
                raise reader.refuse(f'the key "{key}" appears twice', key_pos)
            seen.add(key)
            if key not in _HEADER_KEYS:
                line, _col = reader.where(key_pos)
                raise ImportRefused(
                    f'{reader.path}:{line}: unexpected key "{key}" at the top level '
                    f"(expected {', '.join(_HEADER_KEYS)}); nothing was imported"
                )
            reader.expect(":", "':'")
            if key == "sessions":
                ready = _header_ready(header, reader.path)
                processed = ready
                _sessions(reader, on_session if ready else None)
            else:
                header[key] = reader.value()
                _check_header_value(key, header[key], reader.path)
            if reader.expect(",}", "',' or '}'") == "}":
                break
    if reader.peek():
        raise reader.refuse("extra data after the end of the document")
    if "sessions" not in seen:
        raise ImportRefused(f'{reader.path}: no "sessions" list; nothing was imported')
    if not _header_ready(header, reader.path):
        missing = [k for k in ("format", "version", "spot_definitions") if k not in header]
        raise ImportRefused(
            f"{reader.path}: not a selftrack export: no {', '.join(repr(m) for m in missing)}; "
            "nothing was imported"
        )
    return processed


def _sessions(reader: Reader, on_session) -> None:
    reader.expect("[", "'[' to start the sessions list")
    if reader.peek() == "]":
        reader.pos += 1
        return
    index = 0
    while True:
        reader.peek()
        line, _col = reader.where()
        value = reader.value()
        if on_session is not None:
            on_session(value, index, line)
        index += 1
        if reader.expect(",]", "',' or ']'") == "]":
            return


def _check_header_value(key: str, value, path: Path) -> None:
    if key == "format" and value != FORMAT_NAME:
        raise ImportRefused(
            f"{path}: not a selftrack export (format is {value!r}, expected {FORMAT_NAME!r}); "
            "nothing was imported"
        )
    if key == "version" and (type(value) is not int or value != FORMAT_VERSION):
        raise ImportRefused(
            f"{path}: format version {value!r} is not supported (this selftrack reads version "
            f"{FORMAT_VERSION}); nothing was imported"
        )
    if key == "spot_definitions" and not isinstance(value, dict):
        raise ImportRefused(f"{path}: spot_definitions must be an object; nothing was imported")


def _header_ready(header: dict, path: Path) -> bool:
    """True once format, version and spot definitions are known (and checked)."""
    if not all(k in header for k in ("format", "version", "spot_definitions")):
        return False
    if "_definitions" not in header:
        definitions: dict[str, SpotDefinition] = {}
        for key, data in header["spot_definitions"].items():
            try:
                spec = spot_definition(data)
            except Bad as bad:
                raise ImportRefused(
                    f"{path}: spot_definitions[{key!r}]{bad.where}: {bad.message}; nothing was imported"
                ) from None
            definitions[key] = SpotDefinition(spec, spec.digest)
        header["_definitions"] = definitions
    return True
