"""What a report submission holds, and how a stored report is shown (Pydantic, separate from ORM).

``ReportSubmission`` is shared by every channel (API, web form, CSV, SMS,
bulk import). Its validators name the field at fault; the service adds the
checks that need the database (known agreement, idempotency token).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from truceline.events import provenance
from truceline.events.casualties import Casualties
from truceline.events.provenance import Origin, ReportKind
from truceline.events.taxonomy import (
    EVENT_TYPES,
    Credibility,
    PlacePrecision,
    Reliability,
    Target,
    TimePrecision,
)
from truceline.incidents.limits import MAX_REPORT_TEXT_CHARS

MAX_TEXT_CHARS = MAX_REPORT_TEXT_CHARS
MAX_ATTACHMENTS = 10
#: Clock skew tolerated between a reporter's device and the server.
FUTURE_SKEW = timedelta(minutes=15)


class Channel(StrEnum):
    API = "api"
    WEB = "web"
    CSV = "csv"
    SMS = "sms"
    IMPORT = "import"


class IntakeSourceType(StrEnum):
    """Who a report comes from. ``party_liaison`` is a party's formal allegation."""

    PARTY_LIAISON = "party_liaison"
    FIELD_MONITOR = "field_monitor"
    COMMUNITY_REPORTER = "community_reporter"
    MEDIA = "media"
    OTHER = "other"


class AttachmentIn(BaseModel):
    """A file sent with a report; its type is sniffed from the bytes, not taken from here."""

    filename: str = Field(default="", max_length=255)
    content_base64: str
    obtained_by: str = Field(min_length=1, max_length=300, description="Who obtained the file.")
    obtained_at: datetime = Field(description="When it was obtained (with time zone).")
    how_obtained: str = Field(default="", max_length=2000, description="e.g. photographed on site")

    @field_validator("obtained_at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        return _require_aware(value, "obtained_at")


class ReportContent(BaseModel):
    """The fields a source states; shared by a new report and a correction."""

    model_config = ConfigDict(extra="forbid")

    source_name: str = Field(default="", max_length=300)
    source_party: Literal["AF", "PK"] | None = None
    reliability: Reliability = Reliability.F
    credibility: Credibility = Credibility.CANNOT_BE_JUDGED
    text: str = Field(min_length=1, description=f"Verbatim, at most {MAX_TEXT_CHARS} characters.")
    occurred_at: datetime | None = None
    time_precision: TimePrecision = TimePrecision.DAY
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    geo_precision: PlacePrecision = PlacePrecision.EXACT
    place_text: str = Field(default="", max_length=300)
    event_type: str | None = None
    claimed_perpetrator: str | None = Field(default=None, max_length=300)
    targets: list[Target] = Field(default_factory=list)
    casualties: dict[str, Any] = Field(default_factory=dict)
    agreement_id: str | None = Field(default=None, max_length=64)
    kind: ReportKind | None = Field(
        default=None,
        description="allegation or denial (a party's), or account; default: a party's report is "
        "its allegation (its denial when it names its own forces), anyone else's an account.",
    )
    origin: Origin | None = Field(
        default=None,
        description="witnessed, official_statement, relayed or unknown; default by source type, "
        'or relayed when the text says "according to …", "citing …", "as reported by …".',
    )
    relayed_from: str | None = Field(
        default=None, max_length=300, description="The source a relayed report passes on."
    )
    relayed_from_party: Literal["AF", "PK"] | None = Field(
        default=None, description="Set when the relayed source is a party's official voice."
    )

    @field_validator("text")
    @classmethod
    def _not_oversized(cls, value: str) -> str:
        if len(value) > MAX_TEXT_CHARS:
            raise ValueError(f"text is {len(value)} characters; the limit is {MAX_TEXT_CHARS}")
        if not value.strip():
            raise ValueError("text is empty")
        return value

    @field_validator("occurred_at")
    @classmethod
    def _aware_and_past(cls, value: datetime | None) -> datetime | None:
        if value is None:
            return None
        value = _require_aware(value, "occurred_at")
        if value > datetime.now(UTC) + FUTURE_SKEW:
            raise ValueError(f"occurred_at {value.isoformat()} is in the future")
        return value

    @field_validator("event_type")
    @classmethod
    def _known_event_type(cls, value: str | None) -> str | None:
        if value is not None and value not in EVENT_TYPES:
            raise ValueError(f"unknown event type {value!r}")
        return value

    @field_validator("casualties")
    @classmethod
    def _valid_casualties(cls, value: dict[str, Any]) -> dict[str, Any]:
        return Casualties.from_json(value).to_json()

    @model_validator(mode="after")
    def _coordinates_in_pairs(self) -> ReportContent:
        if (self.lat is None) != (self.lon is None):
            raise ValueError("lat and lon must be given together")
        return self

    @model_validator(mode="after")
    def _consistent_provenance(self) -> ReportContent:
        problems = provenance.check(
            kind=self.kind, source_party=self.source_party, perpetrator=self.claimed_perpetrator,
            origin=self.origin, relayed_from=self.relayed_from,
            relayed_from_party=self.relayed_from_party,
        )  # fmt: skip
        if problems:
            raise ValueError("; ".join(f"{name}: {message}" for name, message in problems))
        return self


class ReportSubmission(ReportContent):
    """A new report from any channel."""

    client_token: str | None = Field(
        default=None,
        min_length=8,
        max_length=128,
        description="Chosen by the client; resubmitting with the same token returns the stored report.",
    )
    channel: Channel = Channel.API
    source_type: IntakeSourceType
    attachments: list[AttachmentIn] = Field(default_factory=list, max_length=MAX_ATTACHMENTS)

    @model_validator(mode="after")
    def _allegation_names_its_party(self) -> ReportSubmission:
        if self.source_type is IntakeSourceType.PARTY_LIAISON and self.source_party is None:
            raise ValueError("source_party is required for a party liaison's allegation")
        return self


class ReportCorrection(BaseModel):
    """A correction: the fields that change, and why. Everything else is carried over."""

    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=2000)
    changes: dict[str, Any] = Field(
        description="Fields of the report to change, as in a submission (text, occurred_at, ...)."
    )


