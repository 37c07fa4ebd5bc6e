"""Shared helpers for the requests tests: principals, a clock, a standard request."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from truceline.accounts.roles import Principal, Role
from truceline.action_requests.domain import Step
from truceline.action_requests.models import ActionRequest
from truceline.action_requests.services import RequestSpec, StepInput, submit_request, take_step

MEDIATOR = Principal("mona", Role.MEDIATOR)
AF = Principal("farid", Role.PARTY_LIAISON, "AF")
PK = Principal("sana", Role.PARTY_LIAISON, "PK")
MONITOR = Principal("maya", Role.FIELD_MONITOR)
TEAM = Principal("tariq", Role.TEAM_MEMBER)
NOW = datetime(2025, 10, 24, 9, 0, tzinfo=UTC)

TTP_ARREST = RequestSpec(
    group="Tehrik-i-Taliban Pakistan",
    asked_action="arrest",
    target_kind="individuals",
    target_detail="two commanders named in the package",
    clause="no-support-to-groups-attacking-pakistan",
    summary="Commanders of the TTP seen in Paktika",
)


def submit(session: Session, spec: RequestSpec = TTP_ARREST, who: Principal = PK,
           now: datetime = NOW) -> ActionRequest:  # fmt: skip
    return submit_request(session, who, spec, now=now)


def run_to(session: Session, request: ActionRequest, last: Step, *, kind: str = "action_taken",
           outcome: str = "confirmed", now: datetime = NOW) -> ActionRequest:  # fmt: skip
    """Take the request through the workflow up to ``last`` (each step by its own role)."""
    addressee = AF if request.addressed_party == "AF" else PK
    plan = [
        (Step.ADMIT, MEDIATOR, StepInput(note="names a designated group")),
        (Step.DELIVER, MEDIATOR, StepInput()),
        (Step.ACKNOWLEDGE, addressee, StepInput()),
        (Step.RESPOND, addressee, StepInput(note="what was done", response_kind=kind,
                                            reason="not_on_our_territory")),
        (Step.VERIFY, MONITOR, StepInput(note="the monitors went", outcome=outcome)),
        (Step.CLOSE, MEDIATOR, StepInput(note="done")),
    ]  # fmt: skip
    at = now
    for step, who, given in plan:
        at += timedelta(hours=1)
        take_step(session, who, request, step, now=at, given=given)
        if step is last:
            break
    return request


def keys(tmp_path: Path) -> Path:
    return tmp_path / "keys"
