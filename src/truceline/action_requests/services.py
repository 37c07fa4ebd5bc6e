"""Use cases of requests for action: submit, then each step of the workflow.

Every function takes the session (and the clock, ``now``) from its caller and
records every change in the audit log in the same transaction, with an
explained history row (``RequestEvent``). Access is the policy's: the generic
rule for creating, ``authorize_request_step`` for each step.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rapidfuzz import fuzz, process
from sqlalchemy import select
from sqlalchemy.orm import Session

from truceline.accounts.policy import AccessDenied, Action, Resource, ResourceType, require
from truceline.accounts.policy_requests import authorize_request_step
from truceline.accounts.roles import Principal
from truceline.action_requests import explain
from truceline.action_requests.access import request_resource
from truceline.action_requests.domain import (
    AskedAction,
    DisputeReason,
    Provenance,
    RequestState,
    ResponseKind,
    ResponseWindow,
    ReturnReason,
    Step,
    TargetKind,
    Tlp,
    VerificationOutcome,
    answered_in_time,
    check_party,
    deadline_of,
    next_state,
    other_party,
    parse_choice,
    response_window,
)
from truceline.action_requests.exceptions import RequestNotFound, RequestRefused, UnknownGroup
from truceline.action_requests.models import ActionRequest, RequestEvent
from truceline.agreements.messages import Parts, english_of, parts_to_json
from truceline.agreements.models import Agreement, AgreementVersion
from truceline.agreements.services import agreement_index
from truceline.audit.log import append_entry
from truceline.designations.domain.names import normalise_name
from truceline.designations.resolution import alias_index

MAX_TEXT = 20_000


@dataclass(frozen=True)
class RequestSpec:
    """What a party asks (as typed in a form, an API body or a command)."""

    group: str
    asked_action: str
    target_kind: str
    clause: str
    summary: str
    target_detail: str = ""
    lat: float | None = None
    lon: float | None = None
    agreement: str | None = None
    tlp: str = "amber"
    requesting_party: str | None = None


@dataclass(frozen=True)
class StepInput:
    """The fields a step may need; each step checks its own."""

    note: str = ""
    reason: str | None = None  # a return reason, or a dispute reason
    response_kind: str | None = None
    outcome: str | None = None


def resolve_group(session: Session, name: str) -> tuple[str, str]:
    """(group id, name as given), or ``UnknownGroup`` offering the closest aliases."""
    index = alias_index(session)
    resolution = index.resolve(name)
    if resolution is not None and resolution.group_id is not None:
        return resolution.group_id, name.strip()
    if resolution is not None:  # ambiguous: the name is used for several groups
        closest = [(c.alias, c.group_id) for c in resolution.candidates]
    else:
        closest = closest_aliases(index.fuzzy_keys, index.exact, name)
    raise UnknownGroup(name, closest)


def closest_aliases(keys: tuple[str, ...], exact: Any, name: str) -> list[tuple[str, str]]:
    """The three known aliases nearest ``name``, whatever their score."""
    key = normalise_name(name)
    if not key:
        return []
    found: list[tuple[str, str]] = []
    for matched, _score, _ in process.extract(key, keys, scorer=fuzz.WRatio, limit=6):
        for entry in exact[matched]:
            pair = (entry.alias, entry.group_id)
            if pair not in found:
                found.append(pair)
    return found[:3]


def _clause_in_force(
    session: Session, clause: str, agreement: str | None, now: datetime
) -> tuple[str, list[ResponseWindow]]:
    """The agreement (in force ``now``) holding ``clause``, and its response windows."""
    in_force = agreement_index(session).in_force_at(now.timestamp())
    holding = [a for a in in_force if any(c.id == clause for c in a.clauses)]
    if agreement is not None:
        holding = [a for a in holding if a.id == agreement]
    if not holding:
        known = sorted({f"{c.id} ({a.id})" for a in in_force for c in a.clauses})
        raise RequestRefused(
            "unknown_clause",
            f"clause: no clause {clause!r} in an agreement in force on {now:%Y-%m-%d}; "
            f"in force: {', '.join(known) or 'none'}",
            field="clause",
        )
    chosen = max(holding, key=lambda a: (a.governs_from, a.id))
    return chosen.id, _windows(session, chosen.id)


def _windows(session: Session, agreement_id: str) -> list[ResponseWindow]:
    row = session.get(Agreement, agreement_id)
    if row is None:
        return []
    version = session.scalar(
        select(AgreementVersion).where(
            AgreementVersion.agreement_id == agreement_id,
            AgreementVersion.version == row.current_version,
        )
    )
    configured = (version.document or {}).get("request_response_windows") if version else None
    return [
        ResponseWindow(w["clause"], int(w["hours"]), tuple(w.get("actions") or ()), w["basis"])
        for w in configured or []
    ]


def _text(value: str, field: str, *, required: bool = True) -> str:
    text = value.strip()
    if required and not text:
        raise RequestRefused("missing_text", f"{field}: say it in words", field=field)
    if len(text) > MAX_TEXT:
        raise RequestRefused("too_long", f"{field}: at most {MAX_TEXT} characters", field=field)
    return text


def submit_request(
    session: Session,
    principal: Principal,
    spec: RequestSpec,
    *,
    now: datetime,
    provenance: Provenance = Provenance.LIVE,
    source_note: str = "",
    code: str | None = None,
) -> ActionRequest:
    """File a party's request; it waits for the mediator's screening."""
    party = check_party(spec.requesting_party or principal.party or "", field="requesting_party")
    require(principal, Action.CREATE, Resource(ResourceType.ACTION_REQUEST, owner_party=party))
    group_id, given = resolve_group(session, spec.group)
    action = parse_choice(AskedAction, spec.asked_action, field="asked_action")
    target = parse_choice(TargetKind, spec.target_kind, field="target_kind")
    tlp = parse_choice(Tlp, spec.tlp, field="tlp")
    detail = _text(spec.target_detail, "target_detail", required=target is not TargetKind.GROUP)
    _check_point(spec.lat, spec.lon)
    agreement_id, windows = _clause_in_force(session, spec.clause, spec.agreement, now)
    window = response_window(windows, spec.clause, action)
    deadline = deadline_of(now, window)
    request = ActionRequest(
        code=code or f"RQ-{now:%Y%m%d}-{secrets.token_hex(3).upper()}",
        requesting_party=party,
        addressed_party=other_party(party),
        group_id=group_id,
        group_name_given=given[:200],
        asked_action=action.value,
        target_kind=target.value,
        target_detail=detail,
        lat=spec.lat,
        lon=spec.lon,
        agreement_id=agreement_id,
        clause_id=spec.clause,
        summary=_text(spec.summary, "summary"),
        tlp=tlp.value,
        state=RequestState.SUBMITTED.value,
        delivered=False,
        provenance=provenance.value,
        source_note=source_note,
        submitted_by=principal.name,
        submitted_at=now,
        deadline_at=deadline,
        window_basis=window.basis.strip() if window else "",
    )
    session.add(request)
    session.flush()
    sentence = explain.submitted(
        party, request.addressed_party, action.value, group_id, spec.clause, agreement_id,
        deadline, request.window_basis,
    )  # fmt: skip
    _record(session, principal, request, "submit", None, now, sentence)
    return request


def _check_point(lat: float | None, lon: float | None) -> None:
    if (lat is None) != (lon is None):
        raise RequestRefused("half_a_point", "lat/lon: give both or neither", field="lat")
    if lat is not None and lon is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise RequestRefused("bad_point", f"lat/lon: ({lat}, {lon}) is not a point", field="lat")


def take_step(
    session: Session,
    principal: Principal,
    request: ActionRequest,
    step: Step,
    *,
    now: datetime,
    given: StepInput | None = None,
) -> ActionRequest:
    """Take one step of the workflow, if the policy lets ``principal`` take it now."""
    given = given or StepInput()
    decision = authorize_request_step(principal, step, request_resource(request))
    if not decision.allowed:
        raise AccessDenied(decision, principal)
    source = RequestState(request.state)
    target = next_state(source, step)
    sentence = _APPLY[step](request, given, now, principal)
    request.state = target.value
    request.delivered = target.value in {s.value for s in _DELIVERED}
    _record(session, principal, request, step.value, source.value, now, sentence)
    return request


def _admit(request: ActionRequest, given: StepInput, now: datetime, _p: Principal) -> Parts:
    return explain.admitted(_text(given.note, "note", required=False))


def _return(request: ActionRequest, given: StepInput, now: datetime, _p: Principal) -> Parts:
    reason = parse_choice(ReturnReason, given.reason or "", field="reason")
    request.return_reason = reason.value
    request.return_text = _text(given.note, "note")
    return explain.returned(reason.value, request.return_text)


def _deliver(request: ActionRequest, given: StepInput, now: datetime, _p: Principal) -> Parts:
    request.delivered_at = now
    return explain.delivered(request.addressed_party, request.deadline_at)


def _acknowledge(request: ActionRequest, given: StepInput, now: datetime, _p: Principal) -> Parts:
    request.acknowledged_at = now
    return explain.acknowledged(request.addressed_party)


def _respond(request: ActionRequest, given: StepInput, now: datetime, _p: Principal) -> Parts:
    kind = parse_choice(ResponseKind, given.response_kind or "", field="response_kind")
    dispute = None
    if kind is ResponseKind.DISPUTED:
        dispute = parse_choice(DisputeReason, given.reason or "", field="reason").value
    request.response_kind = kind.value
    request.dispute_reason = dispute
    request.response_text = _text(given.note, "note")
    request.responded_at = now
    in_time = answered_in_time(request.deadline_at, now)
    return explain.responded(request.addressed_party, kind.value, request.response_text, dispute,
                             in_time)  # fmt: skip


def _verify(request: ActionRequest, given: StepInput, now: datetime, who: Principal) -> Parts:
    if request.response_kind != ResponseKind.ACTION_TAKEN.value:
        raise RequestRefused(
            "nothing_to_verify",
            "only a response reporting action taken is verified; close the request instead",
            field="step",
        )
    outcome = parse_choice(VerificationOutcome, given.outcome or "", field="outcome")
    request.verification_outcome = outcome.value
    request.verification_text = _text(given.note, "note")
    request.verified_by = who.name
    request.verified_at = now
    return explain.verified(outcome.value, request.verification_text)


def _close(request: ActionRequest, given: StepInput, now: datetime, _p: Principal) -> Parts:
    request.closed_at = now
    return explain.closed(_text(given.note, "note", required=False))


_APPLY = {
    Step.ADMIT: _admit,
    Step.RETURN: _return,
    Step.DELIVER: _deliver,
    Step.ACKNOWLEDGE: _acknowledge,
    Step.RESPOND: _respond,
    Step.VERIFY: _verify,
    Step.CLOSE: _close,
}
_DELIVERED = {
    RequestState.DELIVERED,
    RequestState.ACKNOWLEDGED,
    RequestState.RESPONDED,
    RequestState.VERIFIED,
    RequestState.CLOSED,
}


def snapshot(request: ActionRequest) -> dict[str, Any]:
    """The request's fields as audited (their hash goes to the log)."""
    return {
        column.name: (value.isoformat() if isinstance(value, datetime) else value)
        for column in ActionRequest.__table__.columns
        for value in [getattr(request, column.key)]
    }


