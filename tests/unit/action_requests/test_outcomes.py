from __future__ import annotations

from sqlalchemy import Engine, select

from truceline.action_requests.demo import ensure_exercise_group
from truceline.action_requests.domain import Step
from truceline.action_requests.outcomes import judge_group
from truceline.action_requests.services import RequestSpec
from truceline.audit.models import AuditEntry
from truceline.db.engine import transaction

from .support import MEDIATOR, TTP_ARREST, run_to, submit

KESTREL = RequestSpec(**{**TTP_ARREST.__dict__, "group": "Kestrel"})


def test_a_verified_response_becomes_a_finding_citing_the_request(engine: Engine) -> None:
    with transaction(engine) as session:
        ensure_exercise_group(session)
        request = run_to(session, submit(session, KESTREL), Step.VERIFY)
        (finding,) = judge_group(session, MEDIATOR, "EXR", "AF", now=request.verified_at)
        assert finding.finding == "no_violation"
        assert finding.request_codes == [request.code]
        assert request.code in finding.explanation
        assert session.scalar(select(AuditEntry).where(AuditEntry.action == "request.finding"))


def test_repeated_declines_about_a_jointly_designated_group_breach_the_support_clause(
    engine: Engine,
) -> None:
    with transaction(engine) as session:
        ensure_exercise_group(session)
        first = run_to(session, submit(session, KESTREL), Step.RESPOND, kind="declined")
        second = run_to(session, submit(session, KESTREL), Step.RESPOND, kind="declined")
        (finding,) = judge_group(session, MEDIATOR, "EXR", "AF", now=second.responded_at)
        assert finding.finding == "violation"
        assert finding.violating_party == "AF"
        assert finding.clause_id == "no-support-to-groups-attacking-pakistan"
        assert first.code in finding.explanation and second.code in finding.explanation


def test_requests_about_a_group_off_the_joint_list_are_not_judged(engine: Engine) -> None:
    with transaction(engine) as session:
        first = run_to(session, submit(session), Step.RESPOND, kind="declined")
        run_to(session, submit(session), Step.RESPOND, kind="declined")
        (finding,) = judge_group(session, MEDIATOR, "TTP", "AF", now=first.responded_at)
        assert finding.finding == "outside_scope"
        assert "not on the joint list" in finding.explanation
