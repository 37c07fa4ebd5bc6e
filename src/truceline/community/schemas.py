"""Request and response bodies of the community API (Pydantic, separate from the ORM).

Inputs that carry a person's identity (``PersonIn``) are read once, sealed,
and never echoed: responses name people by pseudonym only.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from truceline.community.committees import MeetingKind, MemberRole
from truceline.db.bounds import INT32_MAX, RecordId


class PersonIn(BaseModel):
    """Who a member or reporter is: sealed to the custodian key on arrival."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    phone: str = Field(default="", max_length=40)
    village: str = Field(default="", max_length=200)


class CommitteeIn(BaseModel):
    district_key: str = Field(min_length=3, max_length=120)
    name: str = Field(min_length=1, max_length=200)


class MemberIn(BaseModel):
    person: PersonIn
    role: MemberRole
    term_start: date
    term_end: date

    @model_validator(mode="after")
    def _term_in_order(self) -> MemberIn:
        if self.term_end < self.term_start:
            raise ValueError("term_end is before term_start")
        return self


class MemberOut(BaseModel):
    pseudonym: str
    role: str
    term_start: date
    term_end: date
    status: str


class CommitteeOut(BaseModel):
    code: str
    name: str
    district_key: str
    district_name: str
    members: list[MemberOut]
    open_follow_ups: int


class SuspensionIn(BaseModel):
    reason: str = Field(min_length=1, max_length=2000)


class FollowUpIn(BaseModel):
    action: str = Field(min_length=1, max_length=2000)
    owner: str = Field(min_length=1, max_length=120)
    due_on: date


class MeetingIn(BaseModel):
    kind: MeetingKind = MeetingKind.MEETING
    held_at: datetime
    place: str = Field(min_length=1, max_length=200)
    attendees: list[str] = Field(default_factory=list, description="Member pseudonyms.")
    other_attendees: Annotated[int, Field(ge=0, le=INT32_MAX)] = 0
    issues: list[str] = Field(default_factory=list)
    agreements: list[str] = Field(default_factory=list)
    follow_ups: list[FollowUpIn] = Field(default_factory=list)
    incident_ids: list[RecordId] = Field(default_factory=list)


class MeetingOut(BaseModel):
    id: int
    committee: str
    kind: str
    held_at: datetime
    attendees: int
    follow_ups: int


class DecisionIn(BaseModel):
    committee: str = Field(min_length=1, max_length=40)
    text: str = Field(min_length=1, max_length=4000, description="The outcome, or the reason.")
    meeting_id: RecordId | None = None


class DecisionOut(BaseModel):
    id: int
    incident_id: int
    committee: str
    kind: str
    text: str
    decided_at: datetime


class ReporterIn(BaseModel):
    person: PersonIn
    committee: str | None = None
    language: str = Field(default="en", pattern="^(en|ps|fa|ur)$")


class ReporterOut(BaseModel):
    pseudonym: str
    committee: str | None
    language: str
    status: str
    reliability: dict[str, object]


class InboundSmsIn(BaseModel):
    """What a gateway posts for one message (JSON; form posts use From/Body/MessageSid)."""

    sender: str = Field(alias="from", min_length=3, max_length=40)
    text: str = Field(max_length=2000)
    id: str | None = Field(default=None, max_length=128)
    received_at: datetime | None = None
    gateway: str = Field(default="default", max_length=64)

    model_config = ConfigDict(populate_by_name=True)


class SmsReplyOut(BaseModel):
    status: str
    reply: str
    language: str
    confirmation_code: str | None


class HeldMessageOut(BaseModel):
    id: int
    received_at: datetime
    status: str
    language: str
    text: str


class DeliveryOut(BaseModel):
    id: int
    to: str
    body: str
