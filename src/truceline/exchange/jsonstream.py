"""Streaming reader for a JSON document whose big part is one array of objects.

``{"format": ..., "incidents": [ {...}, {...} ]}`` is read element by element
with ``json.JSONDecoder.raw_decode`` over a sliding text buffer, so a file of
any size needs memory for one element only. Errors are located by element
number, line and column. JSON has no way to find the next element after a
malformed one, so reading stops there and the elements before it are kept.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

CHUNK_CHARS = 1 << 16
#: One element larger than this is treated as malformed (protects memory).
MAX_ELEMENT_CHARS = 16 * 1024 * 1024


class JsonStreamError(ValueError):
    """The document is not valid JSON (or not the expected shape) at the stated place."""


@dataclass(slots=True)
class Element:
    """The ``index``-th element (from 1) of the streamed array, and the line it starts on."""

    index: int
    line: int
    value: Any


class ArrayStream:
    """Reads ``stream``: top-level members into ``header``, array elements as ``Element``s."""

    def __init__(
        self, stream: BinaryIO, *, array_key: str, on_progress: Callable[[int], None] | None = None
    ) -> None:
        self._stream = stream
        self._array_key = array_key
        self._on_progress = on_progress
        self._decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")
        self._json = json.JSONDecoder()
        self._buf = ""
        self._pos = 0
        self._lines_before = 0  # newlines in text already dropped from the buffer
        self._column_carry = 0  # characters of the current line already dropped
        self._eof = False
        self.header: dict[str, Any] = {}

    def elements(self) -> Iterator[Element]:
        """Each array element in order; raises ``JsonStreamError`` at the first malformed spot."""
        first = self._next_char("the document to start")
        if first == "[":
            yield from self._array()
        elif first == "{":
            yield from self._object()
        else:
            self._fail("expected '{' or '[' at the start of the document")
        if self._next_char(None) != "":
            self._fail("unexpected text after the end of the JSON document")

    def _object(self) -> Iterator[Element]:
        self._pos += 1
        if self._next_char("a key or '}'") == "}":
            self._pos += 1
            return
        while True:
            key = self._value("a key")
            if not isinstance(key, str):
                self._fail("expected a string key")
            self._expect(":")
            if key == self._array_key:
                if self._next_char("'['") != "[":
                    self._fail(f"{key!r} must be a JSON array")
                yield from self._array()
            else:
                self.header[key] = self._value(f"the value of {key!r}")
            if self._separator("}") == "}":
                return

    def _array(self) -> Iterator[Element]:
        self._pos += 1
        if self._next_char("an element or ']'") == "]":
            self._pos += 1
            return
        index = 0
        while True:
            index += 1
            self._next_char("an element")
            line = self._line_at(self._pos)
            yield Element(index, line, self._value(f"element {index}"))
            self._compact()
            if self._separator("]") == "]":
                return

    def _separator(self, closer: str) -> str:
        char = self._next_char(f"',' or '{closer}'")
        if char not in (",", closer):
            self._fail(f"expected ',' or '{closer}'")
        self._pos += 1
        return char

    def _expect(self, char: str) -> None:
        if self._next_char(repr(char)) != char:
            self._fail(f"expected {char!r}")
        self._pos += 1

    def _value(self, what: str) -> Any:
        self._next_char(what)
        while True:
            try:
                value, end = self._json.raw_decode(self._buf, self._pos)
            except json.JSONDecodeError as error:
                if self._eof or len(self._buf) - self._pos > MAX_ELEMENT_CHARS:
                    self._fail(f"malformed {what}: {error.msg}", at=error.pos)
                self._read(max(CHUNK_CHARS, len(self._buf) - self._pos))
                continue
            if end == len(self._buf) and not self._eof and not isinstance(value, (dict, list, str)):
                self._read(CHUNK_CHARS)  # a number may continue in the next chunk
                continue
            self._pos = end
            return value

    def _next_char(self, what: str | None) -> str:
        """Skip whitespace; the next character, or '' at the end (an error if ``what`` is due)."""
        while True:
            while self._pos < len(self._buf) and self._buf[self._pos] in " \t\r\n":
                self._pos += 1
            if self._pos < len(self._buf):
                return self._buf[self._pos]
            if self._eof:
                if what is not None:
                    self._fail(f"the file ends where {what} was expected")
                return ""
            self._read(CHUNK_CHARS)

    def _read(self, chars: int) -> None:
        data = self._stream.read(chars)
        if self._on_progress is not None and data:
            self._on_progress(len(data))
        self._eof = not data
        self._buf += self._decoder.decode(data, final=self._eof)

    def _compact(self) -> None:
        if self._pos > CHUNK_CHARS:
            self._lines_before += self._buf.count("\n", 0, self._pos)
            last_newline = self._buf.rfind("\n", 0, self._pos)
            if last_newline == -1:
                self._column_carry += self._pos
            else:
                self._column_carry = self._pos - last_newline - 1
            self._buf = self._buf[self._pos :]
            self._pos = 0

    def _line_at(self, pos: int) -> int:
        return self._lines_before + self._buf.count("\n", 0, pos) + 1

    def _fail(self, message: str, *, at: int | None = None) -> Any:
        pos = self._pos if at is None else at
        line = self._line_at(pos)
        last_newline = self._buf.rfind("\n", 0, pos)
        column = pos - last_newline if last_newline >= 0 else self._column_carry + pos + 1
        raise JsonStreamError(f"{message} (line {line}, column {column})")


def invalid_bytes(value: Any) -> str | None:
    """The first undecodable byte inside ``value``'s strings, as ``0xNN``, if any."""
    if isinstance(value, str):
        for char in value:
            if "\udc80" <= char <= "\udcff":
                return f"0x{ord(char) - 0xDC00:02X}"
        return None
    if isinstance(value, dict):
        items: Any = list(value.keys()) + list(value.values())
    elif isinstance(value, list):
        items = value
    else:
        return None
    for item in items:
        found = invalid_bytes(item)
        if found:
            return found
    return None
