"""Demo requests for ``truceline demo``: October 2025 from public reporting, and one exercise.

The public-reporting requests restate demands the parties made in public in
October 2025 (Pakistan's about the TTP, Afghanistan's about ISKP) as requests
through the mechanism, marked ``public_reporting`` with their source. Only the
steps the reporting supports are taken; nothing is invented about responses.

The exercise is fictional from end to end, group included ("Exercise group
Kestrel", which both parties designate for the exercise), and runs to a
verified response and a finding, so every step can be seen. Idempotent: a
request already stored is left as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from truceline.accounts.roles import Principal, Role
from truceline.action_requests import intelligence
from truceline.action_requests.domain import Provenance, Step
from truceline.action_requests.models import ActionRequest
from truceline.action_requests.outcomes import judge_group
from truceline.action_requests.services import RequestSpec, StepInput, submit_request, take_step
from truceline.audit.actor import SYSTEM
from truceline.db.engine import transaction
from truceline.designations.domain.positions import Position, Stance
from truceline.designations.models import ArmedGroup
from truceline.designations.services.positions import record_position
from truceline.designations.services.registry import add_alias, add_group

LIAISONS = {
    "AF": Principal("demo-af-liaison", Role.PARTY_LIAISON, "AF"),
    "PK": Principal("demo-pk-liaison", Role.PARTY_LIAISON, "PK"),
}
MEDIATOR = Principal("demo-mediator", Role.MEDIATOR)
MONITOR = Principal("demo-monitor", Role.FIELD_MONITOR)
EXERCISE_GROUP = "EXR"


@dataclass(frozen=True)
class DemoRequest:
    code: str
    party: str
    at: datetime
    spec: RequestSpec
    source: str
    steps: tuple[tuple[Step, StepInput], ...] = field(default_factory=tuple)


def _at(day: int, hour: int = 12) -> datetime:
    return datetime(2025, 10, day, hour, tzinfo=UTC)


PUBLIC = (
    DemoRequest(
        "RQ-DEMO-PK-TTP-1",
        "PK",
        _at(20),
        RequestSpec(
            group="TTP",
            asked_action="disrupt",
            target_kind="group",
            clause="no-support-to-groups-attacking-pakistan",
            summary="Pakistan asks the Afghan authorities to act against the TTP, which it "
            "says attacks Pakistan from Afghan territory (as stated after the Doha "
            "talks of 18–19 October 2025).",
        ),
        "Public reporting: statements of Pakistan's Defence Minister after the Doha talks, "
        "19–20 October 2025.",
        (
            (
                Step.ADMIT,
                StepInput(note="names a group in the registry and the clause it relies on"),
            ),
            (Step.DELIVER, StepInput()),
            (Step.ACKNOWLEDGE, StepInput()),
            (
                Step.RESPOND,
                StepInput(
                    response_kind="disputed",
                    reason="not_on_our_territory",
                    note="The Afghan authorities said they allow no one to use "
                    "Afghan territory against another country and call the "
                    "TTP Pakistan's internal matter (as reported).",
                ),
            ),
        ),
    ),
    DemoRequest(
        "RQ-DEMO-PK-TTP-2",
        "PK",
        _at(25),
        RequestSpec(
            group="Tehrik-e-Taliban Pakistan",
            asked_action="investigate",
            target_kind="group",
            clause="no-support-to-groups-attacking-pakistan",
            summary="Pakistan asks for concrete and verifiable action against the TTP "
            "(its demand at the Istanbul talks, as reported, 25–30 October 2025).",
        ),
        "Public reporting: Pakistani officials on the Istanbul talks, 25–30 October 2025.",
        ((Step.ADMIT, StepInput(note="admissible; awaiting delivery at the next round")),),
    ),
    DemoRequest(
        "RQ-DEMO-AF-ISKP-1",
        "AF",
        _at(29),
        RequestSpec(
            group="Daesh Khorasan",
            asked_action="expel",
            target_kind="group",
            clause="no-support-to-groups-attacking-pakistan",
            summary="Afghanistan asks Pakistan to expel ISKP members or hand them over, "
            "saying ISKP has training centres in Pakistan (as stated by the Afghan "
            "authorities' spokesman, late October 2025).",
        ),
        "Public reporting: statements of the Afghan authorities' spokesman, October 2025.",
        (
            (
                Step.RETURN,
                StepInput(
                    reason="clause_does_not_apply",
                    note="The clause relied on binds only Afghanistan (as relayed, "
                    "Pakistan made no matching undertaking); resubmit relying on "
                    "a clause binding Pakistan, or as a request to share "
                    "information.",
                ),
            ),
        ),
    ),
    DemoRequest(
        "RQ-DEMO-AF-ISKP-2",
        "AF",
        _at(30),
        RequestSpec(
            group="ISKP",
            asked_action="share_information",
            target_kind="group",
            clause="no-targeting-civilians",
            summary="Afghanistan asks Pakistan to share what it holds on ISKP cells it "
            "says attack Afghan civilians (restated from public statements).",
        ),
        "Public reporting: statements of the Afghan authorities, October 2025.",
    ),
)

EXERCISE = DemoRequest(
    "RQ-EXERCISE-1", "PK", _at(21, 9),
    RequestSpec(group="Exercise group Kestrel", asked_action="close", target_kind="location",
                target_detail="Camp K-1 (fictional), a compound 4 km from a crossing",
                lat=32.82, lon=69.05, clause="no-support-to-groups-attacking-pakistan",
                summary="EXERCISE (fictional): close the Kestrel group's camp K-1.", tlp="green"),
    "A fictional exercise of the mechanism; no real group, place or event.",
    ((Step.ADMIT, StepInput(note="exercise: admissible")),
     (Step.DELIVER, StepInput()),
     (Step.ACKNOWLEDGE, StepInput()),
     (Step.RESPOND, StepInput(response_kind="action_taken",
                              note="Exercise: the compound was closed and its occupants moved.")),
     (Step.VERIFY, StepInput(outcome="confirmed",
                             note="Exercise: monitors visited camp K-1; it was empty and shut.")),
     (Step.CLOSE, StepInput(note="exercise complete"))),
)  # fmt: skip


def ensure_exercise_group(session: Session) -> str:
    """The fictional group of the exercise, designated by both parties (so on the joint list)."""
    if session.get(ArmedGroup, EXERCISE_GROUP) is not None:
        return EXERCISE_GROUP
    add_group(session, actor=SYSTEM, group_id=EXERCISE_GROUP, name="Exercise group Kestrel",
              description="FICTIONAL: a group invented for exercises of the mechanism.",
              source="fictional exercise")  # fmt: skip
    add_alias(session, actor=SYSTEM, group_id=EXERCISE_GROUP, alias="Kestrel", language="en",
              kind="name", origin="fictional exercise")  # fmt: skip
    for party in ("AF", "PK"):
        position = Position(holder=party, group_id=EXERCISE_GROUP, stance=Stance.DESIGNATED,
                            effective_from=date(2025, 10, 1), rationale="fictional exercise",
                            source="fictional exercise")  # fmt: skip
        record_position(session, actor=SYSTEM, position=position)
    return EXERCISE_GROUP


def _actor(step: Step, request: ActionRequest) -> Principal:
    if step in {Step.ACKNOWLEDGE, Step.RESPOND}:
        return LIAISONS[request.addressed_party]
    return MONITOR if step is Step.VERIFY else MEDIATOR


def _file(session: Session, item: DemoRequest, provenance: Provenance) -> ActionRequest | None:
    if session.query(ActionRequest.id).filter(ActionRequest.code == item.code).first():
        return None
    request = submit_request(session, LIAISONS[item.party], item.spec, now=item.at,
                             provenance=provenance, source_note=item.source, code=item.code)  # fmt: skip
    at = item.at
    for step, given in item.steps:
        at += timedelta(hours=20)
        take_step(session, _actor(step, request), request, step, now=at, given=given)
    return request


def load_demo_requests(engine: Engine, *, keys_dir: Path) -> int:
    """File the demo requests (idempotent); returns how many were added."""
    added = 0
    with transaction(engine) as session:
        for item in PUBLIC:
            added += _file(session, item, Provenance.PUBLIC_REPORTING) is not None
        ensure_exercise_group(session)
        exercise = _file(session, EXERCISE, Provenance.EXERCISE)
        if exercise is not None:
            added += 1
            package = intelligence.create_package(
                session, LIAISONS["PK"], title="Exercise: camp K-1 (fictional)",
                body="EXERCISE. Fictional sightings at camp K-1 on 18 and 19 October.",
                tlp="green", audience="mediator_and_party", keys_dir=keys_dir, request=exercise,
                code="IP-EXERCISE-1",
            )  # fmt: skip
            intelligence.release_package(session, LIAISONS["PK"], package, keys_dir=keys_dir,
                                         now=EXERCISE.at)  # fmt: skip
            judge_group(session, MEDIATOR, EXERCISE_GROUP, "AF", now=_at(31))
    return added
