"""Streaming export of incidents (with their active reports) to ACLED CSV, GeoJSON or truceline JSON.

Incidents are read in id order, a chunk at a time, and written as they come,
so memory does not grow with the database. The file is written beside its
target and renamed into place at the end: a failed export leaves no
half-written file. To add a format, add a writer class to ``WRITERS``.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Protocol

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from truceline import __version__
from truceline.db.base import utcnow
from truceline.db.engine import session_factory
from truceline.exchange import acled, geojson, truceline_json
from truceline.exchange.public import public_copy, public_filter
from truceline.exchange.records import LinkedReport
from truceline.incidents.models import Incident, IncidentReportLink, Report

CHUNK = 500

#: Credit lines written with exported data that came from these datasets.
ATTRIBUTIONS = {
    "ucdp-ged": "UCDP Georeferenced Event Dataset (GED), CC BY 4.0. Sundberg & Melander (2013), "
    "Journal of Peace Research 50(4); Davies, Pettersson & Öberg (2023), Journal of Peace Research 60(4).",
    "acled": "Armed Conflict Location & Event Data (ACLED), acleddata.com; subject to ACLED's terms of use.",
}


class Writer(Protocol):
    def begin(self, out: IO[str]) -> None: ...
    def write(self, incident: Incident, reports: list[LinkedReport]) -> bool: ...
    def end(self, datasets: set[str]) -> None: ...


@dataclass
class ExportSummary:
    format: str
    path: str
    exported: int = 0
    skipped: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "exported": self.exported,
            "path": self.path,
            "format": self.format,
            "skipped": self.skipped,
        }


class AcledCsvWriter:
    """ACLED's columns, one row per incident."""

    def begin(self, out: IO[str]) -> None:
        self._csv = csv.DictWriter(out, fieldnames=list(acled.ACLED_COLUMNS), lineterminator="\n")
        self._csv.writeheader()

    def write(self, incident: Incident, reports: list[LinkedReport]) -> bool:
        self._csv.writerow(acled.export_row(incident, [r.report for r in reports]))
        return True

    def end(self, datasets: set[str]) -> None:
        """CSV has no place for credits; the command prints them."""


class JsonArrayWriter:
    """A JSON object whose ``items_key`` array is written one element per line."""

    def __init__(self, head: dict[str, Any], items_key: str) -> None:
        self._head, self._key, self._count = head, items_key, 0

    def begin(self, out: IO[str]) -> None:
        self._out = out
        head = json.dumps(self._head, ensure_ascii=False)[:-1]
        out.write(f'{head}, "{self._key}": [\n' if self._head else f'{{"{self._key}": [\n')

    def element(self, value: dict[str, Any]) -> None:
        self._out.write((",\n" if self._count else "") + json.dumps(value, ensure_ascii=False))
        self._count += 1

    def end(self, datasets: set[str]) -> None:
        credits = [ATTRIBUTIONS[d] for d in sorted(datasets) if d in ATTRIBUTIONS]
        self._out.write(f'\n], "attribution": {json.dumps(credits, ensure_ascii=False)}}}\n')


class TrucelineJsonWriter(JsonArrayWriter):
    def __init__(self) -> None:
        head = {
            "format": truceline_json.FORMAT_NAME,
            "version": truceline_json.FORMAT_VERSION,
            "exported_at": utcnow().isoformat(),
            "generator": f"truceline {__version__}",
        }
        super().__init__(head, "incidents")

    def write(self, incident: Incident, reports: list[LinkedReport]) -> bool:
        self.element(truceline_json.export_incident(incident, reports))
        return True


class GeoJsonWriter(JsonArrayWriter):
    def __init__(self) -> None:
        super().__init__({"type": "FeatureCollection"}, "features")

    def write(self, incident: Incident, reports: list[LinkedReport]) -> bool:
        feature = geojson.feature(incident, [r.report for r in reports])
        if feature is None:
            return False
        self.element(feature)
        return True


WRITERS: dict[str, type[Writer]] = {
    "acled-csv": AcledCsvWriter,
    "geojson": GeoJsonWriter,
    "truceline-json": TrucelineJsonWriter,
}


def export_file(
    engine: Engine, path: Path, file_format: str, *, released_only: bool = False
) -> ExportSummary:
    """Write every incident (or only released ones) to ``path`` in ``file_format``.

    ``released_only`` writes what the public may read (``exchange.public``):
    released, determined incidents with coarsened places and no reports.
    """
    if file_format not in WRITERS:
        raise ValueError(f"unknown format {file_format!r}; expected one of {', '.join(WRITERS)}")
    summary = ExportSummary(file_format, str(path))
    writer = WRITERS[file_format]()
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            writer.begin(out)
            datasets: set[str] = set()
            with session_factory(engine)() as session:
                for incident, reports in iter_incidents(session, released_only=released_only):
                    if released_only:
                        incident, reports = public_copy(incident), []
                    if writer.write(incident, reports):
                        summary.exported += 1
                        datasets.add(incident.origin_dataset or "")
                    else:
                        summary.skipped += 1
            writer.end(datasets)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return summary


def iter_incidents(
    session: Session, *, released_only: bool = False, chunk: int = CHUNK
) -> Iterator[tuple[Incident, list[LinkedReport]]]:
    """Incidents in id order, each with its active reports, a chunk at a time."""
    last_id = 0
    while True:
        query = select(Incident).where(Incident.id > last_id).order_by(Incident.id).limit(chunk)
        if released_only:
            query = query.where(public_filter())
        incidents = list(session.scalars(query))
        if not incidents:
            return
        reports = _active_reports(session, [i.id for i in incidents])
        for incident in incidents:
            yield incident, reports.get(incident.id, [])
        last_id = incidents[-1].id
        session.expunge_all()


def _active_reports(session: Session, incident_ids: list[int]) -> dict[int, list[LinkedReport]]:
    rows = session.execute(
        select(IncidentReportLink, Report)
        .join(Report, Report.id == IncidentReportLink.report_id)
        .where(
            IncidentReportLink.incident_id.in_(incident_ids),
            IncidentReportLink.unlinked_at.is_(None),
        )
        .order_by(IncidentReportLink.incident_id, Report.id)
    ).all()
    superseded_ids = {
        report.supersedes_id for _, report in rows if report.supersedes_id is not None
    }
    codes: dict[int, str] = {}
    if superseded_ids:
        query = select(Report.id, Report.code).where(Report.id.in_(superseded_ids))
        codes = {report_id: code for report_id, code in session.execute(query)}
    grouped: dict[int, list[LinkedReport]] = defaultdict(list)
    for link, report in rows:
        grouped[link.incident_id].append(
            LinkedReport(report, link, codes.get(report.supersedes_id or -1))
        )
    return grouped
