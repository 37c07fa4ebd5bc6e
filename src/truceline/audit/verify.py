"""Offline verification of an exported audit log (no database, no network).

Given the export file and the verifier's own copy of the public keys, check:
every entry is in place (seq 0, 1, 2, … with no gap or swap) and its leaf hash
is that of its canonical text; every checkpoint parses, names the log's origin,
is signed by a trusted log key valid at its time, carries only valid
cosignatures from trusted witness keys, and has the root hash recomputed from
the entries up to its size; the last checkpoint covers every entry; and any
checkpoint the verifier kept from earlier (``trusted_notes``) agrees with the
export, so history was not rewritten since. Every error names the entry seq or
the checkpoint (its position in the file and its size).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from truceline.audit.hashing import leaf_hash
from truceline.audit.merkle import EMPTY_ROOT, Frontier
from truceline.audit.notes import (
    Checkpoint,
    Note,
    NoteError,
    PublicKey,
    parse_checkpoint_body,
    parse_note,
    parse_public_keys,
    verify_cosignature,
    verify_note_signature,
)

FORMAT = "truceline-audit-log"
MAX_ERRORS = 100


@dataclass
class VerifyReport:
    entries: int = 0
    errors: list[str] = field(default_factory=list)
    checkpoints: int = 0

    @property
    def valid(self) -> bool:
        return not self.errors

    def add(self, message: str) -> None:
        self.errors.append(message)

    def as_json(self) -> dict[str, Any]:
        errors = self.errors[:MAX_ERRORS]
        if len(self.errors) > MAX_ERRORS:
            errors.append(f"... and {len(self.errors) - MAX_ERRORS} more errors")
        return {"valid": self.valid, "entries": self.entries, "errors": errors}


@dataclass
class _Parsed:
    header: dict[str, Any] = field(default_factory=dict)
    embedded_keys: list[PublicKey] = field(default_factory=list)
    entries: int = 0
    notes: list[str] = field(default_factory=list)


def verify_export(
    source: str | Path,
    keys: Sequence[PublicKey] | None = None,
    trusted_notes: Sequence[str] = (),
) -> VerifyReport:
    """Check an export (its text, or a path to stream from).

    ``keys=None`` trusts the keys embedded in the file, which checks integrity
    but not who signed. A path is read twice, line by line (checkpoints first,
    then entries), so memory stays O(log n) whatever the size of the log.
    """
    report = VerifyReport()
    lines = _line_source(source)
    parsed = _parse_lines(lines(), report)
    origin = str(parsed.header.get("origin", ""))
    report.entries = parsed.entries
    report.checkpoints = len(parsed.notes)
    _check_counts(parsed, report)
    checkpoints = [
        _read_checkpoint(n, note, origin, report) for n, note in enumerate(parsed.notes, 1)
    ]
    kept = [_read_checkpoint(0, note, origin, report) for note in trusted_notes]
    sizes = {cp.size for _, cp in filter(None, [*checkpoints, *kept])}
    roots = _recompute_roots(lines(), sizes, report)
    trusted = list(keys) if keys is not None else parsed.embedded_keys
    for number, item in enumerate(checkpoints, start=1):
        if item is not None:
            _check_checkpoint(number, item, roots, trusted, origin, report)
    _check_order_and_coverage(checkpoints, parsed.entries, report)
    for item in kept:
        if item is not None:
            _check_kept(item[1], roots, report)
    return report


def _line_source(source: str | Path) -> Callable[[], Iterator[str]]:
    if isinstance(source, Path):

        def from_file() -> Iterator[str]:
            with source.open(encoding="utf-8", errors="replace", newline="\n") as handle:
                for line in handle:
                    yield line.rstrip("\n")

        return from_file
    return lambda: iter(source.splitlines())


#: Records that carry what findings were computed from (``truceline.agreements.provenance``).
SUPPLEMENTS = ("agreement", "findings")


def _parse_lines(lines: Iterable[str], report: VerifyReport) -> _Parsed:
    parsed = _Parsed()
    for number, line in enumerate(lines, start=1):
        try:
            record = json.loads(line)
            kind = record["type"]
        except (ValueError, TypeError, KeyError):
            report.add(
                f"line {number}: not a JSON object with a 'type' (file damaged or truncated)"
            )
            continue
        if number == 1:
            if kind != "header" or record.get("format") != FORMAT:
                report.add(f"line 1: not a {FORMAT} header")
            parsed.header = record
        elif kind == "keys":
            parsed.embedded_keys = _embedded_keys(record, report)
        elif kind == "entry":
            parsed.entries += 1
        elif kind == "checkpoint":
            parsed.notes.append(str(record.get("note", "")))
        elif kind in SUPPLEMENTS:
            continue  # checked against the entries by `audit reproduce`
        else:
            report.add(f"line {number}: unknown record type {kind!r}")
    return parsed


def _embedded_keys(record: dict[str, Any], report: VerifyReport) -> list[PublicKey]:
    try:
        return parse_public_keys(json.dumps(record))
    except NoteError as exc:
        report.add(f"keys record: {exc}")
        return []


def _check_counts(parsed: _Parsed, report: VerifyReport) -> None:
    for what, found in (("entries", parsed.entries), ("checkpoints", len(parsed.notes))):
        announced = parsed.header.get(what)
        if announced != found:
            report.add(f"header announces {announced} {what} but the file has {found} (truncated?)")


def _recompute_roots(
    lines: Iterable[str], sizes: set[int], report: VerifyReport
) -> dict[int, bytes]:
    """Second pass: hash every entry in order, keeping the roots at the checkpointed sizes."""
    roots = {0: EMPTY_ROOT}
    frontier = Frontier()
    for line in lines:
        try:
            entry = json.loads(line)
        except ValueError:
            continue  # reported by the first pass
        if not isinstance(entry, dict) or entry.get("type") != "entry":
            continue
        frontier.append(_checked_leaf(frontier.size, entry, report))
        if frontier.size in sizes:
            roots[frontier.size] = frontier.root()
    return roots


def _checked_leaf(position: int, entry: dict[str, Any], report: VerifyReport) -> bytes:
    seq, canonical = entry.get("seq"), str(entry.get("canonical", ""))
    if seq != position:
        report.add(f"entry seq {seq} found at position {position}: entries missing or out of order")
    digest = leaf_hash(canonical.encode())
    if digest.hex() != entry.get("leaf_hash"):
        report.add(f"entry seq {seq}: leaf hash does not match its canonical content")
    try:
        is_object = isinstance(json.loads(canonical), dict)
    except ValueError:
        is_object = False
    if not is_object:
        report.add(f"entry seq {seq}: canonical content is not a JSON object")
    return digest


def _read_checkpoint(
    number: int, text: str, origin: str, report: VerifyReport
) -> tuple[Note, Checkpoint] | None:
    label = f"checkpoint #{number}" if number else "trusted checkpoint"
    try:
        note = parse_note(text)
        checkpoint = parse_checkpoint_body(note.body)
    except NoteError as exc:
        report.add(f"{label}: {exc}")
        return None
    if checkpoint.origin != origin:
        report.add(
            f"{label} (size {checkpoint.size}): origin {checkpoint.origin!r} is not {origin!r}"
        )
    return note, checkpoint


def _check_checkpoint(
    number: int,
    item: tuple[Note, Checkpoint],
    roots: dict[int, bytes],
    keys: Sequence[PublicKey],
    origin: str,
    report: VerifyReport,
) -> None:
    note, checkpoint = item
    label = f"checkpoint #{number} (size {checkpoint.size})"
    root = roots.get(checkpoint.size)
    if root is None:
        report.add(f"{label}: covers entries the file does not have")
    elif root != checkpoint.root_hash:
        report.add(f"{label}: root hash does not match entries 0..{checkpoint.size - 1}")
    if not _has_trusted_log_signature(note, checkpoint, keys, origin, label, report):
        when = datetime.fromtimestamp(checkpoint.timestamp, UTC).isoformat()
        report.add(f"{label}: no valid signature by a trusted log key valid at {when}")
    _check_cosignatures(note, keys, origin, label, report)


def _has_trusted_log_signature(
    note: Note,
    checkpoint: Checkpoint,
    keys: Sequence[PublicKey],
    origin: str,
    label: str,
    report: VerifyReport,
) -> bool:
    found = False
    for signature in note.signatures:
        for key in keys:
            if key.name != origin or signature.key_id != key.note_key_id:
                continue
            if not verify_note_signature(note.body, signature, key):
                report.add(f"{label}: signature by {key.name} ({key.note_key_id.hex()}) is invalid")
            elif not key.valid_at(checkpoint.timestamp):
                report.add(f"{label}: signed by {key.note_key_id.hex()} outside its validity")
            else:
                found = True
    return found


def _check_cosignatures(
    note: Note, keys: Sequence[PublicKey], origin: str, label: str, report: VerifyReport
) -> None:
    for signature in note.signatures:
        for key in keys:
            if key.name == origin or signature.key_id != key.cosignature_key_id:
                continue
            cosigned_at = verify_cosignature(note.body, signature, key)
            if cosigned_at is None:
                report.add(f"{label}: cosignature by witness {key.name} is invalid")
            elif not key.valid_at(cosigned_at):
                report.add(f"{label}: cosigned by witness {key.name} outside its key's validity")


def _check_order_and_coverage(
    checkpoints: list[tuple[Note, Checkpoint] | None], entries: int, report: VerifyReport
) -> None:
    previous: Checkpoint | None = None
    for number, item in enumerate(checkpoints, start=1):
        if item is None:
            continue
        current = item[1]
        if previous is not None and (
            current.size < previous.size or current.timestamp < previous.timestamp
        ):
            report.add(f"checkpoint #{number} (size {current.size}) goes back from the one before")
        previous = current
    covered = max((item[1].size for item in checkpoints if item is not None), default=0)
    if covered < entries:
        report.add(f"entries seq {covered}..{entries - 1} are not covered by a signed checkpoint")


def _check_kept(checkpoint: Checkpoint, roots: dict[int, bytes], report: VerifyReport) -> None:
    root = roots.get(checkpoint.size)
    label = f"trusted checkpoint (size {checkpoint.size})"
    if root is None:
        report.add(f"{label}: the export has fewer entries: the log was truncated")
    elif root != checkpoint.root_hash:
        report.add(f"{label}: the export has a different history up to that size")
