"""The cooling-off rules: audiences, windows, whose incident counts, signatures, back-off."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from truceline.warning.domain import (
    IncidentSketch,
    WarningError,
    audiences_for_allegation,
    breach_of,
    cooling_off_window,
    is_party_allegation,
    responsible_party,
    retry_delay,
    sign_body,
    signature_matches,
)

FILED = datetime(2025, 10, 26, 8, tzinfo=UTC)
WINDOW = cooling_off_window(FILED, 72)


def sketch(hours_after: float, perpetrator: str = "PK", **kw: object) -> IncidentSketch:
    return IncidentSketch(
        code="I-1",
        occurred_at=FILED + timedelta(hours=hours_after),
        perpetrator=perpetrator,
        title="Shelling near Spin Boldak",
        **kw,  # type: ignore[arg-type]
    )


def test_an_allegation_is_announced_to_the_accused_party_and_the_mediators() -> None:
    assert audiences_for_allegation("PK") == ("AF", "mediator")
    assert audiences_for_allegation("AF") == ("PK", "mediator")


def test_only_a_party_liaison_report_with_a_party_is_an_allegation() -> None:
    assert is_party_allegation("party_liaison", "PK")
    assert not is_party_allegation("community_reporter", None)
    assert not is_party_allegation("media", "PK")


def test_the_window_runs_from_filing_for_the_agreed_hours() -> None:
    assert WINDOW.ends - WINDOW.starts == timedelta(hours=72)
    assert not WINDOW.contains(FILED)
    assert WINDOW.contains(FILED + timedelta(hours=72))
    assert WINDOW.remaining(FILED + timedelta(hours=70)) == timedelta(hours=2)
    assert WINDOW.remaining(FILED + timedelta(days=5)) == timedelta(0)


@pytest.mark.parametrize("hours", [0, -5])
def test_a_non_positive_cooling_off_period_is_refused(hours: int) -> None:
    with pytest.raises(WarningError, match="must be positive"):
        cooling_off_window(FILED, hours)


def test_a_naive_filing_time_is_refused() -> None:
    with pytest.raises(WarningError, match="timezone-aware"):
        cooling_off_window(datetime(2025, 10, 26), 72)


def test_a_group_counts_against_a_party_only_with_one_established_link() -> None:
    established = [{"party": "PK", "link": "proxy", "established": True}]
    claimed = [{"party": "PK", "link": "proxy", "established": False}]
    both = [*established, {"party": "AF", "link": "safe_haven", "established": True}]
    assert responsible_party("AF", []) == "AF"
    assert responsible_party("TTP", established) == "PK"
    assert responsible_party("TTP", claimed) is None
    assert responsible_party("TTP", both) is None


def test_an_incident_by_the_alleging_party_inside_the_window_is_a_breach() -> None:
    explanation = breach_of("PK", WINDOW, "R-1", sketch(5))
    assert explanation is not None
    assert "I-1" in explanation and "R-1" in explanation and "5.0 h" in explanation
    assert "PK forces" in explanation and "undertaken not to respond" in explanation


def test_incidents_by_the_accused_before_or_after_the_window_are_not_breaches() -> None:
    assert breach_of("PK", WINDOW, "R-1", sketch(5, perpetrator="AF")) is None
    assert breach_of("PK", WINDOW, "R-1", sketch(-1)) is None
    assert breach_of("PK", WINDOW, "R-1", sketch(73)) is None


def test_a_breach_through_an_established_proxy_names_the_group() -> None:
    link = ({"party": "PK", "link": "proxy", "established": True},)
    explanation = breach_of("PK", WINDOW, "R-1", sketch(2, perpetrator="LEK", attribution=link))
    assert explanation is not None and "by LEK, whose link to PK is established" in explanation


def test_the_signature_is_hmac_sha256_of_the_exact_body() -> None:
    signature = sign_body("s" * 32, b'{"a":1}')
    assert signature.startswith("sha256=") and len(signature) == 7 + 64
    assert signature_matches("s" * 32, b'{"a":1}', signature)
    assert not signature_matches("s" * 32, b'{"a":2}', signature)
    assert not signature_matches("t" * 32, b'{"a":1}', signature)


def test_retries_back_off_exponentially_up_to_an_hour() -> None:
    assert [retry_delay(n).total_seconds() / 60 for n in (1, 2, 3, 4, 10)] == [1, 2, 4, 8, 60]
