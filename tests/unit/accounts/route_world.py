"""A database with real records of both parties, for the every-route access test.

``seed_world`` files each party's allegation, a community report and a monitor's
report through intake; opens a verification on an unreleased incident with
evidence from both parties and a monitor; adds a determined and released
incident, notifications for each liaison, a committee, an API token and a merge.
Each record is described by the policy's own view of it (``scoping.resource_of``,
``verification.serialisation.evidence_resource``), and many carry a **secret**: a marker
string that must never appear in a response to someone the policy refuses.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from truceline.accounts import services as accounts
from truceline.accounts.credentials import issue_token
from truceline.accounts.policy import Resource, ResourceType
from truceline.accounts.roles import Principal, Role
from truceline.accounts.scoping import resource_of
from truceline.agreements.models import StoredFinding
from truceline.audit.actor import SYSTEM
from truceline.community.models import BorderDistrictRow, Committee, CommitteeMember
from truceline.config import get_settings
from truceline.content_store import ContentStore
from truceline.db.engine import transaction
from truceline.incidents.curation import merge_incidents
from truceline.incidents.models import Incident, Report
from truceline.intake.schemas import ReportSubmission
from truceline.intake.services import submit_report
from truceline.verification import evidence, services
from truceline.verification.access import team_names
from truceline.verification.record import open_reply_window
from truceline.verification.serialisation import evidence_resource
from truceline.verification.services import MemberSpec
from truceline.warning.models import Notification

from .route_requests import seed_requests

#: A record's description for the policy: fixed, or seen from the principal asking.
Describe = Resource | Callable[[Principal], Resource]


@dataclass
class Record:
    """One seeded object: how to name it in a path, and what the policy knows about it."""

    label: str
    params: dict[str, str]
    resources: dict[ResourceType, Describe] = field(default_factory=dict)

    def resource(self, kind: ResourceType, principal: Principal) -> Resource:
        described = self.resources.get(kind, Resource(kind))
        return described(principal) if callable(described) else described


@dataclass
class World:
    records: dict[str, list[Record]] = field(default_factory=dict)
    #: marker → the resource whose READ decides who may see it
    secrets: dict[str, Resource] = field(default_factory=dict)

    def add(self, kind: str, record: Record) -> Record:
        self.records.setdefault(kind, []).append(record)
        return record


MEDIATOR = Principal("mona", Role.MEDIATOR)
AF_LIAISON = Principal("farid", Role.PARTY_LIAISON, "AF")
PK_LIAISON = Principal("sana", Role.PARTY_LIAISON, "PK")
MONITOR = Principal("maya", Role.FIELD_MONITOR)
WHEN = datetime(2025, 10, 22, 23, 40, tzinfo=UTC)

ALLEGATIONS = {
    # who files, source type, party, place: each its own event, so each opens an incident
    "AF": (AF_LIAISON, "party_liaison", "AF", 32.93, 69.17),
    "PK": (PK_LIAISON, "party_liaison", "PK", 33.85, 70.05),
    "COMMUNITY": (Principal("reporter-7", Role.COMMUNITY_REPORTER), "community_reporter", None,
                  31.6, 66.4),
    "MONITOR": (MONITOR, "field_monitor", None, 34.1, 71.1),
}  # fmt: skip


def seed_world(engine: Engine) -> World:
    world = World()
    with transaction(engine) as session:
        _reports(session, world)
        case_incident = _incidents(session, world)
        _verification(session, world, case_incident)
        _notifications(session, world)
        _committee(session, world)
        _token(session, world)
        seed_requests(session, world)
    for kind, released in (("public", True), ("restricted", False)):
        world.add("periodic", Record(kind, {"kind": kind}, {
            ResourceType.PERIODIC_REPORT: Resource(ResourceType.PERIODIC_REPORT, released=released)
        }))  # fmt: skip
    return world


def _reports(session: Session, world: World) -> None:
    for key, (principal, source_type, party, lat, lon) in ALLEGATIONS.items():
        secret = f"SECRET-REPORT-{key}"
        submission = ReportSubmission.model_validate({
            "source_type": source_type, "source_party": party, "source_name": f"{key} source",
            "text": f"{secret}: shelling hit homes", "occurred_at": WHEN.isoformat(),
            "time_precision": 1, "lat": lat, "lon": lon, "event_type": "cross_border_fire",
        })  # fmt: skip
        result = submit_report(
            session,
            submission,
            actor=principal.as_actor(),
            store=ContentStore.under(get_settings().data_dir),
        )
        report = result.report
        described = resource_of(session.get_one(Report, report.id))
        world.secrets[secret] = described
        world.add("report", Record(key, {"report_id": str(report.id)}, {
            ResourceType.REPORT: described}))  # fmt: skip
        incident = session.get_one(Incident, report.incident_ids[0])
        world.add("incident", _incident_record(f"alleged-{key}", incident))


def _incident_record(label: str, incident: Incident) -> Record:
    described = resource_of(incident)
    finding = Resource(ResourceType.FINDING, released=incident.released,
                       determined=described.determined)  # fmt: skip
    return Record(
        label,
        {"incident_id": str(incident.id), "incident_ref": incident.code},
        {
            ResourceType.INCIDENT: described,
            ResourceType.FINDING: finding,
            # a view is recorded in one's own name; evidence is submitted in one's party's name
            ResourceType.MEMBER_VIEW: lambda p: Resource(
                ResourceType.MEMBER_VIEW, owner_user=p.name
            ),
            ResourceType.EVIDENCE_ORIGINAL: lambda p: Resource(
                ResourceType.EVIDENCE_ORIGINAL, owner_party=p.party
            ),
        },
    )


def _new_incident(session: Session, code: str, title: str, **facts: object) -> Incident:
    incident = Incident(code=code, title=title, occurred_at=WHEN - timedelta(days=3), lat=33.0,
                        lon=69.5, event_type="cross_border_fire", **facts)  # fmt: skip
    session.add(incident)
    session.flush()
    return incident


def _incidents(session: Session, world: World) -> Incident:
    public = _new_incident(session, "INC-PUBLIC", "Released shelling",
                           verification_state="determined", released=True)  # fmt: skip
    world.add("incident", _incident_record("released", public))
    hidden = _new_incident(session, "INC-HIDDEN", "SECRET-INCIDENT-TITLE")
    world.add("incident", _incident_record("unreleased", hidden))
    world.secrets["SECRET-INCIDENT-TITLE"] = resource_of(hidden)
    for incident, explanation in ((public, "released finding"), (hidden, "SECRET-FINDING")):
        session.add(StoredFinding(incident_id=incident.id, agreement_id="doha-2025-10-19",
                                  finding="violation", violating_party="AF", basis="direct",
                                  explanation=explanation, rules_version="test", facts_hash="0" * 64,
                                  definition="test"))  # fmt: skip
    world.secrets["SECRET-FINDING"] = Resource(ResourceType.FINDING)
    for code in ("INC-MERGE-A", "INC-MERGE-B"):
        _new_incident(session, code, "to merge")
    ids = session.scalars(select(Incident.id).where(Incident.code.like("INC-MERGE-%"))).all()
    operation = merge_incidents(session, source_id=ids[0], target_id=ids[1],
                                actor=MEDIATOR.as_actor(), reason="same event")  # fmt: skip
    world.add("operation", Record("merge", {"operation_id": str(operation.id)}))
    return hidden


def _verification(session: Session, world: World, incident: Incident) -> None:
    case = services.open_case(session, incident, principal=MEDIATOR, accused_party="AF",
                              alleging_party="PK")  # fmt: skip
    for record in world.records["incident"]:
        if record.params["incident_id"] == str(incident.id):
            record.resources[ResourceType.PARTY_REPLY] = Resource(
                ResourceType.PARTY_REPLY, owner_party="AF"
            )
    team = [MemberSpec("tariq", "AF"), MemberSpec("samir", "PK"), MemberSpec("maya", None)]
    roles = {"tariq": Role.TEAM_MEMBER, "samir": Role.TEAM_MEMBER, "maya": Role.FIELD_MONITOR}
    services.assign_team(session, case, team, principal=MEDIATOR, roles_by_name=roles)
    task = services.add_task(session, case, "site_visit", principal=MEDIATOR,
                             description="visit the site", assignee="maya")  # fmt: skip
    for step in ("triage", "start_verification", "propose_findings"):  # the reply comes after
        services.transition(session, incident.id, step, principal=MEDIATOR)
    open_reply_window(session, case, principal=MEDIATOR)
    world.add("task", Record("site-visit", {"task_id": str(task.id)}))
    for key, principal in (("AF", AF_LIAISON), ("PK", PK_LIAISON), ("MONITOR", MONITOR)):
        secret = f"SECRET-EVIDENCE-{key}"
        item = evidence.add_evidence(
            session, case, f"{secret}\n".encode(), principal=principal,
            obtained_by=f"{key} office", obtained_at=WHEN, how_obtained="photographed",
            filename="photo.txt", description=secret, submitted_party=principal.party,
        store=ContentStore.under(get_settings().data_dir),)  # fmt: skip
        described = evidence_resource(item, team=team_names(session, item.case_id))
        world.secrets[secret] = described
        world.add("evidence", Record(key, {"evidence_id": str(item.id)}, {
            ResourceType.EVIDENCE_ORIGINAL: described}))  # fmt: skip


def _notifications(session: Session, world: World) -> None:
    for name in ("farid", "sana"):
        secret = f"SECRET-NOTICE-{name}"
        note = Notification(recipient=name, audience="party", event="test", subject=secret,
                            body=secret, object_type="report", object_id="1")  # fmt: skip
        session.add(note)
        session.flush()
        described = resource_of(note)
        world.secrets[secret] = described
        world.add("notification", Record(name, {"notification_id": str(note.id)}, {
            ResourceType.NOTIFICATION: described}))  # fmt: skip


def _committee(session: Session, world: World) -> None:
    district = session.scalars(
        select(BorderDistrictRow).where(BorderDistrictRow.key == "AF:barmal")
    ).one()
    session.add(Committee(code="CMT-W", name="SECRET-COMMITTEE", district_id=district.id,
                          created_by="elder-gul"))  # fmt: skip
    world.secrets["SECRET-COMMITTEE"] = Resource(ResourceType.COMMITTEE)
    world.add("committee", Record("barmal", {"code": "CMT-W"}))
    # a committee whose elder signs in as haji: haji reads and works this one, not CMT-W
    chaman = session.scalars(
        select(BorderDistrictRow).where(BorderDistrictRow.key == "PK:chaman")
    ).one()
    elders = Committee(code="CMT-E", name="SECRET-ELDERS-COMMITTEE", district_id=chaman.id,
                       created_by="elder-gul")  # fmt: skip
    session.add(elders)
    session.flush()
    session.add(CommitteeMember(committee_id=elders.id, pseudonym="C-HAJI0001", role="elder",
                                term_start=WHEN.date(), term_end=WHEN.date() + timedelta(days=900),
                                account="haji"))  # fmt: skip
    on_committee = Resource(ResourceType.COMMITTEE, team=frozenset({"haji"}))
    world.secrets["SECRET-ELDERS-COMMITTEE"] = on_committee
    world.add(
        "committee", Record("chaman", {"code": "CMT-E"}, {ResourceType.COMMITTEE: on_committee})
    )


def _token(session: Session, world: World) -> None:
    user = accounts.require_user(session, "farid")
    token, _ = issue_token(
        session, settings=get_settings(), user=user, scopes=["incidents:read"], actor=SYSTEM
    )
    world.add("token", Record("farid", {"token_id": str(token.id)}, {
        ResourceType.API_TOKEN: Resource(ResourceType.API_TOKEN, owner_user="farid")}))  # fmt: skip
