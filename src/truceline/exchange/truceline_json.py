"""truceline JSON: the project's own lossless format for incidents with their reports.

Document shape (``docs/exchange.md`` shows a full example)::

    {"format": "truceline-json", "version": 1, "generator": "...",
     "incidents": [{"code": "...", "occurred_at": "...", ..., "reports": [{...}]}]}

Every incident and report column is written, so exporting and importing into
a fresh database gives the same incidents. A corrected report travels with
every earlier version (each names the one it ``supersedes``; their retired
links keep ``unlinked_at``). Keys keep one order (the fields' order here, and
sorted inside free-form objects), so the same data always gives the same bytes. Reading is strict: an unknown key
or a wrong value rejects that incident, naming the field. To add a column,
add it to ``IncidentDoc``/``ReportDoc`` and to ``export_incident``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from truceline.events import provenance
from truceline.events.casualties import Casualties
from truceline.events.provenance import Origin, ReportKind
from truceline.events.taxonomy import (
    EVENT_TYPES,
    AttributionLink,
    Credibility,
    Party,
    Reliability,
    SourceType,
    Target,
)
from truceline.exchange.jsonstream import ArrayStream, JsonStreamError, invalid_bytes
from truceline.exchange.records import ImportRecord, LinkedReport, Rejection, ReportValues
from truceline.exchange.rows import (
    IMPORTED_HISTORY,
    RowError,
    check_plausible,
    incident_columns,
    report_columns,
)
from truceline.exchange.textio import open_binary

FORMAT_NAME = "truceline-json"
FORMAT_VERSION = 1
HEADER_KEYS = frozenset({"format", "version", "exported_at", "generator", "attribution", "notes"})

Short = Annotated[str, Field(max_length=64)]
Label = Annotated[str, Field(max_length=300)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


class LinkDoc(_Strict):
    linked_at: AwareDatetime | None = None
    linked_by: Short = "import"
    method: Annotated[str, Field(max_length=32)] = "import"
    score: float | None = None
    reasons: list[str] = []
    #: Set on the retired link of a superseded report version.
    unlinked_at: AwareDatetime | None = None
    unlinked_by: Short | None = None


class ReportDoc(_Strict):
    code: Annotated[str, Field(min_length=1, max_length=64)]
    version: Annotated[int, Field(ge=1)] = 1
    supersedes: Short | None = None
    channel: Annotated[str, Field(max_length=32)] = "import"
    source_type: SourceType = SourceType.OTHER
    source_name: Label = ""
    source_party: Annotated[str, Field(max_length=8)] | None = None
    reliability: Reliability = Reliability.F
    credibility: Credibility = Credibility.CANNOT_BE_JUDGED
    text: str
    language: Annotated[str, Field(max_length=8)] | None = None
    received_at: AwareDatetime | None = None
    occurred_at: AwareDatetime | None = None
    time_precision: Annotated[int, Field(ge=0, le=5)] = 1
    lat: Annotated[float, Field(ge=-90, le=90)] | None = None
    lon: Annotated[float, Field(ge=-180, le=180)] | None = None
    geo_precision: Annotated[int, Field(ge=1, le=7)] = 1
    place_text: Label = ""
    event_type: Short | None = None
    claimed_perpetrator: Short | None = None
    claimed_targets: list[Target] = []
    casualties: dict[str, Any] = {}
    origin_dataset: Annotated[str, Field(max_length=32)] | None = None
    origin_event_id: Short | None = None
    submitted_by: Short | None = None
    kind: ReportKind | None = None
    origin: Origin | None = None
    relayed_from: Label | None = None
    relayed_from_party: Party | None = None
    origin_note: Label = ""
    created_at: AwareDatetime | None = None
    link: LinkDoc = LinkDoc()

    _casualties = field_validator("casualties")(lambda v: Casualties.from_json(v).to_json())

    @model_validator(mode="after")
    def _consistent_provenance(self) -> ReportDoc:
        problems = provenance.check(
            kind=self.kind, source_party=self.source_party, perpetrator=self.claimed_perpetrator,
            origin=self.origin, relayed_from=self.relayed_from,
            relayed_from_party=self.relayed_from_party,
        )  # fmt: skip
        if problems:
            raise ValueError("; ".join(f"{name}: {message}" for name, message in problems))
        return self


class AttributionDoc(BaseModel):
    """A claimed link from a non-party perpetrator to a party; other keys are kept as they are."""

    model_config = ConfigDict(extra="allow")
    party: Party
    link: AttributionLink
    established: bool = False


class OriginDoc(_Strict):
    dataset: Annotated[str, Field(max_length=32)]
    event_id: Short
    record: dict[str, Any] = {}


class IncidentDoc(_Strict):
    code: Annotated[str, Field(min_length=1, max_length=64)]
    title: Label = ""
    occurred_at: AwareDatetime
    occurred_until: AwareDatetime | None = None
    time_precision: Annotated[int, Field(ge=0, le=5)] = 1
    lat: Annotated[float, Field(ge=-90, le=90)] | None = None
    lon: Annotated[float, Field(ge=-180, le=180)] | None = None
    geo_precision: Annotated[int, Field(ge=1, le=7)] = 1
    place_name: Label = ""
    country: Annotated[str, Field(min_length=2, max_length=2)] | None = None
    admin1: Annotated[str, Field(max_length=120)] | None = None
    admin2: Annotated[str, Field(max_length=120)] | None = None
    event_type: str
    perpetrator: Short = "unknown"
    perpetrator_label: Label = ""
    target_actor: Short | None = None
    target_label: Label = ""
    targets: list[Target] = []
    casualties: dict[str, Any] = {}
    attribution: list[AttributionDoc] = []
    verification_state: Annotated[str, Field(max_length=32)] = "reported"
    released: bool = False
    notes: str = ""
    origin: OriginDoc | None = None
    created_at: AwareDatetime | None = None
    updated_at: AwareDatetime | None = None
    reports: list[ReportDoc] = []

    _casualties = field_validator("casualties")(lambda v: Casualties.from_json(v).to_json())

    @field_validator("event_type")
    @classmethod
    def _known_event_type(cls, value: str) -> str:
        if value not in EVENT_TYPES:
            raise ValueError(f"unknown event type {value!r}")
        return value

    @field_validator("occurred_at")
    @classmethod
    def _plausible(cls, value: datetime) -> datetime:
        return check_plausible(value, "occurred_at")


def read_records(
    path: Path, *, on_progress: Callable[[int], None] | None = None
) -> Iterator[ImportRecord | Rejection]:
    """Each incident of a truceline JSON file, or a located ``Rejection``."""
    with open_binary(path) as stream:
        reader = ArrayStream(stream, array_key="incidents", on_progress=on_progress)
        index = 0
        try:
            for element in reader.elements():
                index = element.index
                yield _record(element.value, element.index, element.line)
        except JsonStreamError as error:
            yield Rejection(
                index + 1, f"malformed JSON: {error}; the rest of the file was not read"
            )
        yield from _header_problems(reader.header)


def _header_problems(header: dict[str, Any]) -> Iterator[Rejection]:
    unknown = sorted(set(header) - HEADER_KEYS)
    if unknown:
        yield Rejection(0, f"unknown top-level key(s): {', '.join(map(repr, unknown))}")
    if header.get("format", FORMAT_NAME) != FORMAT_NAME:
        yield Rejection(0, f"format: {header['format']!r} is not {FORMAT_NAME!r}")


def _record(value: Any, row: int, line: int) -> ImportRecord | Rejection:
    where = f"incident {row} (line {line})"
    bad = invalid_bytes(value)
    if bad:
        return Rejection(row, f"{where}: invalid UTF-8 byte {bad} in a text value")
    if not isinstance(value, dict):
        return Rejection(row, f"{where}: expected a JSON object, got {type(value).__name__}")
    try:
        doc = IncidentDoc.model_validate(value)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "incident"
        more = f" (and {error.error_count() - 1} more)" if error.error_count() > 1 else ""
        return Rejection(row, f"{where}: field {field!r}: {first['msg']}{more}")
    try:
        return to_record(doc, row)
    except RowError as error:
        return Rejection(row, f"{where}: {error}")


def to_record(doc: IncidentDoc, row: int) -> ImportRecord:
    """The column values of a validated incident document."""
    values = doc.model_dump(
        exclude={"origin", "reports", "created_at", "updated_at"}, mode="python"
    )
    if "verification_state" not in doc.model_fields_set and _dataset_events_only(doc):
        values["verification_state"] = IMPORTED_HISTORY
    values["targets"] = [t.value for t in doc.targets]
    values["attribution"] = [a.model_dump(mode="json") for a in doc.attribution]
    if doc.origin is not None:
        values |= {
            "origin_dataset": doc.origin.dataset,
            "origin_event_id": doc.origin.event_id,
            "origin_record": doc.origin.record,
        }
    incident = incident_columns(values)
    incident["created_at"], incident["updated_at"] = doc.created_at, doc.updated_at
    return ImportRecord(row, incident, [_report_values(report) for report in doc.reports])


def _dataset_events_only(doc: IncidentDoc) -> bool:
    """An incident that only event datasets speak for (no allegation, monitor or witness):
    imported history, unless the file gives its verification state."""
    if not doc.reports:
        return doc.origin is not None
    return all(report.source_type is SourceType.DATASET for report in doc.reports)


def _report_values(doc: ReportDoc) -> ReportValues:
    values = doc.model_dump(exclude={"link", "supersedes", "created_at"}, mode="python")
    values["source_type"] = doc.source_type.value
    values["reliability"] = doc.reliability.value
    values["credibility"] = int(doc.credibility)
    values["claimed_targets"] = [t.value for t in doc.claimed_targets]
    values |= _provenance(doc)
    columns = report_columns(values)
    columns["created_at"] = doc.created_at
    return ReportValues(columns, doc.link.model_dump(mode="python"), doc.supersedes)


def _provenance(doc: ReportDoc) -> dict[str, Any]:
    """Kind and origin as the file states them (with its note), else as intake would infer them."""
    stated = provenance.resolve(
        source_type=doc.source_type.value, source_party=doc.source_party,
        source_name=doc.source_name, text=doc.text, perpetrator=doc.claimed_perpetrator,
        kind=doc.kind, origin=doc.origin, relayed_from=doc.relayed_from,
        relayed_from_party=doc.relayed_from_party.value if doc.relayed_from_party else None,
    )  # fmt: skip
    return {
        "kind": stated.kind.value,
        "origin": stated.origin.value,
        "relayed_from": stated.relayed_from,
        "relayed_from_party": stated.relayed_from_party,
        "origin_note": doc.origin_note if doc.origin is not None else stated.note,
    }


def export_incident(incident: Any, reports: list[LinkedReport]) -> dict[str, Any]:
    """An incident (ORM object) with its linked reports as a JSON-able document."""
    doc: dict[str, Any] = {
        column: _jsonable(getattr(incident, column))
        for column in IncidentDoc.model_fields
        if column not in ("origin", "reports")
    }
    if incident.origin_dataset is not None and incident.origin_event_id is not None:
        doc["origin"] = {
            "dataset": incident.origin_dataset,
            "event_id": incident.origin_event_id,
            "record": _jsonable(incident.origin_record),
        }
    doc["reports"] = [_export_report(linked) for linked in reports]
    return doc


def _export_report(linked: LinkedReport) -> dict[str, Any]:
    report, link = linked.report, linked.link
    doc = {
        column: _jsonable(getattr(report, column))
        for column in ReportDoc.model_fields
        if column not in ("link", "supersedes")
    }
    doc["supersedes"] = linked.supersedes_code
    doc["link"] = {
        "linked_at": _jsonable(link.linked_at),
        "linked_by": link.linked_by,
        "method": link.method,
        "score": link.score,
        "reasons": _jsonable(link.reasons),
    }
    if link.unlinked_at is not None:
        doc["link"] |= {"unlinked_at": _jsonable(link.unlinked_at), "unlinked_by": link.unlinked_by}
    return doc


def _jsonable(value: Any) -> Any:
    """A column value as JSON: instants as ISO text, free-form objects with sorted keys.

    Sorting makes the bytes independent of how a back end returns a JSON
    column's keys, so repeated exports are identical.
    """
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(key): _jsonable(value[key]) for key in sorted(value, key=str)}
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    return value
