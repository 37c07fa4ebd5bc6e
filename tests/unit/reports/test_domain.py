"""Periods, area comparisons and the opening sentence of a report."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from truceline.reports.domain import ReportError, area_of, compare_areas, period_ending

NOW = datetime(2025, 11, 3, 9, tzinfo=UTC)


def test_a_week_ends_with_the_named_day_included_and_cuts_off_at_issue() -> None:
    period = period_ending(date(2025, 10, 31), now=NOW)
    assert period.start == datetime(2025, 10, 25, tzinfo=UTC)
    assert period.end == datetime(2025, 11, 1, tzinfo=UTC)
    assert period.cutoff == NOW
    assert period.previous.start == datetime(2025, 10, 18, tzinfo=UTC)
    assert period.previous.end == period.start


def test_an_explicit_cut_off_rebuilds_a_report_as_issued() -> None:
    cutoff = datetime(2025, 11, 1, 6, tzinfo=UTC)
    assert period_ending(date(2025, 10, 31), cutoff=cutoff, now=NOW).cutoff == cutoff


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"days": 0}, "1 to 366 days"),
        ({"cutoff": datetime(2025, 10, 1, tzinfo=UTC)}, "before the period begins"),
        ({"cutoff": datetime(2025, 11, 1)}, "time zone"),
    ],
)
def test_impossible_periods_are_refused_with_the_reason(
    kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(ReportError, match=message):
        period_ending(date(2025, 10, 31), now=NOW, **kwargs)  # type: ignore[arg-type]


def test_a_period_in_the_future_is_refused() -> None:
    with pytest.raises(ReportError, match="has not begun"):
        period_ending(date(2025, 12, 31), now=NOW)


def test_areas_are_compared_with_the_previous_period_largest_first() -> None:
    rows = compare_areas(["Kandahar (AF)", "Kurram", "Kurram"], ["Kurram", "Balochistan (PK)"])
    assert rows == [
        {"area": "Kurram", "count": 2, "previous": 1, "change": 1},
        {"area": "Kandahar (AF)", "count": 1, "previous": 0, "change": 1},
        {"area": "Balochistan (PK)", "count": 0, "previous": 1, "change": -1},
    ]


def test_an_area_names_its_country_or_says_it_is_not_determined() -> None:
    assert area_of("AF", "Kandahar") == "Kandahar (AF)"
    assert area_of("PK", None) == "PK (area not determined)"
    assert area_of(None, None) == "area not determined"
