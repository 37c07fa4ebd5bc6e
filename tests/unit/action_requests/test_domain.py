from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from truceline.action_requests.domain import (
    AskedAction,
    Audience,
    RequestRefused,
    RequestState,
    ResponseWindow,
    Step,
    Tlp,
    answered_in_time,
    is_overdue,
    next_state,
    readers_for,
    response_window,
    strictest,
)

NOW = datetime(2025, 11, 1, tzinfo=UTC)
WINDOWS = [
    ResponseWindow("c", 168, ("share_information",), "short"),
    ResponseWindow("c", 336, (), "general"),
]


def test_a_window_naming_the_action_wins_over_the_general_one() -> None:
    assert response_window(WINDOWS, "c", AskedAction.SHARE_INFORMATION).hours == 168
    assert response_window(WINDOWS, "c", AskedAction.ARREST).hours == 336
    assert response_window(WINDOWS, "other", AskedAction.ARREST) is None


@pytest.mark.parametrize(
    ("state", "overdue"),
    [(RequestState.DELIVERED, True), (RequestState.ACKNOWLEDGED, True),
     (RequestState.RESPONDED, False), (RequestState.SCREENED, False)],
)  # fmt: skip
def test_only_a_request_awaiting_its_response_past_the_deadline_is_overdue(
    state: RequestState, overdue: bool
) -> None:
    assert is_overdue(state, NOW - timedelta(seconds=1), NOW) is overdue
    assert is_overdue(state, NOW + timedelta(hours=1), NOW) is False
    assert is_overdue(state, None, NOW) is False


def test_answered_in_time_compares_the_response_with_the_deadline() -> None:
    assert answered_in_time(NOW, NOW) is True
    assert answered_in_time(NOW, NOW + timedelta(seconds=1)) is False
    assert answered_in_time(None, NOW) is None


def test_a_step_from_the_wrong_state_names_the_steps_allowed() -> None:
    assert next_state(RequestState.SUBMITTED, Step.ADMIT) is RequestState.SCREENED
    with pytest.raises(RequestRefused, match="allowed: admit, return") as refused:
        next_state(RequestState.SUBMITTED, Step.VERIFY)
    assert refused.value.code == "step_not_allowed"


def test_the_other_party_reads_only_after_a_release_its_audience_allows() -> None:
    meant = Audience.MEDIATOR_AND_PARTY
    assert readers_for(meant, "PK", released=False) == ("mediator", "PK")
    assert readers_for(meant, "PK", released=True) == ("mediator", "PK", "AF")
    assert readers_for(Audience.MEDIATOR, "PK", released=True) == ("mediator", "PK")
    assert readers_for(Audience.MONITORS, "AF", released=False) == ("mediator", "AF", "monitors")


def test_the_strictest_mark_wins() -> None:
    assert strictest([Tlp.GREEN, Tlp.RED, Tlp.AMBER]) is Tlp.RED
    assert strictest([]) is Tlp.CLEAR
