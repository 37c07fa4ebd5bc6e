"""Reading CSV files as a stream of located rows, without trusting their encoding.

Files are read as bytes and decoded line by line, so that an invalid UTF-8
byte is reported with its byte offset and only the row holding it is
rejected. Memory stays flat: one physical line and one CSV record at a time.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, cast

#: Largest field accepted (the csv module's default limit is 128 KiB).
MAX_FIELD_BYTES = 4 * 1024 * 1024
csv.field_size_limit(MAX_FIELD_BYTES)


@dataclass(slots=True)
class ByteLines:
    """Decoded lines of a binary file, remembering where invalid UTF-8 was found.

    ``bad_bytes`` maps a physical line number (from 1) to ``(byte offset,
    byte value)`` of the first invalid byte on that line; the undecodable
    bytes are replaced so that CSV parsing can go on to the next row.
    """

    stream: BinaryIO
    on_progress: Callable[[int], None] | None = None
    line_number: int = 0
    offset: int = 0
    bad_bytes: dict[int, tuple[int, int]] = field(default_factory=dict)

    def __iter__(self) -> Iterator[str]:
        for raw in self.stream:
            self.line_number += 1
            if self.line_number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
                self.offset += 3
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                self.bad_bytes[self.line_number] = (self.offset + error.start, raw[error.start])
                line = raw.decode("utf-8", "replace")
            self.offset += len(raw)
            if self.on_progress is not None:
                self.on_progress(len(raw))
            yield line


@dataclass(slots=True)
class CsvRecord:
    """One CSV record: its data-row number, the physical lines it spans, and its fields."""

    row: int
    first_line: int
    last_line: int
    fields: list[str]


@dataclass(slots=True)
class CsvProblem:
    """A record that could not be parsed or decoded."""

    row: int
    reason: str


GZIP_MAGIC = b"\x1f\x8b"


def is_gzip(path: Path) -> bool:
    with path.open("rb") as stream:
        return stream.read(2) == GZIP_MAGIC


@contextmanager
def open_binary(path: Path) -> Iterator[BinaryIO]:
    """Open a file for reading UTF-8 bytes, decompressing gzip (``.gz``) and recoding UTF-16.

    Spreadsheet programs save "Unicode text" as UTF-16: it is recognised by its
    byte-order mark (or by the zero bytes of ASCII text without one) and recoded
    to UTF-8 on the fly, so readers see the same bytes as for a UTF-8 file.
    """
    with path.open("rb") as raw:
        if raw.peek(2)[:2] == GZIP_MAGIC:
            with gzip.GzipFile(fileobj=raw, mode="rb") as unpacked:
                yield _as_utf8(cast(BinaryIO, unpacked))
        else:
            yield _as_utf8(raw)


def utf16_encoding(start: bytes) -> str | None:
    """The UTF-16 codec for a file starting with ``start``, or None for anything else."""
    if start.startswith((b"\xff\xfe", b"\xfe\xff")) and not start.startswith(b"\xff\xfe\x00\x00"):
        return "utf-16"  # the codec reads the byte-order mark itself
    if len(start) >= 4 and start[1] == 0 and start[3] == 0 and start[0] and start[2]:
        return "utf-16-le"
    if len(start) >= 4 and start[0] == 0 and start[2] == 0 and start[1] and start[3]:
        return "utf-16-be"
    return None


def _as_utf8(stream: BinaryIO) -> BinaryIO:
    encoding = utf16_encoding(cast(io.BufferedReader, stream).peek(4)[:4])
    if encoding is None:
        return stream
    return cast(BinaryIO, io.BufferedReader(_Recoded(stream, encoding)))


class _Recoded(io.RawIOBase):
    """UTF-8 bytes of a stream in another encoding; a decoding error names that encoding."""

    def __init__(self, stream: BinaryIO, encoding: str) -> None:
        self.encoding = encoding
        self.text = io.TextIOWrapper(stream, encoding=encoding, errors="strict", newline="")
        self.pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self.pending:
            try:
                chunk = self.text.read(64 * 1024)
            except UnicodeDecodeError as error:
                raise UnicodeError(f"the file is {self.encoding.upper()}, but {error}") from None
            if not chunk:
                return 0
            self.pending = chunk.encode("utf-8")
        size = min(len(buffer), len(self.pending))
        buffer[:size] = self.pending[:size]
        self.pending = self.pending[size:]
        return size


def read_csv(
    path: Path, *, on_progress: Callable[[int], None] | None = None
) -> Iterator[CsvRecord | CsvProblem]:
    """Yield the header (row 0) and then each data record (rows from 1) of a CSV file.

    Malformed quoting and invalid UTF-8 give a ``CsvProblem`` for that record,
    and reading continues with the next one.
    """
    with open_binary(path) as stream:
        lines = ByteLines(stream, on_progress)
        reader = csv.reader(iter(lines), strict=True)
        row = -1
        while True:
            first_line = lines.line_number + 1
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                row += 1
                yield CsvProblem(row, f"malformed CSV at line {reader.line_num}: {error}")
                continue
            row += 1
            if not fields:
                row -= 1  # blank lines are not rows
                continue
            problem = _bad_byte_problem(lines, row, first_line, lines.line_number)
            yield problem or CsvRecord(row, first_line, lines.line_number, fields)


def _bad_byte_problem(lines: ByteLines, row: int, first: int, last: int) -> CsvProblem | None:
    for line in range(first, last + 1):
        found = lines.bad_bytes.pop(line, None)
        if found is not None:
            offset, value = found
            return CsvProblem(
                row, f"invalid UTF-8 byte 0x{value:02X} at byte offset {offset} (line {line})"
            )
    return None


def check_header(
    header: list[str], *, known: frozenset[str], required: frozenset[str], format_name: str
) -> list[str]:
    """Problems with a header: unknown, duplicated or missing columns, each located."""
    problems: list[str] = []
    seen: set[str] = set()
    for position, name in enumerate(header, start=1):
        if name in seen:
            problems.append(f"column {position} {name!r} appears twice in the header")
        elif name not in known:
            problems.append(f"unknown column {name!r} (column {position}) for {format_name}")
        seen.add(name)
    missing = sorted(required - seen)
    if missing:
        problems.append(f"missing required column(s) for {format_name}: {', '.join(missing)}")
    return problems
