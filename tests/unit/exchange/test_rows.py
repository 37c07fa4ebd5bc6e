from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from truceline.events.casualties import Casualties
from truceline.events.taxonomy import CasualtyCategory
from truceline.exchange.rows import (
    RowError,
    apportion,
    casualty_ranges,
    parse_coordinates,
    parse_day,
    parse_int,
)


@given(st.integers(0, 500), st.lists(st.integers(0, 100), min_size=1, max_size=4))
def test_apportion_always_adds_up_to_the_total(total: int, weights: list[int]) -> None:
    shares = apportion(total, weights)
    if sum(weights):
        assert sum(shares) == total
        assert all(share >= 0 for share in shares)
    else:
        assert shares == [0] * len(weights)


@given(
    st.dictionaries(st.sampled_from(list(CasualtyCategory)), st.integers(0, 50), max_size=4),
    st.integers(0, 300),
    st.integers(0, 300),
)
def test_casualty_ranges_keep_the_overall_range_and_stay_valid(
    counts: dict[CasualtyCategory, int], low: int, high: int
) -> None:
    ranges = casualty_ranges(counts, low=low, high=high)
    total = Casualties.from_json(ranges).total  # validates low <= best <= high per category
    best = sum(counts.values())
    assert total.best == best
    assert total.low == min(low, best)
    assert total.high == max(high, best)


def test_deaths_with_no_category_counted_go_to_unknown_as_a_high_estimate() -> None:
    assert casualty_ranges({}, low=0, high=24) == {"unknown": {"low": 0, "best": 0, "high": 24}}


@pytest.mark.parametrize(
    ("lat", "lon", "message"),
    [
        ("91", "70", "latitude: 91.0 is outside -90..90"),
        ("34", "-181", "longitude: -181.0 is outside -180..180"),
        ("north", "70", "latitude: 'north' is not a number"),
        ("nan", "70", "not a finite number"),
    ],
)
def test_impossible_coordinates_are_refused_naming_the_field(
    lat: str, lon: str, message: str
) -> None:
    with pytest.raises(RowError, match=message):
        parse_coordinates(lat, lon)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2009-02-30", "not a valid date"),
        ("1850-01-01", "before 1900"),
        ("2999-01-01", "in the future"),
        ("2009-05-01 13:45:00", "has a time of day"),
    ],
)
def test_impossible_days_are_refused(text: str, message: str) -> None:
    with pytest.raises(RowError, match=message):
        parse_day(text, "date_start")


def test_day_with_a_midnight_time_is_that_day_at_utc_midnight() -> None:
    assert (
        parse_day("2009-05-01 00:00:00.000", "date_start").isoformat()
        == "2009-05-01T00:00:00+00:00"
    )


def test_integer_bounds_are_named() -> None:
    with pytest.raises(RowError, match="where_prec: 9 is above the largest allowed value 7"):
        parse_int("9", "where_prec", minimum=1, maximum=7)
