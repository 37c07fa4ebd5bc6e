from __future__ import annotations

from truceline.agreements.documents import builtin_documents
from truceline.agreements.domain import FindingKind, compile_agreements
from truceline.agreements.request_rules import RequestOutcome, judge_request_outcomes

DOHA = next(a for a in compile_agreements(builtin_documents()) if a.id == "doha-2025-10-19")
SUPPORT = next(c for c in DOHA.clauses if c.id == "no-support-to-groups-attacking-pakistan")
CIVILIANS = next(c for c in DOHA.clauses if c.id == "no-targeting-civilians")


def _judge(*outcomes: RequestOutcome, designated: bool | None = True, clause=SUPPORT, party="AF"):  # type: ignore[no-untyped-def]
    return judge_request_outcomes(group="TTP", party=party, designated=designated, clause=clause,
                                  agreement=DOHA.id, outcomes=outcomes)  # fmt: skip


def declined(code: str) -> RequestOutcome:
    return RequestOutcome(code, "declined", None, False)


def test_repeated_declines_under_a_support_clause_are_a_violation_citing_the_requests() -> None:
    judged = _judge(declined("RQ-1"), declined("RQ-2"))
    assert judged.finding is FindingKind.VIOLATION
    assert judged.violating_party == "AF"
    assert "RQ-1" in judged.explanation and "RQ-2" in judged.explanation
    assert judged.cited == ("RQ-1", "RQ-2")


def test_one_unverifiable_action_is_a_spirit_concern() -> None:
    judged = _judge(RequestOutcome("RQ-3", "action_taken", "not_confirmed", False))
    assert judged.finding is FindingKind.SPIRIT_CONCERN
    assert "RQ-3" in judged.explanation


def test_repeated_declines_under_a_clause_without_support_are_a_spirit_concern() -> None:
    judged = _judge(declined("RQ-1"), declined("RQ-2"), clause=CIVILIANS)
    assert judged.finding is FindingKind.SPIRIT_CONCERN


def test_a_lapsed_deadline_counts_as_a_decline() -> None:
    judged = _judge(declined("RQ-1"), RequestOutcome("RQ-2", None, None, True))
    assert judged.finding is FindingKind.VIOLATION


def test_confirmed_action_is_no_violation() -> None:
    judged = _judge(RequestOutcome("RQ-4", "action_taken", "confirmed", False))
    assert judged.finding is FindingKind.NO_VIOLATION
    assert judged.violating_party is None


def test_a_group_off_the_joint_list_is_outside_scope() -> None:
    judged = _judge(declined("RQ-1"), declined("RQ-2"), designated=None)
    assert judged.finding is FindingKind.OUTSIDE_SCOPE


def test_a_clause_that_does_not_bind_the_party_is_outside_scope() -> None:
    judged = _judge(declined("RQ-1"), declined("RQ-2"), party="PK")
    assert judged.finding is FindingKind.OUTSIDE_SCOPE
    assert "does not bind Pakistan" in judged.explanation


def test_a_single_decline_is_indeterminate_naming_what_is_missing() -> None:
    judged = _judge(declined("RQ-1"))
    assert judged.finding is FindingKind.INDETERMINATE
    assert "missing" in judged.explanation
