"""Escalation from stored incidents: the attributed series, the fit, and its reading."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from truceline.db.engine import transaction
from truceline.warning.escalation import (
    assess,
    attributed_series,
    escalation_report,
    parse_since,
)
from truceline.warning.excitation import simulate_excitation

from .conftest import add_incident

START = datetime(2025, 1, 1, tzinfo=UTC)


def _synthetic(seed: int = 7) -> list[tuple[datetime, str]]:
    """A year in which AF answers PK strongly and PK answers AF weakly."""
    events = simulate_excitation(
        mu=(0.05, 0.05), alpha=((0.1, 0.6), (0.2, 0.1)), beta=1 / 3, span_days=365, seed=seed
    )
    return [(START + timedelta(days=t), side) for t, side in events]


def test_the_series_counts_party_forces_and_established_links_only(engine: Engine) -> None:
    established = [{"party": "PK", "link": "proxy", "established": True}]
    claimed = [{"party": "AF", "link": "safe_haven", "established": False}]
    with transaction(engine) as session:
        add_incident(session, perpetrator="AF", occurred_at=START)
        add_incident(session, perpetrator="LEK", attribution=established, occurred_at=START)
        add_incident(session, perpetrator="TTP", attribution=claimed, occurred_at=START)
        add_incident(session, perpetrator="unknown", occurred_at=START)
        add_incident(session, perpetrator="PK", occurred_at=START - timedelta(days=30))
        series = attributed_series(session, since=START, until=START + timedelta(days=1))
    assert sorted(side for _, side in series) == ["AF", "PK"]


def test_the_fit_recovers_which_side_answers_the_other() -> None:
    report = assess(_synthetic(), since=START, until=START + timedelta(days=365))
    fit = report["fit"]
    assert fit["cross_af_from_pk"] > 2 * fit["cross_pk_from_af"]
    assert 0.3 < fit["cross_af_from_pk"] < 0.9
    assert 0.4 < fit["branching_ratio"] < 1.0
    assert 0 <= fit["retaliation_share_now"]["AF"] <= 1
    assert "Each Pakistani-attributed event is followed on average by" in report["explanation"]
    assert "not findings about any one incident" in report["explanation"]


def test_a_few_events_give_figures_leaning_on_the_prior_with_wide_intervals() -> None:
    series = [
        (START + timedelta(days=d), side)
        for d, side in ((0, "AF"), (2, "PK"), (3, "AF"), (5, "PK"))
    ]
    report = assess(series, since=None, until=START + timedelta(days=20))
    fit = report["fit"]
    assert fit["small_data"] is True
    low, high = fit["interval_90"]["cross_af_from_pk"]
    assert low < fit["cross_af_from_pk"] < high and high - low > 0.3  # honest: little is known
    assert "AF 2, PK 2" in report["explanation"] and "prior" in report["explanation"]
    assert "90% interval" in report["explanation"]


def test_with_almost_no_events_the_answer_is_the_prior_said_as_such() -> None:
    report = assess([(START, "AF")], since=None, until=START + timedelta(days=2))
    assert report["fit"] is None
    assert report["prior"]["cross_mode"] == 0.2
    low, high = report["prior"]["interval_90"]
    assert 0 < low < 0.2 < high < 1.5
    assert (
        "AF 1, PK 0" in report["explanation"]
        and "assumption, not a measurement" in report["explanation"]
    )


def test_plenty_of_events_are_fitted_without_the_prior() -> None:
    report = assess(_synthetic(), since=START, until=START + timedelta(days=365))
    assert report["fit"]["small_data"] is False
    low, high = report["fit"]["interval_90"]["cross_af_from_pk"]
    assert low < report["fit"]["cross_af_from_pk"] < high


def test_the_service_fits_stored_incidents_on_both_back_ends(engine: Engine) -> None:
    with transaction(engine) as session:
        for at, side in _synthetic(seed=3):
            add_incident(session, perpetrator=side, occurred_at=at)
        report = escalation_report(session, since=START, until=START + timedelta(days=365))
    assert report["events"]["AF"] > 20 and report["events"]["PK"] > 20
    assert report["fit"]["cross_af_from_pk"] > report["fit"]["cross_pk_from_af"]


def test_since_takes_a_date_or_a_number_of_days() -> None:
    until = datetime(2025, 11, 1, tzinfo=UTC)
    assert parse_since("30d", until=until) == until - timedelta(days=30)
    assert parse_since("2025-10-01", until=until) == datetime(2025, 10, 1, tzinfo=UTC)
    assert parse_since(None, until=until) is None
