"""The CSV channel: one report per row, imported in one transaction, idempotently.

Columns (header names; only ``source_type`` and ``text`` are required):

``client_token, source_type, source_name, source_party, reliability, credibility,
text, occurred_at, time_precision, lat, lon, geo_precision, place_text, event_type,
claimed_perpetrator, targets, casualties_civilians, casualties_security_forces,
casualties_militants, casualties_unknown, agreement_id``

``targets`` is a ``;``-separated list; a casualty cell is a count (``3``) or a
range ``low-best-high`` (``2-3-5``); ``occurred_at`` is ISO 8601 with a time zone.
A bad row is rejected with its row number (1 = the first row after the header),
the column and the reason; the other rows are imported. A row without a
``client_token`` gets one derived from its content, so importing the same file
again creates no duplicates.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from truceline.audit.actor import Actor
from truceline.intake.schemas import Channel, ReportSubmission
from truceline.intake.services import IntakeError, submit_report

COLUMNS = (
    "client_token", "source_type", "source_name", "source_party", "reliability", "credibility",
    "text", "occurred_at", "time_precision", "lat", "lon", "geo_precision", "place_text",
    "event_type", "claimed_perpetrator", "targets", "casualties_civilians",
    "casualties_security_forces", "casualties_militants", "casualties_unknown", "agreement_id",
    "kind", "origin", "relayed_from", "relayed_from_party",
)  # fmt: skip
REQUIRED = ("source_type", "text")
CASUALTY_PREFIX = "casualties_"


@dataclass
class ImportSummary:
    imported: int = 0
    duplicates: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)
    report_ids: list[int] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"imported": self.imported, "duplicates": self.duplicates, "rejected": self.rejected,
                "report_ids": self.report_ids}  # fmt: skip


def import_csv(session: Session, path: Path, *, actor: Actor) -> ImportSummary:
    """Import every valid row of ``path`` in the caller's transaction."""
    text = path.read_text(encoding="utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise IntakeError(f"{path.name}: missing column(s) {', '.join(missing)}", field=missing[0])
    unknown = sorted(set(reader.fieldnames or []) - set(COLUMNS))
    if unknown:
        raise IntakeError(f"{path.name}: unknown column(s) {', '.join(unknown)}", field=unknown[0])
    summary = ImportSummary()
    for number, row in enumerate(reader, start=1):
        _import_row(session, number, row, summary, actor=actor)
    return summary


def _import_row(
    session: Session, number: int, row: dict[str, str], summary: ImportSummary, *, actor: Actor
) -> None:
    try:
        submission = ReportSubmission.model_validate(row_to_submission(row))
    except ValidationError as exc:
        error = exc.errors()[0]
        column = ".".join(str(p) for p in error["loc"]) or _named_column(error["msg"])
        summary.rejected.append(
            {"row": number, "field": column, "reason": f"{column}: {error['msg']}"}
        )
        return
    except ValueError as exc:
        summary.rejected.append(
            {"row": number, "field": getattr(exc, "field", None), "reason": str(exc)}
        )
        return
    try:
        with session.begin_nested():
            result = submit_report(session, submission, actor=actor)
    except IntakeError as exc:
        summary.rejected.append({"row": number, "field": exc.field, "reason": str(exc)})
        return
    summary.report_ids.append(result.report.id)
    if result.created:
        summary.imported += 1
    else:
        summary.duplicates += 1


def _named_column(message: str) -> str:
    """The column a whole-row check names first ("relayed_from: …"), else "row"."""
    name = message.removeprefix("Value error, ").partition(":")[0]
    return name if name in COLUMNS else "row"


class CellError(ValueError):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(f"{column}: {message}")
        self.field = column


def row_to_submission(row: dict[str, str]) -> dict[str, Any]:
    """A submission's fields from a CSV row (empty cells are left out)."""
    cells = {k: (v or "").strip() for k, v in row.items() if k is not None}
    data: dict[str, Any] = {
        k: v for k, v in cells.items() if v and k in COLUMNS and not k.startswith(CASUALTY_PREFIX)
    }
    data["text"] = row.get("text") or ""  # verbatim: not stripped
    data["channel"] = Channel.CSV.value
    if "targets" in data:
        data["targets"] = [t.strip() for t in data["targets"].split(";") if t.strip()]
    casualties = {k.removeprefix(CASUALTY_PREFIX): _casualty(k, v) for k, v in cells.items()
                  if k.startswith(CASUALTY_PREFIX) and v}  # fmt: skip
    if casualties:
        data["casualties"] = casualties
    if not data.get("client_token"):
        canonical = json.dumps(
            {k: v for k, v in cells.items() if v}, sort_keys=True, ensure_ascii=False
        )
        data["client_token"] = "csv-" + hashlib.sha256(canonical.encode()).hexdigest()[:40]
    return data


def _casualty(column: str, cell: str) -> int | dict[str, int]:
    parts = cell.split("-")
    try:
        numbers = [int(p) for p in parts]
    except ValueError:
        raise CellError(column, f"{cell!r} is not a count or low-best-high range") from None
    if len(numbers) == 1:
        return numbers[0]
    if len(numbers) == 3:
        return {"low": numbers[0], "best": numbers[1], "high": numbers[2]}
    raise CellError(column, f"{cell!r} is not a count or low-best-high range")