class AnnotationIn(BaseModel):
    """A note on a report, filed in the annotator's name; the report itself is unchanged."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=MAX_TEXT_CHARS)


class AnnotationOut(BaseModel):
    id: int
    report_id: int
    text: str
    author: str
    author_role: str
    author_party: str | None
    created_at: datetime


class AttachmentOut(BaseModel):
    sha256: str
    size_bytes: int
    media_type: str
    original_filename: str
    obtained_by: str
    obtained_at: datetime
    how_obtained: str


class ReportOut(BaseModel):
    """A stored report version, as shown to analysts."""

    id: int
    code: str
    version: int
    supersedes_id: int | None
    superseded_by_id: int | None
    channel: str
    source_type: str
    source_name: str
    source_party: str | None
    grade: str
    text: str
    language: str | None
    received_at: datetime
    occurred_at: datetime | None
    time_precision: int
    lat: float | None
    lon: float | None
    geo_precision: int
    place_text: str
    event_type: str | None
    claimed_perpetrator: str | None
    claimed_perpetrator_label: str
    targets: list[str]
    casualties: dict[str, Any]
    agreement_id: str | None
    kind: str
    origin: str
    relayed_from: str
    relayed_from_party: str | None
    origin_note: str
    submitted_by: str | None
    incident_ids: list[int]
    attachments: list[AttachmentOut]
    annotations: list[AnnotationOut] = Field(
        default_factory=list, description="Notes of the mechanism, each in its author's name."
    )


class LinkOutcome(BaseModel):
    """What automatic linking did with a new report."""

    status: Literal["auto_linked", "proposed", "new_incident", "already_linked"]
    incident_id: int | None
    score: float | None = None
    reasons: list[str] = Field(default_factory=list)
    proposals: list[int] = Field(default_factory=list, description="Candidate incident ids.")


class SubmissionResult(BaseModel):
    created: bool
    report: ReportOut
    link: LinkOutcome | None


def _require_aware(value: datetime, field_name: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{field_name} needs a time zone (e.g. +05:00 or Z)")
    return value
