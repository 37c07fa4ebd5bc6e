"""A verification case with every part the web pages show, shared by the unit and browser tests.

TL-0002 (from ``support_web``) gets a case alleged by Pakistan against
Afghanistan: a joint team nominated by both parties and a neutral monitor, a
site visit overdue because monitors were denied access, findings proposed and a
reply filed after its window, a team member who changed a concurring view into a dissent, and a
witness statement with its redacted copy.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from truceline.accounts.roles import Principal, Role
from truceline.content_store import ContentStore
from truceline.db.base import utcnow
from truceline.incidents.models import Incident
from truceline.verification import evidence, record, services
from truceline.verification.services import MemberSpec

MEDIATOR = Principal("mona", Role.MEDIATOR)
AF_MEMBER = Principal("tariq", Role.TEAM_MEMBER)
MONITOR = Principal("maya", Role.FIELD_MONITOR)
AF_LIAISON = Principal("farid", Role.PARTY_LIAISON, "AF")
CODE = "TL-0002"
WITNESS = b"Statement of a shopkeeper who saw the shelling from the bazaar."


def seed_verification(session: Session, store: ContentStore) -> None:
    """Add the case described above (the incidents and accounts must be seeded first)."""
    past = utcnow() - timedelta(days=10)
    incident = session.scalar(select(Incident).where(Incident.code == CODE))
    assert incident is not None
    case = services.open_case(
        session, incident, principal=MEDIATOR, alleging_party="PK", accused_party="AF"
    )
    team = [MemberSpec("tariq", "AF"), MemberSpec("pk-nominee", "PK", Role.TEAM_MEMBER)]
    services.assign_team(session, case, [*team, MemberSpec("maya", None)], principal=MEDIATOR)
    site_visit = services.add_task(session, case, "site_visit", principal=MEDIATOR, now=past)
    site_visit.blocked_reason = "access_denied"
    record.record_view(session, case, principal=AF_MEMBER, position="concurs", text="Agreed.")
    record.record_view(
        session, case, principal=AF_MEMBER, position="dissents", text="The craters face east."
    )
    services.transition(session, incident.id, "propose_findings", principal=MEDIATOR)
    record.open_reply_window(session, case, principal=MEDIATOR, now=past)
    record.file_reply(session, case, "Our posts did not fire that night.", principal=AF_LIAISON)
    original = evidence.add_evidence(
        session, case, WITNESS, principal=MONITOR, obtained_by="maya",
        obtained_at=past, how_obtained="interview in the bazaar", filename="witness.txt",
        store=store,
    )  # fmt: skip
    evidence.redact(
        session, original.id, principal=MEDIATOR, terms=["shopkeeper"],
        note="occupation identifies the witness", store=store,
    )  # fmt: skip
