"""Streaming import: records from a reader go into the database in transactional batches.

Each batch is one transaction: its new incidents, their reports and links are
inserted with bulk ``executemany`` statements (no ORM objects), and one audit
entry records the batch. Events already stored (same source event id or code)
are counted as duplicates and left untouched, so re-importing is harmless. If
the database refuses a batch, it is retried row by row under savepoints and
only the refused rows are rejected. Memory stays flat: one batch of rows plus
8 bytes per row for the within-file duplicate check.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from truceline.audit.actor import SYSTEM, Actor
from truceline.audit.log import append_entry
from truceline.audit.state import note_written
from truceline.db.base import utcnow
from truceline.db.engine import transaction
from truceline.exchange import acled, truceline_json, ucdp
from truceline.exchange.bulk import bulk_insert
from truceline.exchange.pipeline import read_in_batches
from truceline.exchange.records import ImportRecord, Rejection
from truceline.exchange.rejections import RejectionLog
from truceline.incidents.models import Incident, IncidentReportLink, Report

Reader = Callable[..., Iterator[ImportRecord | Rejection]]

READERS: dict[str, Reader] = {
    "ucdp-ged": ucdp.read_records,
    "acled": acled.read_records,
    "truceline-json": truceline_json.read_records,
}

DEFAULT_BATCH_SIZE = 1000


@dataclass
class ImportSummary:
    """What an import did; ``to_json`` is the ``truceline import --json`` document."""

    format: str
    path: str
    imported: int = 0
    duplicates: int = 0
    batches: int = 0
    rejected: RejectionLog = field(default_factory=RejectionLog)
    #: Why reading stopped before the end of the file (a corrupt .gz, a read error).
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "imported": self.imported,
            "duplicates": self.duplicates,
            **self.rejected.to_json(),
            "format": self.format,
            "path": self.path,
            "batches": self.batches,
            "error": self.error,
        }


class SeenIds:
    """Hashes of the ids met so far in one file, in sorted runs merged as they grow.

    Eight bytes per id instead of a Python set's ~70, so that a file of a
    million rows needs 8 MB for its duplicate check.
    """

    def __init__(self) -> None:
        self._runs: list[np.ndarray[Any, np.dtype[np.int64]]] = []

    def add(self, keys: Iterable[str]) -> None:
        run = np.sort(np.fromiter((hash(k) for k in keys), dtype=np.int64))
        while self._runs and self._runs[-1].size <= run.size:
            run = np.sort(np.concatenate((self._runs.pop(), run)), kind="mergesort")
        self._runs.append(run)

    def __contains__(self, key: str) -> bool:
        value = hash(key)
        for run in self._runs:
            index = int(np.searchsorted(run, value))
            if index < run.size and run[index] == value:
                return True
        return False


def import_file(
    engine: Engine,
    path: Path,
    file_format: str,
    *,
    actor: Actor = SYSTEM,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_progress: Callable[[int], None] | None = None,
    background: bool | None = None,
    rejections: RejectionLog | None = None,
) -> ImportSummary:
    """Import one file; returns counts and the rejected rows with their reasons.

    ``background`` reads the file in a helper process (default: for large files).
    ``rejections`` says how many rejections to keep and where to stream the rest
    (default: the first 1,000, the rest to ``<file>.rejected.jsonl``). A file that
    cannot be read to its end (a corrupt or truncated ``.gz``) stops the import:
    the batches stored before stay, and ``error`` names the file and the problem.
    """
    if file_format not in READERS:
        raise ValueError(f"unknown format {file_format!r}; expected one of {', '.join(READERS)}")
    log = rejections if rejections is not None else RejectionLog(default_rejected_path(path))
    run = _ImportRun(engine, ImportSummary(file_format, str(path), rejected=log), actor, path.name)
    batches = read_in_batches(file_format, path, batch_size, background=background)
    try:
        for items, bytes_read in batches:
            if on_progress is not None and bytes_read:
                on_progress(bytes_read)
            batch = [item for item in items if isinstance(item, ImportRecord)]
            log.extend(item for item in items if isinstance(item, Rejection))
            if batch:
                run.store(batch)
    except (OSError, EOFError, zlib.error, UnicodeError) as error:  # BadGzipFile: OSError
        run.summary.error = unreadable(path, error, run.summary)
    finally:
        log.close()
    return run.summary


def default_rejected_path(path: Path) -> Path:
    return path.with_name(path.name + ".rejected.jsonl")


def unreadable(path: Path, error: BaseException, summary: ImportSummary) -> str:
    """A sentence naming the file, the problem, and what was stored before it."""
    problem = str(error) or type(error).__name__
    if isinstance(error, EOFError) or "end-of-stream" in problem:
        problem = f"the compressed data ends early ({problem})"
    return (
        f"{path}: cannot read the file to its end: {problem}. "
        f"{summary.imported} events from the {summary.batches} batches read before it were "
        "imported and stay; fix the file and import it again (stored events count as duplicates)."
    )


@dataclass
class _ImportRun:
    engine: Engine
    summary: ImportSummary
    actor: Actor
    file_name: str
    seen: SeenIds = field(default_factory=SeenIds)

    def store(self, batch: list[ImportRecord]) -> None:
        """Insert one batch in one transaction, with one audit entry for it."""
        unique = self._drop_repeated_ids(batch)
        with transaction(self.engine) as session:
            fresh = self._drop_stored(session, unique)
            stored = _insert_or_isolate(session, fresh, self.summary.rejected)
            if stored:
                self._audit(session, stored)
        self.seen.add(record.identity for record in unique)
        self.summary.imported += len(stored)
        self.summary.batches += 1

    def _drop_repeated_ids(self, batch: list[ImportRecord]) -> list[ImportRecord]:
        first_row: dict[str, int] = {}
        unique: list[ImportRecord] = []
        for record in batch:
            key = record.identity
            earlier = first_row.get(key)
            if earlier is None and key in self.seen:
                self.summary.rejected.append(
                    Rejection(
                        record.row, f"duplicate id {key!r}: an earlier row of this file has it"
                    )
                )
            elif earlier is not None:
                self.summary.rejected.append(
                    Rejection(
                        record.row, f"duplicate id {key!r}: row {earlier} of this file has it"
                    )
                )
            else:
                first_row[key] = record.row
                unique.append(record)
        return unique

    def _drop_stored(self, session: Session, batch: list[ImportRecord]) -> list[ImportRecord]:
        codes, origins = stored_keys(session, batch)
        fresh = [r for r in batch if r.code not in codes and r.origin not in origins]
        self.summary.duplicates += len(batch) - len(fresh)
        return fresh

    def _audit(self, session: Session, stored: list[ImportRecord]) -> None:
        append_entry(
            session,
            actor=self.actor,
            action="exchange.import_batch",
            object_type="import",
            object_id=f"{self.summary.format}:{self.file_name}#{self.summary.batches + 1}",
            after={
                "format": self.summary.format,
                "file": self.file_name,
                "rows": [stored[0].row, stored[-1].row],
                "incidents": [r.code for r in stored],
            },
        )


def stored_keys(
    session: Session, batch: list[ImportRecord]
) -> tuple[set[str], set[tuple[str, str] | None]]:
    """Which codes and source event ids of ``batch`` are already in the database."""
    codes = set(
        session.scalars(select(Incident.code).where(Incident.code.in_([r.code for r in batch])))
    )
    wanted: dict[str, list[str]] = {}
    for record in batch:
        if record.origin is not None:
            wanted.setdefault(record.origin[0], []).append(record.origin[1])
    origins: set[tuple[str, str] | None] = set()
    for dataset, event_ids in wanted.items():
        found = session.scalars(
            select(Incident.origin_event_id).where(
                Incident.origin_dataset == dataset, Incident.origin_event_id.in_(event_ids)
            )
        )
        origins.update((dataset, str(event_id)) for event_id in found)
    return codes, origins


def _insert_or_isolate(
    session: Session, records: list[ImportRecord], rejected: RejectionLog
) -> list[ImportRecord]:
    """Insert the batch; if the database refuses it, find and reject the refused rows."""
    if not records:
        return []
    try:
        with session.begin_nested():
            insert_records(session, records)
        return records
    except (DBAPIError, ValueError):
        pass
    stored: list[ImportRecord] = []
    for record in records:
        try:
            with session.begin_nested():
                insert_records(session, [record])
            stored.append(record)
        except DBAPIError as error:
            reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
            rejected.append(Rejection(record.row, f"the database refused the row: {reason}"))
        except ValueError as error:
            rejected.append(Rejection(record.row, str(error)))
    return stored


def insert_records(session: Session, records: list[ImportRecord]) -> None:
    """Bulk-insert incidents, then their reports, then the links between them."""
    now = utcnow()
    incident_rows = [_stamped(r.incident, now, ("created_at", "updated_at")) for r in records]
    incident_ids = _insert_returning_ids(session, Incident, incident_rows)
    pending = [
        (incident_id, report)
        for incident_id, record in zip(incident_ids, records, strict=True)
        for report in record.reports
    ]
    known: dict[str, int] = {}
    links = []
    report_ids: list[int] = []
    for level in _version_levels(pending):
        level_ids = _insert_reports(session, level, now, known)
        report_ids += level_ids
        for (incident_id, report), report_id in zip(level, level_ids, strict=True):
            known[report.columns["code"]] = report_id
            links.append(_link_row(incident_id, report_id, report.link, now))
    link_ids = _insert_returning_ids(session, IncidentReportLink, links) if links else []
    # Core inserts bypass the ORM's events: their state digests are asked for explicitly.
    note_written(session, Incident.__tablename__, incident_ids)
    note_written(session, Report.__tablename__, report_ids)
    note_written(session, IncidentReportLink.__tablename__, link_ids)


def _version_levels(pending: list[tuple[int, Any]]) -> list[list[tuple[int, Any]]]:
    """Reports in insertion order: each after the version it supersedes, when both are new.

    The first level holds originals and corrections of already stored reports;
    each next level the versions superseding one of the level before (a report
    corrected twice travels as three versions). A version naming a report in
    neither place stays in the last level, where ``_report_id`` refuses it.
    """
    codes_here = {report.columns["code"] for _, report in pending}
    placed: set[str] = set()
    levels: list[list[tuple[int, Any]]] = []
    remaining = pending
    while remaining:
        ready = [
            report.supersedes_code is None
            or report.supersedes_code in placed
            or report.supersedes_code not in codes_here
            for _, report in remaining
        ]
        if not any(ready):  # a cycle of versions: let the insert refuse it, naming the report
            ready = [True] * len(remaining)
        levels.append([item for item, go in zip(remaining, ready, strict=True) if go])
        placed.update(report.columns["code"] for _, report in levels[-1])
        remaining = [item for item, go in zip(remaining, ready, strict=True) if not go]
    return levels


def _insert_reports(
    session: Session, pending: list[tuple[int, Any]], now: datetime, known: dict[str, int]
) -> list[int]:
    if not pending:
        return []
    rows = []
    for _, report in pending:
        row = _stamped(report.columns, now, ("received_at", "created_at"))
        row["supersedes_id"] = _report_id(session, report.supersedes_code, known)
        rows.append(row)
    return _insert_returning_ids(session, Report, rows)


def _insert_returning_ids(session: Session, model: Any, rows: list[dict[str, Any]]) -> list[int]:
    """Bulk-insert ``rows`` with one plain ``executemany`` and return their new ids, in order.

    The ids are reserved first (PostgreSQL: from the table's sequence; SQLite:
    after the highest id, under SQLite's single-writer lock), because a
    multi-row ``RETURNING`` that keeps parameter order is several times slower.
    """
    ids = _reserve_ids(session, model, len(rows))
    for row, new_id in zip(rows, ids, strict=True):
        row["id"] = new_id
    bulk_insert(session, model.__table__, rows)
    return ids


def _reserve_ids(session: Session, model: Any, count: int) -> list[int]:
    if session.get_bind().dialect.name == "postgresql":
        return list(
            session.scalars(
                text(
                    "SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"
                ),
                {"table": model.__tablename__, "n": count},
            )
        )
    highest = session.scalar(select(func.max(model.id))) or 0
    return list(range(highest + 1, highest + 1 + count))


def _report_id(session: Session, code: str | None, known: dict[str, int]) -> int | None:
    if code is None:
        return None
    if code not in known:
        found = session.scalar(select(Report.id).where(Report.code == code))
        if found is None:
            raise ValueError(f"report {code!r} supersedes a report that does not exist")
        known[code] = found
    return known[code]


def _stamped(columns: dict[str, Any], now: datetime, keys: tuple[str, ...]) -> dict[str, Any]:
    """The row to insert: ``columns`` itself (records are used once), timestamps filled in."""
    row = columns
    for key in keys:
        if row.get(key) is None:
            row[key] = now
    return row


def _link_row(
    incident_id: int, report_id: int, link: dict[str, Any], now: datetime
) -> dict[str, Any]:
    return {
        "incident_id": incident_id,
        "report_id": report_id,
        "linked_at": link.get("linked_at") or now,
        "linked_by": link.get("linked_by", "import"),
        "method": link.get("method", "import"),
        "score": link.get("score"),
        "reasons": link.get("reasons", []),
        "unlinked_at": link.get("unlinked_at"),
        "unlinked_by": link.get("unlinked_by"),
    }
