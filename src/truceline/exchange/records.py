"""The mapped form of one source event, as every reader yields it (pure data, no I/O).

A reader turns each input row into either an ``ImportRecord`` (ready-to-insert
column values of one ``Incident`` and its ``Report``s) or a ``Rejection``
(the row number and a reason a person can act on). The importer only ever sees
these two types, so a new format needs no change to the importer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Rejection:
    """A row that was not imported. ``row`` counts data rows from 1 (0 means the header)."""

    row: int
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {"row": self.row, "reason": self.reason}


@dataclass(slots=True)
class ReportValues:
    """Column values of one ``Report``, plus how it links to its incident."""

    columns: dict[str, Any]
    link: dict[str, Any] = field(default_factory=dict)
    supersedes_code: str | None = None


@dataclass(slots=True)
class ImportRecord:
    """Column values of one ``Incident`` and its reports, read from data row ``row``."""

    row: int
    incident: dict[str, Any]
    reports: list[ReportValues]

    @property
    def code(self) -> str:
        return str(self.incident["code"])

    @property
    def origin(self) -> tuple[str, str] | None:
        dataset, event_id = (
            self.incident.get("origin_dataset"),
            self.incident.get("origin_event_id"),
        )
        if dataset is None or event_id is None:
            return None
        return str(dataset), str(event_id)

    @property
    def identity(self) -> str:
        """The id that must be unique within one file (the source's event id, else the code)."""
        origin = self.origin
        return f"{origin[0]}:{origin[1]}" if origin else self.code


@dataclass(slots=True)
class LinkedReport:
    """A stored report as exports see it: the report, its link, the code it supersedes."""

    report: Any
    link: Any
    supersedes_code: str | None = None
