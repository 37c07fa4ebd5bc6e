"""Incident history: determinations and corrections are versions, never overwrites."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from truceline.accounts.policy import AccessDenied
from truceline.db.engine import transaction
from truceline.incidents.models import Incident
from truceline.verification import determination, history, record, services
from truceline.verification.services import VerificationError

from .factories import AF_LIAISON, MEDIATOR, PK_MEMBER
from .test_proposal import DRAFT, _under_verification


def _determined(engine: Engine) -> int:
    incident_id = _under_verification(engine)
    with transaction(engine) as session:
        services.transition(
            session, incident_id, "propose_findings", principal=MEDIATOR, draft=DRAFT
        )
        case = services.case_for(session, incident_id)
        record.open_reply_window(session, case, principal=MEDIATOR)
        record.file_reply(session, case, "Not our fire.", principal=AF_LIAISON)
        determination.determine(session, incident_id, principal=MEDIATOR, facts=DRAFT)
    return incident_id


def test_a_determination_keeps_the_facts_it_replaced_as_a_version(engine: Engine) -> None:
    incident_id = _determined(engine)
    with transaction(engine) as session:
        lines = history.incident_history(session, incident_id)
        assert [(v.version, v.kind) for v in lines] == [(1, "recorded"), (2, "determination")]
        assert ("perpetrator", "unknown", "AF") in lines[1].changes
        assert (lines[1].changed_by, lines[1].reason) == ("mona", DRAFT["summary"])


def test_a_correction_is_a_new_version_with_who_and_why_and_recomputes_findings(
    engine: Engine,
) -> None:
    incident_id = _determined(engine)
    with transaction(engine) as session:
        history.correct_incident(
            session, incident_id, principal=MEDIATOR,
            changes={"casualties": {"security_forces": {"best": 3}}},
            reason="A third soldier died of his wounds.",
        )  # fmt: skip
        incident = session.get(Incident, incident_id)
        assert incident is not None and incident.casualties == {"security_forces": {"best": 3}}
        last = history.incident_history(session, incident_id)[-1]
        assert (last.version, last.kind, last.changed_by) == (3, "correction", "mona")
        assert last.changes == [
            ("casualties", {"security_forces": {"best": 2}}, {"security_forces": {"best": 3}})
        ]


def test_only_a_mediator_corrects_and_only_with_a_reason_and_known_facts(engine: Engine) -> None:
    incident_id = _determined(engine)
    with transaction(engine) as session:
        with pytest.raises(AccessDenied):
            history.correct_incident(
                session, incident_id, principal=PK_MEMBER, changes={"perpetrator": "PK"}, reason="x"
            )
        with pytest.raises(VerificationError, match="reason"):
            history.correct_incident(
                session, incident_id, principal=MEDIATOR, changes={"perpetrator": "PK"}, reason=" "
            )
        with pytest.raises(VerificationError, match="title: not a fact"):
            history.correct_incident(
                session, incident_id, principal=MEDIATOR, changes={"title": "x"}, reason="y"
            )


def test_versions_are_append_only(engine: Engine) -> None:
    incident_id = _determined(engine)
    with pytest.raises(DBAPIError, match="append-only"), transaction(engine) as session:
        session.execute(
            text("DELETE FROM incident_versions WHERE incident_id = :i"), {"i": incident_id}
        )
