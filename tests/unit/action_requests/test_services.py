from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, select

from truceline.accounts.policy import AccessDenied
from truceline.action_requests.domain import RequestState, Step
from truceline.action_requests.exceptions import RequestRefused, UnknownGroup
from truceline.action_requests.models import RequestEvent
from truceline.action_requests.services import RequestSpec, StepInput, take_step
from truceline.audit.models import AuditEntry
from truceline.db.engine import transaction

from .support import AF, MEDIATOR, MONITOR, NOW, PK, TTP_ARREST, run_to, submit


def test_a_request_gets_its_deadline_from_the_agreements_response_window(engine: Engine) -> None:
    with transaction(engine) as session:
        request = submit(session)
        assert request.addressed_party == "AF"
        assert request.group_id == "TTP"
        assert request.agreement_id == "doha-2025-10-19"
        assert request.deadline_at == NOW + timedelta(hours=336)
        assert "fourteen days" in request.window_basis


def test_sharing_information_has_the_shorter_window(engine: Engine) -> None:
    spec = RequestSpec(**{**TTP_ARREST.__dict__, "asked_action": "share_information"})
    with transaction(engine) as session:
        assert submit(session, spec).deadline_at == NOW + timedelta(hours=168)


def test_an_unknown_group_is_refused_with_the_closest_aliases(engine: Engine) -> None:
    spec = RequestSpec(**{**TTP_ARREST.__dict__, "group": "Tehrik Talibann Pakistn xyz"})
    with transaction(engine) as session, pytest.raises(UnknownGroup) as refused:
        submit(session, spec)
    assert refused.value.field == "group"
    assert refused.value.code == "unknown_group"
    assert any(group == "TTP" for _alias, group in refused.value.closest)
    assert "closest aliases" in str(refused.value)


def test_a_clause_not_in_force_is_refused_naming_the_clauses_in_force(engine: Engine) -> None:
    spec = RequestSpec(**{**TTP_ARREST.__dict__, "clause": "no-such-clause"})
    with transaction(engine) as session, pytest.raises(RequestRefused) as refused:
        submit(session, spec)
    assert refused.value.field == "clause"
    assert "no-support-to-groups-attacking-pakistan" in str(refused.value)


def test_a_party_cannot_file_in_the_other_partys_name(engine: Engine) -> None:
    spec = RequestSpec(**{**TTP_ARREST.__dict__, "requesting_party": "AF"})
    with transaction(engine) as session, pytest.raises(AccessDenied):
        submit(session, spec, who=PK)


def test_the_workflow_runs_to_closed_and_every_step_is_explained_and_audited(
    engine: Engine,
) -> None:
    with transaction(engine) as session:
        request = run_to(session, submit(session), Step.CLOSE)
        assert request.state == RequestState.CLOSED.value
        events = session.scalars(select(RequestEvent).where(RequestEvent.request_id == request.id))
        steps = [e.step for e in events]
        assert steps == ["submit", "admit", "deliver", "acknowledge", "respond", "verify", "close"]
        logged = session.scalars(
            select(AuditEntry.action).where(AuditEntry.object_id == request.code)
        ).all()
        assert [a for a in logged if a.startswith("request.")] == [f"request.{s}" for s in steps]


def test_only_the_addressed_party_responds(engine: Engine) -> None:
    with transaction(engine) as session:
        request = run_to(session, submit(session), Step.ACKNOWLEDGE)
        with pytest.raises(AccessDenied, match="addressed to"):
            take_step(session, PK, request, Step.RESPOND, now=NOW,
                      given=StepInput(note="x", response_kind="action_taken"))  # fmt: skip


def test_a_step_out_of_order_is_refused(engine: Engine) -> None:
    with transaction(engine) as session:
        request = submit(session)
        with pytest.raises(AccessDenied, match="cannot be deliver"):
            take_step(session, MEDIATOR, request, Step.DELIVER, now=NOW)


def test_a_dispute_needs_its_reason_kind(engine: Engine) -> None:
    with transaction(engine) as session:
        request = run_to(session, submit(session), Step.ACKNOWLEDGE)
        with pytest.raises(RequestRefused) as refused:
            take_step(session, AF, request, Step.RESPOND, now=NOW,
                      given=StepInput(note="no", response_kind="disputed", reason="because"))  # fmt: skip
        assert refused.value.field == "reason"
        take_step(session, AF, request, Step.RESPOND, now=NOW,
                  given=StepInput(note="no camp there", response_kind="disputed",
                                  reason="not_on_our_territory"))  # fmt: skip
        assert request.dispute_reason == "not_on_our_territory"


def test_a_decline_is_not_verified(engine: Engine) -> None:
    with transaction(engine) as session:
        request = run_to(session, submit(session), Step.RESPOND, kind="declined")
        with pytest.raises(RequestRefused, match="close the request instead"):
            take_step(session, MONITOR, request, Step.VERIFY, now=NOW,
                      given=StepInput(note="x", outcome="confirmed"))  # fmt: skip


def test_a_return_needs_a_reason(engine: Engine) -> None:
    with transaction(engine) as session:
        request = submit(session)
        with pytest.raises(RequestRefused) as refused:
            take_step(session, MEDIATOR, request, Step.RETURN, now=NOW, given=StepInput(note="x"))
        assert refused.value.field == "reason"
