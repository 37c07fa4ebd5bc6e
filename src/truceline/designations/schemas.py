"""Pydantic request bodies of the designations API (responses are the query functions' JSON)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from truceline.db.bounds import RecordId, Year
from truceline.designations.domain.positions import Stance


class GroupIn(BaseModel):
    id: str = Field(pattern=r"^[A-Z0-9_]{2,32}$")
    name: str = Field(min_length=1)
    description: str = ""
    founded_year: Year | None = None
    source: str = ""


class AliasIn(BaseModel):
    alias: str = Field(min_length=1)
    language: str = Field(min_length=2, max_length=8)
    kind: str = "name"
    origin: str = Field(min_length=1)
    source: str = ""


class RelationIn(BaseModel):
    kind: str
    object: str
    valid_from: date | None = None
    valid_until: date | None = None
    note: str = ""
    source: str = Field(min_length=1)


class ListingIn(BaseModel):
    list_name: str = Field(min_length=1)
    listed_by: str = Field(min_length=1)
    listed_year: Year | None = None
    listed_on: date | None = None
    reference: str | None = None
    source: str = Field(min_length=1)


class PositionIn(BaseModel):
    holder: str
    group: str
    stance: Stance
    effective_from: date
    date_precision: str = "day"
    rationale: str
    source: str
    criteria: list[str] = Field(default_factory=list)
    supersedes: RecordId | None = None


class EvidenceIn(BaseModel):
    group: str
    criterion: str
    asserted_by: str
    assessment: str
    summary: str
    source: str
    observed_on: date | None = None
    incident: str | None = None


class ProposalIn(BaseModel):
    group: str
    stance: Stance
    rationale: str
    on: date


class StepIn(BaseModel):
    kind: str
    rationale: str
    on: date
    party: str | None = None
    stance: Stance | None = None
    effective_from: date | None = None
    attendees: list[str] = Field(default_factory=list)


class ReplayIn(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    list_name: str | None = Field(default=None, alias="list", description="AF, PK or joint")
    what_if: list[str] | None = Field(default=None, description="group ids of a what-if list")
    disputed: list[str] = Field(default_factory=list)
    baseline: str = "joint"
