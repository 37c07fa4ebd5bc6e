"""Pydantic request and response schemas of the verification API (kept apart from the ORM)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from truceline.db.bounds import RecordId
from truceline.verification.record import MAX_TEXT_CHARS

PartyCode = Literal["AF", "PK"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class OpenCaseIn(_Strict):
    agreement_id: str | None = Field(default=None, max_length=64)
    alleging_party: PartyCode | None = None
    accused_party: PartyCode | None = None


class TransitionIn(_Strict):
    name: str = Field(min_length=1, max_length=32, examples=["triage"])
    note: str = Field(default="", max_length=MAX_TEXT_CHARS)


class MemberIn(_Strict):
    name: str = Field(min_length=1, max_length=64)
    nominated_by: PartyCode | None = Field(
        default=None, description="AF or PK for a party's nominee; null for a neutral member"
    )
    role: Literal["mediator", "field_monitor", "team_member", "party_liaison"] | None = None


class TeamIn(_Strict):
    members: list[MemberIn] = Field(min_length=1, max_length=30)


class TaskIn(_Strict):
    kind: Literal["first_assessment", "site_visit", "interview", "evidence_request"]
    due_at: AwareDatetime | None = Field(
        default=None, description="omit for the agreement's default; never in the past"
    )
    description: str = Field(default="", max_length=MAX_TEXT_CHARS)
    assignee: str | None = Field(default=None, max_length=64)
    requested_from: PartyCode | None = None


class TaskCompleteIn(_Strict):
    outcome: str = Field(min_length=1, max_length=MAX_TEXT_CHARS)


class TaskBlockedIn(_Strict):
    reason: Literal["access_denied", "waiting_on_party"]
    note: str = Field(default="", max_length=MAX_TEXT_CHARS)


class ReplyWindowIn(_Strict):
    party: PartyCode | None = None
    due_at: AwareDatetime | None = None


class PartiesIn(_Strict):
    """A mediator's correction of who alleges against whom; the reason is kept and audited."""

    alleging_party: PartyCode
    accused_party: PartyCode
    reason: str = Field(min_length=1, max_length=MAX_TEXT_CHARS)


class ReplyIn(_Strict):
    text: str = Field(min_length=1, max_length=MAX_TEXT_CHARS)


class ViewIn(_Strict):
    position: Literal["concurs", "dissents", "abstains"]
    text: str = Field(min_length=1, max_length=MAX_TEXT_CHARS)


class ObstructionIn(_Strict):
    description: str = Field(min_length=1, max_length=MAX_TEXT_CHARS)
    obstructing_party: PartyCode | None = None
    occurred_at: AwareDatetime | None = None
    task_id: RecordId | None = None


class AttributionIn(_Strict):
    party: PartyCode
    link: Literal["directed", "facilitated", "sanctioned", "tolerated", "none"]
    established: bool = False
    confidence: Literal["low", "medium", "high"] = "medium"


class DeterminationIn(_Strict):
    perpetrator: str = Field(min_length=1, max_length=64, examples=["AF"])
    attribution: list[AttributionIn] = Field(default_factory=list)
    targets: list[str] = Field(default_factory=list, examples=[["security_forces"]])
    casualties: dict[str, Any] = Field(default_factory=dict)
    confidence: Literal["low", "medium", "high"]
    summary: str = Field(min_length=1, max_length=MAX_TEXT_CHARS)


class CorrectionIn(_Strict):
    """The facts a mediator corrects on a determined incident (only those given change)."""

    perpetrator: str | None = Field(default=None, min_length=1, max_length=64)
    attribution: list[AttributionIn] | None = None
    targets: list[str] | None = None
    casualties: dict[str, Any] | None = None
    reason: str = Field(min_length=1, max_length=MAX_TEXT_CHARS)


class CustodyIn(_Strict):
    action: Literal["transferred", "examined", "sealed", "copied", "returned"]
    holder: str = Field(min_length=1, max_length=300)
    note: str = Field(default="", max_length=MAX_TEXT_CHARS)


class RefusalOut(BaseModel):
    """Why a transition was refused: the state, the attempted transition and the reason."""

    error: Literal["transition_refused"] = "transition_refused"
    state: str
    attempted: str
    reason: str


class QueueItemOut(BaseModel):
    task_id: int
    incident_id: int
    incident_code: str
    state: str
    kind: str
    description: str
    assignee: str | None
    requested_from: str | None
    due_at: str
    overdue: bool
    hours_overdue: float
    reason: str | None = Field(
        description="access_denied, no_team, waiting_on_party, not_started or in_progress"
    )
    blocked_note: str
    blocked_reason: str | None = Field(
        None, description="why the team is stuck (access_denied, waiting_on_party), overdue or not"
    )
    obstructions: list[str] = Field(
        default_factory=list, description="codes of obstruction incidents recorded against the task"
    )


class CaseOut(BaseModel):
    """The whole record of a case (see ``verification.serialisation.case_record``)."""

    model_config = ConfigDict(extra="allow")

    incident: dict[str, Any]
    state: str
    version: int
    agreement_id: str | None
    alleging_party: str | None
    accused_party: str | None
    reply_due: str | None
    history: list[dict[str, Any]]
    team: list[dict[str, Any]]
    tasks: list[dict[str, Any]]
    replies: list[dict[str, Any]]
    views: list[dict[str, Any]]
    dissent: list[str]
    obstructions: list[dict[str, Any]]
    evidence: list[dict[str, Any]]
    determination: dict[str, Any] | None
    available_actions: list[str] = Field(
        default_factory=list, description="The steps the caller may take now (the policy's)"
    )


class ActionOut(BaseModel):
    """One step of the workflow and the policy's answer for the caller on this case now."""

    step: str
    allowed: bool
    reason: str