def _record(
    session: Session,
    principal: Principal,
    request: ActionRequest,
    step: str,
    source: str | None,
    now: datetime,
    sentence: Parts,
) -> None:
    session.add(
        RequestEvent(
            request_id=request.id, step=step, from_state=source, to_state=request.state,
            actor=principal.name, role=principal.role.value, party=principal.party, at=now,
            explanation=english_of(sentence), explanation_parts=parts_to_json(sentence),
        )
    )  # fmt: skip
    append_entry(
        session,
        actor=principal.as_actor(),
        action=f"request.{step}",
        object_type="action_request",
        object_id=request.code,
        before={"state": source},
        after=snapshot(request),
    )
    session.flush()


def find_request(session: Session, ref: str) -> ActionRequest:
    """A request by code (or numeric id); ``RequestNotFound`` otherwise."""
    request = session.scalar(select(ActionRequest).where(ActionRequest.code == ref))
    if request is None and ref.isascii() and ref.isdigit() and len(ref) < 10:
        request = session.get(ActionRequest, int(ref))
    if request is None:
        raise RequestNotFound("request", ref)
    return request


def history(session: Session, request: ActionRequest) -> list[RequestEvent]:
    return list(
        session.scalars(
            select(RequestEvent)
            .where(RequestEvent.request_id == request.id)
            .order_by(RequestEvent.id)
        )
    )
