"""The agreement document: what an agreement's terms look like as data.

An agreement is a YAML/JSON document validated by ``AgreementDocument``. Terms
that the public record does not give are written as the literal ``unknown``
and are never guessed. The JSON Schema in ``docs/agreement.schema.json`` is
generated from these models (``truceline agreements schema``).

To add a prohibited act or a way of being bound, extend ``ProhibitedAct`` or
``BoundThrough`` here and teach ``adjudication`` what it means.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

UNKNOWN: Literal["unknown"] = "unknown"
Unknown = Literal["unknown"]

PartyCode = Literal["AF", "PK"]
AgreementId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*[a-z0-9]$", max_length=64)]
ClauseId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*[a-z0-9]$", max_length=80)]

#: Acts a clause can prohibit.
ProhibitedAct = Literal[
    "targeting_security_forces",
    "targeting_civilians",
    "targeting_critical_infrastructure",
    "incursion",
    "support_to_hostile_groups",
]
#: How a party is bound: as a government, through its own forces, or for groups it supports.
BoundThrough = Literal["government", "own_forces", "supported_groups"]
#: Attribution links through which a non-party's act can engage a party under a clause.
CoveredLink = Literal["directed", "facilitated", "sanctioned", "tolerated"]
Severity = Literal["grave", "serious", "minor", "unknown"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Strict):
    """Where a term comes from: the public record the document relies on."""

    title: str = Field(min_length=1)
    publisher: str = Field(min_length=1)
    date: date
    url: str | None = None
    note: str = ""


class PenaltyLevel(_Strict):
    name: str = Field(min_length=1)
    description: str = ""


class Consequences(_Strict):
    """What follows a breach. Each part is ``unknown`` until the parties publish it."""

    text: str | Unknown = UNKNOWN
    imposed_on: Literal["violating_party"] | Unknown = UNKNOWN
    decided_by: str | Unknown = UNKNOWN
    penalty_levels: list[PenaltyLevel] | Unknown = UNKNOWN


class Binding(_Strict):
    """One party bound by a clause, and through whom."""

    party: PartyCode
    through: list[BoundThrough] = Field(min_length=1)


class GeographicScope(_Strict):
    """Where a clause applies. ``bbox`` is ``[min_lon, min_lat, max_lon, max_lat]`` (WGS 84)."""

    description: str = Field(min_length=1)
    bbox: tuple[float, float, float, float] | Unknown

    @model_validator(mode="after")
    def _bbox_is_ordered(self) -> GeographicScope:
        if isinstance(self.bbox, tuple):
            min_lon, min_lat, max_lon, max_lat = self.bbox
            if not (-180 <= min_lon < max_lon <= 180 and -90 <= min_lat < max_lat <= 90):
                raise ValueError("bbox must be [min_lon, min_lat, max_lon, max_lat] in degrees")
        return self


class Asymmetry(_Strict):
    """Why a clause binds the parties differently. Explanations quote the reason."""

    reason: str = Field(min_length=1)


class Clause(_Strict):
    """One obligation: who is bound, what is prohibited, where, and how seriously."""

    id: ClauseId
    text: str = Field(min_length=1)
    binds: list[Binding] = Field(min_length=1)
    prohibits: list[ProhibitedAct] = Field(min_length=1)
    covers_links: list[CoveredLink] = Field(default_factory=list)
    scope: GeographicScope
    severity: Severity = UNKNOWN
    consequences: Consequences | None = None
    asymmetric: Asymmetry | None = None

    @model_validator(mode="after")
    def _support_needs_supported_groups(self) -> Clause:
        if "support_to_hostile_groups" in self.prohibits:
            if not all("supported_groups" in b.through for b in self.binds):
                raise ValueError(
                    "a clause prohibiting support_to_hostile_groups must bind through "
                    "supported_groups"
                )
            if not self.covers_links:
                raise ValueError(
                    "a clause prohibiting support_to_hostile_groups must list covers_links"
                )
        if len({b.party for b in self.binds}) != len(self.binds):
            raise ValueError("each party may appear only once in binds")
        return self


class Suspension(_Strict):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    starts: AwareDatetime = Field(alias="from")
    until: AwareDatetime | Unknown
    reason: str = ""


class Termination(_Strict):
    at: AwareDatetime
    reason: str = ""


class ExtensionNote(_Strict):
    """That another agreement extended this one (the extension is its own document)."""

    agreement: AgreementId
    agreed_on: date
    adds_hours: int | Unknown = "unknown"


class RequestResponseWindow(_Strict):
    """How long the addressed party has to respond to a request for action relying on a clause.

    ``actions`` lists the asked actions the window applies to (empty: every action);
    ``basis`` says where the figure comes from (the public texts give none so far).
    """

    clause: ClauseId
    hours: int = Field(ge=1, le=24 * 365)
    actions: list[str] = Field(default_factory=list)
    basis: str = Field(min_length=1)


class AgreementDocument(_Strict):
    """A whole agreement, as published (or as far as it is public)."""

    id: AgreementId
    version: int = Field(default=1, ge=1)
    title: str = Field(min_length=1)
    kind: Literal["truce", "truce_extension", "ceasefire", "mechanism"]
    parties: list[PartyCode] = Field(min_length=2)
    mediators: list[str] | Unknown
    agreed_on: date
    signed_at: AwareDatetime | Unknown
    in_force_from: AwareDatetime
    in_force_from_precision: Literal["minute", "hour", "day"] = "minute"
    duration_hours: int | Literal["open_ended", "unknown"] = Field(
        description="Hours in force from in_force_from; open_ended or unknown."
    )
    cooling_off_hours: int | None = Field(
        default=None,
        ge=1,
        le=24 * 90,
        description="Verification window after a party allegation during which the parties "
        "have undertaken not to respond; unset means the default of 72 hours.",
    )
    effective_from: AwareDatetime | None = Field(
        default=None,
        description="When this version's terms start to govern incidents. Unset: the first "
        "version governs from the start; a later version from when it is stored (adopted). "
        "Incidents before it stay judged by the version in force at their time.",
    )
    extends: AgreementId | None = None
    inherits_clauses_from: AgreementId | None = None
    extensions: list[ExtensionNote] = Field(default_factory=list)
    suspensions: list[Suspension] = Field(default_factory=list)
    termination: Termination | None = None
    clauses: list[Clause] = Field(default_factory=list)
    consequences: Consequences = Field(default_factory=Consequences)
    sources: list[Source] = Field(min_length=1)
    notes: str = ""
    #: Default hours per verification task kind under this agreement (optional; the
    #: verification context's defaults apply to kinds not listed).
    verification_deadlines_hours: dict[str, int] | None = None
    #: Response windows for requests for action relying on this agreement's clauses
    #: (optional; requests under an agreement without them have no deadline).
    request_response_windows: list[RequestResponseWindow] | None = None

    @model_validator(mode="after")
    def _consistent(self) -> AgreementDocument:
        if len(set(self.parties)) != len(self.parties):
            raise ValueError("parties must not repeat")
        if isinstance(self.duration_hours, int) and self.duration_hours <= 0:
            raise ValueError("duration_hours must be positive")
        for kind, hours in (self.verification_deadlines_hours or {}).items():
            if hours <= 0:
                raise ValueError(f"verification_deadlines_hours.{kind} must be positive")
        if not self.clauses and not self.inherits_clauses_from:
            raise ValueError("an agreement needs clauses, or inherits_clauses_from")
        self._check_clauses()
        self._check_response_windows()
        return self

    def _check_response_windows(self) -> None:
        """A window cites a clause of this agreement (unless its clauses are inherited)."""
        if self.inherits_clauses_from:
            return
        known = {clause.id for clause in self.clauses}
        for index, window in enumerate(self.request_response_windows or []):
            if window.clause not in known:
                raise ValueError(
                    f"request_response_windows[{index}].clause: no clause {window.clause!r} "
                    f"in this agreement (its clauses: {', '.join(sorted(known))})"
                )

    def _check_clauses(self) -> None:
        seen: set[str] = set()
        for clause in self.clauses:
            if clause.id in seen:
                raise ValueError(f"clause id {clause.id!r} is used twice")
            seen.add(clause.id)
            bound = {b.party for b in clause.binds}
            if not bound <= set(self.parties):
                raise ValueError(f"clause {clause.id!r} binds a non-party: {sorted(bound)}")
            symmetric = (
                bound == set(self.parties) and len({tuple(b.through) for b in clause.binds}) == 1
            )
            if not symmetric and clause.asymmetric is None:
                raise ValueError(
                    f"clause {clause.id!r} binds the parties differently; "
                    "say why in 'asymmetric: {reason: ...}'"
                )


def agreement_json_schema() -> dict[str, Any]:
    """The JSON Schema of agreement documents (exported to ``docs/agreement.schema.json``)."""
    schema = AgreementDocument.model_json_schema(by_alias=True)
    schema["$id"] = "https://truceline.invalid/schemas/agreement.schema.json"
    schema["title"] = "truceline agreement document"
    return schema
