"""Streaming export of incidents (with their active reports, and for truceline JSON the
versions those superseded) to ACLED CSV, GeoJSON or truceline JSON.

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
from truceline.config import Settings
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
    """Deterministic: the same data gives the same bytes (no export time in the header),
    so that two exports can be compared, hashed or signed."""

    #: Superseded report versions travel too, so that a correction can be imported again.
    earlier_versions = True

    def __init__(self) -> None:
        head = {
            "format": truceline_json.FORMAT_NAME,
            "version": truceline_json.FORMAT_VERSION,
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
    engine: Engine,
    path: Path,
    file_format: str,
    *,
    settings: Settings,
    released_only: bool = False,
) -> ExportSummary:
    """Write every incident (or only released ones) to ``path`` in ``file_format``.

    ``released_only`` writes what the public may read (``exchange.public``):
    released, determined incidents with places coarsened on the installation's grid
    (``settings``, passed by the caller) and no reports.
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
                for incident, reports in iter_incidents(
                    session,
                    released_only=released_only,
                    earlier_versions=getattr(writer, "earlier_versions", False),
                ):
                    if released_only:
                        incident, reports = public_copy(incident, settings), []
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
    session: Session,
    *,
    released_only: bool = False,
    chunk: int = CHUNK,
    earlier_versions: bool = False,
) -> Iterator[tuple[Incident, list[LinkedReport]]]:
    """Incidents in id order, each with its active reports, a chunk at a time.

    With ``earlier_versions``, also the report versions those superseded.
    """
    last_id = 0
    while True:
        query = select(Incident).where(Incident.id > last_id).order_by(Incident.id).limit(chunk)
        if released_only:
            query = query.where(public_filter())
        incidents = list(session.scalars(query))
        if not incidents:
            return
        reports = _active_reports(session, [i.id for i in incidents])
        if earlier_versions:
            _add_earlier_versions(session, reports)
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
    codes = _codes(
        session, {report.supersedes_id for _, report in rows if report.supersedes_id is not None}
    )
    grouped: dict[int, list[LinkedReport]] = defaultdict(list)
    for link, report in rows:
        grouped[link.incident_id].append(
            LinkedReport(report, link, codes.get(report.supersedes_id or -1))
        )
    return grouped


def _add_earlier_versions(session: Session, grouped: dict[int, list[LinkedReport]]) -> None:
    """Put beside each corrected report every version it superseded, oldest first.

    A correction retires the old version's link, yet the new version names it
    in ``supersedes``: without the old versions an import into a fresh
    database could not resolve that name. Each earlier version travels with
    the incident of its latest version, with its retired link there (or, when
    it was never linked there, a link retired when it was superseded).
    """
    present = {linked.report.id for reports in grouped.values() for linked in reports}
    wanted = {
        linked.report.supersedes_id: (incident_id, linked.report)
        for incident_id, reports in grouped.items()
        for linked in reports
        if linked.report.supersedes_id is not None and linked.report.supersedes_id not in present
    }
    while wanted:
        earlier = {r.id: r for r in session.scalars(select(Report).where(Report.id.in_(wanted)))}
        links = _retired_links(session, {(wanted[i][0], i) for i in earlier})
        codes = _codes(session, {r.supersedes_id for r in earlier.values() if r.supersedes_id})
        following: dict[int, tuple[int, Report]] = {}
        for report_id, report in earlier.items():
            incident_id, newer = wanted[report_id]
            link = links.get((incident_id, report_id)) or _retired_when_superseded(
                incident_id, report, newer
            )
            code = codes.get(report.supersedes_id or -1)
            grouped[incident_id].append(LinkedReport(report, link, code))
            present.add(report_id)
            if report.supersedes_id is not None and report.supersedes_id not in present:
                following[report.supersedes_id] = (incident_id, report)
        wanted = following
    for reports in grouped.values():
        reports.sort(key=lambda linked: linked.report.id)


def _retired_links(
    session: Session, pairs: set[tuple[int, int]]
) -> dict[tuple[int, int], IncidentReportLink]:
    """The latest link of each (incident, report) pair, if there is one."""
    found: dict[tuple[int, int], IncidentReportLink] = {}
    if not pairs:
        return found
    query = (
        select(IncidentReportLink)
        .where(IncidentReportLink.report_id.in_({report_id for _, report_id in pairs}))
        .order_by(IncidentReportLink.id)
    )
    for link in session.scalars(query):
        if (link.incident_id, link.report_id) in pairs:
            found[(link.incident_id, link.report_id)] = link
    return found


def _codes(session: Session, report_ids: set[int]) -> dict[int, str]:
    if not report_ids:
        return {}
    query = select(Report.id, Report.code).where(Report.id.in_(report_ids))
    return {report_id: code for report_id, code in session.execute(query)}


def _retired_when_superseded(incident_id: int, report: Report, newer: Report) -> IncidentReportLink:
    return IncidentReportLink(
        incident_id=incident_id,
        report_id=report.id,
        linked_at=report.created_at,
        linked_by=report.submitted_by or "import",
        method="import",
        score=None,
        reasons=[],
        unlinked_at=newer.created_at,
        unlinked_by=newer.submitted_by or "import",
    )
