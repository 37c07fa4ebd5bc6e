"""A case taken through verification to a determination, and SQL edits made behind the app's back."""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select, text

from truceline.accounts.roles import Principal, Role
from truceline.agreements.models import StoredFinding
from truceline.db.engine import transaction
from truceline.incidents.models import Incident
from truceline.verification import determination, record, services
from truceline.verification.models import PartyReply
from truceline.verification.services import MemberSpec

MEDIATOR = Principal("mona", Role.MEDIATOR)
AF_LIAISON = Principal("farid", Role.PARTY_LIAISON, "AF")
AF_MEMBER = Principal("af-nominee", Role.TEAM_MEMBER)
PK_MEMBER = Principal("pk-nominee", Role.TEAM_MEMBER)
MONITOR = Principal("maya", Role.FIELD_MONITOR)
JOINT_TEAM = [
    MemberSpec("af-nominee", "AF"),
    MemberSpec("pk-nominee", "PK"),
    MemberSpec("maya", None),
]
FACTS: dict[str, Any] = {
    "perpetrator": "AF",
    "attribution": [],
    "targets": ["security_forces"],
    "casualties": {"security_forces": {"low": 2, "best": 2, "high": 2}},
    "confidence": "medium",
    "summary": "Fragments and crater orientation show mortar fire from the Afghan side.",
}


def ged_extract(path: Path, rows: int = 25) -> Path:
    """The first rows of the shipped UCDP GED file, as a plain CSV."""
    shipped = resources.files("truceline.exchange.data") / "ucdp_ged_pakistan_1989_2014.csv.gz"
    with gzip.open(shipped.open("rb"), "rt", encoding="utf-8") as source:
        lines = [next(source) for _ in range(rows + 1)]
    path.write_text("".join(lines), encoding="utf-8")
    return path


@dataclass(frozen=True)
class DeterminedCase:
    incident_id: int
    reply_id: int
    finding_id: int


def determined_case(engine: Engine, code: str = "INC-STATE-1") -> DeterminedCase:
    """Cross-border fire during the Doha ceasefire, verified through to a determination."""
    with transaction(engine) as session:
        incident = Incident(
            code=code,
            title="Cross-border fire on Kurram border posts",
            occurred_at=datetime(2025, 10, 22, 23, 40, tzinfo=UTC),
            lat=33.85,
            lon=70.05,
            geo_precision=2,
            place_name="Kurram",
            country="PK",
            event_type="cross_border_fire",
            targets=["security_forces"],
        )
        session.add(incident)
        session.flush()
        case = services.open_case(
            session,
            incident,
            principal=MEDIATOR,
            agreement_id="doha-2025-10-19",
            alleging_party="PK",
            accused_party="AF",
        )
        services.transition(session, incident.id, "triage", principal=MONITOR)
        services.assign_team(session, case, JOINT_TEAM, principal=MEDIATOR)
        services.transition(session, incident.id, "start_verification", principal=MEDIATOR)
        record.record_view(session, case, principal=PK_MEMBER, position="concurs", text="Mortar.")
        record.record_view(session, case, principal=AF_MEMBER, position="dissents", text="Unclear.")
        services.transition(session, incident.id, "propose_findings", principal=MEDIATOR)
        record.open_reply_window(session, case, principal=MEDIATOR)
        reply = record.file_reply(
            session, case, "Our posts only answered fire from the other side.", principal=AF_LIAISON
        )
        determination.determine(session, incident.id, principal=MEDIATOR, facts=FACTS)
        finding = session.scalars(
            select(StoredFinding).where(StoredFinding.incident_id == incident.id)
        ).first()
        assert finding is not None
        return DeterminedCase(incident.id, reply.id, finding.id)


def behind_the_back(engine: Engine, *statements: str, **params: Any) -> None:
    """Run SQL straight on the database, as an operator with full database rights could:
    append-only triggers switched off for the moment (PostgreSQL's replica role; on SQLite
    the triggers dropped and put back), so only the log can tell."""
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SET LOCAL session_replication_role = replica"))
            triggers = []
        else:
            triggers = list(connection.execute(text(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
            )))  # fmt: skip
            for name, _ in triggers:
                connection.execute(text(f'DROP TRIGGER "{name}"'))
        for statement in statements:
            statement = statement.replace("DROP TRIGGER IF EXISTS ", "DROP TRIGGER ")
            connection.execute(
                text(statement.replace("DROP TRIGGER ", "DROP TRIGGER IF EXISTS ")), params
            )
        for _, sql in triggers:
            connection.execute(text(sql))


def reply_text(engine: Engine, reply_id: int) -> str:
    with transaction(engine) as session:
        reply = session.get(PartyReply, reply_id)
        assert reply is not None
        return reply.text
