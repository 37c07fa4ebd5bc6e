"""Proposed findings: recorded with their draft findings, seen by both parties, diffed against
the determination; on both back ends."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import DBAPIError

from truceline.db.engine import transaction
from truceline.verification import determination, record, services
from truceline.verification.models import Proposal
from truceline.verification.proposal import latest_proposal, proposal_diff
from truceline.verification.serialisation import case_record

from .factories import (
    AF_LIAISON,
    JOINT_TEAM,
    MEDIATOR,
    MONITOR,
    PK_LIAISON,
    PK_MEMBER,
    cross_border_fire,
)

DRAFT = {
    "perpetrator": "AF",
    "targets": ["security_forces"],
    "casualties": {"security_forces": {"best": 2}},
    "confidence": "medium",
    "summary": "Fragments point to fire from the Afghan side.",
}


def _under_verification(engine: Engine) -> int:
    with transaction(engine) as session:
        incident = cross_border_fire(session)
        case = services.open_case(
            session, incident, principal=MEDIATOR, alleging_party="PK", accused_party="AF"
        )
        services.transition(session, incident.id, "triage", principal=MONITOR)
        services.assign_team(session, case, JOINT_TEAM, principal=MEDIATOR)
        services.transition(session, incident.id, "start_verification", principal=MEDIATOR)
        record.record_view(session, case, principal=PK_MEMBER, position="concurs", text="Yes.")
        return incident.id


def test_proposing_records_the_draft_facts_and_their_adjudicated_findings(engine: Engine) -> None:
    incident_id = _under_verification(engine)
    with transaction(engine) as session:
        services.transition(
            session, incident_id, "propose_findings", principal=MEDIATOR, draft=DRAFT
        )
        case = services.case_for(session, incident_id)
        proposal = latest_proposal(session, case.id)
        assert proposal is not None and proposal.facts["perpetrator"] == "AF"
        assert ("violation", "AF") in {
            (f["finding"], f["violating_party"]) for f in proposal.findings
        }
        assert session.get(services.Incident, incident_id).perpetrator == "unknown"  # type: ignore[union-attr]


def test_both_parties_see_the_proposal_they_reply_to(engine: Engine) -> None:
    incident_id = _under_verification(engine)
    with transaction(engine) as session:
        services.transition(
            session, incident_id, "propose_findings", principal=MEDIATOR, draft=DRAFT
        )
        case = services.case_for(session, incident_id)
        record.open_reply_window(session, case, principal=MEDIATOR)
        for party in (AF_LIAISON, PK_LIAISON):
            shown = case_record(session, case, principal=party)
            assert shown["proposal"]["facts"]["perpetrator"] == "AF"
            assert shown["proposal"]["findings"]
        assert case_record(session, case, principal=AF_LIAISON)["available_actions"] == ["reply"]


def test_without_draft_facts_the_incidents_facts_are_proposed(engine: Engine) -> None:
    incident_id = _under_verification(engine)
    with transaction(engine) as session:
        services.transition(session, incident_id, "propose_findings", principal=MEDIATOR)
        proposal = latest_proposal(session, services.case_for(session, incident_id).id)
        assert proposal is not None
        assert (proposal.facts["perpetrator"], proposal.facts["targets"]) == (
            "unknown",
            ["security_forces"],
        )


def test_the_determination_may_differ_and_the_diff_says_how(engine: Engine) -> None:
    incident_id = _under_verification(engine)
    with transaction(engine) as session:
        services.transition(
            session, incident_id, "propose_findings", principal=MEDIATOR, draft=DRAFT
        )
        case = services.case_for(session, incident_id)
        record.open_reply_window(session, case, principal=MEDIATOR)
        record.file_reply(session, case, "Not our fire.", principal=AF_LIAISON)
        made = determination.determine(
            session, incident_id, principal=MEDIATOR,
            facts={**DRAFT, "perpetrator": "unknown", "confidence": "low"},
        )  # fmt: skip
        proposal = latest_proposal(session, case.id)
        assert proposal is not None
        changes = {c.field: (c.proposed, c.determined) for c in proposal_diff(proposal, made)}
        assert changes["perpetrator"] == ("AF", "unknown")
        assert changes["confidence"] == ("medium", "low")
        assert any(f.startswith("finding:") for f in changes)
        shown = case_record(session, case, principal=PK_LIAISON)
        assert {"field": "perpetrator", "proposed": "AF", "determined": "unknown"} in shown[
            "proposal_changes"
        ]


def test_a_proposal_is_never_rewritten(engine: Engine) -> None:
    incident_id = _under_verification(engine)
    with transaction(engine) as session:
        services.transition(
            session, incident_id, "propose_findings", principal=MEDIATOR, draft=DRAFT
        )
    with pytest.raises(DBAPIError, match="append-only"), transaction(engine) as session:
        session.execute(text("UPDATE verification_proposals SET proposed_by = 'someone'"))
    with transaction(engine) as session:
        assert [p.proposed_by for p in session.scalars(select(Proposal))] == ["mona"]
