from __future__ import annotations

from truceline.accounts.policy import Resource, ResourceType
from truceline.accounts.policy_requests import authorize_request_step, available_request_steps
from truceline.accounts.roles import Principal, Role
from truceline.action_requests.domain import Step

AF = Principal("farid", Role.PARTY_LIAISON, "AF")
PK = Principal("sana", Role.PARTY_LIAISON, "PK")
MEDIATOR = Principal("mona", Role.MEDIATOR)
MONITOR = Principal("maya", Role.FIELD_MONITOR)


def request(state: str, shared: bool = True) -> Resource:
    return Resource(ResourceType.ACTION_REQUEST, owner_party="PK", shared=shared,
                    case_state=state)  # fmt: skip


def test_each_step_is_offered_to_its_own_role_and_side() -> None:
    assert available_request_steps(MEDIATOR, request("submitted", False)) == [
        Step.ADMIT, Step.RETURN]  # fmt: skip
    assert available_request_steps(AF, request("delivered")) == [Step.ACKNOWLEDGE]
    assert available_request_steps(PK, request("delivered")) == []
    assert available_request_steps(MONITOR, request("responded")) == [Step.VERIFY]
    assert available_request_steps(MEDIATOR, request("responded")) == [Step.CLOSE]


def test_the_requesting_party_never_answers_its_own_request() -> None:
    refusal = authorize_request_step(PK, Step.RESPOND, request("acknowledged"))
    assert not refusal.allowed
    assert "addressed to" in refusal.reason


def test_the_addressed_party_acts_on_nothing_undelivered() -> None:
    assert not authorize_request_step(AF, Step.ACKNOWLEDGE, request("submitted", False)).allowed
