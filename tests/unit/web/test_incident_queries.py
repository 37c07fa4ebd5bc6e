"""Filtering and paging incidents on both back ends, in SQL and in the Python pass."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine

from truceline.accounts.roles import PUBLIC, Principal, Role
from truceline.db.engine import transaction
from truceline.web.incident_queries import IncidentFilters, find_incidents, parse_bbox

MEDIATOR = Principal(name="m", role=Role.MEDIATOR)


def _codes(page: object) -> list[str]:
    return [i.code for i in page.incidents]  # type: ignore[attr-defined]


def test_pages_are_newest_first_and_count_every_match(seeded: Engine) -> None:
    with transaction(seeded) as session:
        first = find_incidents(session, IncidentFilters(), MEDIATOR, page=1, per_page=2)
        last = find_incidents(session, IncidentFilters(), MEDIATOR, page=3, per_page=2)
    assert (first.total, first.pages) == (5, 3)
    assert _codes(first) == ["TL-0004", "TL-0002"]
    assert _codes(last) == ["TL-0005"]


def test_distance_filter_pages_after_filtering(seeded: Engine) -> None:
    near = IncidentFilters(max_border_km=30)
    with transaction(seeded) as session:
        page = find_incidents(session, near, MEDIATOR, page=1, per_page=2)
        rest = find_incidents(session, near, MEDIATOR, page=2, per_page=2)
    assert page.total == 4  # all but Kabul (TL-0005)
    assert len(page.incidents) == 2 and len(rest.incidents) == 2
    assert "TL-0005" not in _codes(page) + _codes(rest)


def test_date_range_is_inclusive_of_both_days(seeded: Engine) -> None:
    one_day = IncidentFilters(date_from=date(2025, 10, 17), date_to=date(2025, 10, 17))
    with transaction(seeded) as session:
        assert sorted(_codes(find_incidents(session, one_day, MEDIATOR))) == ["TL-0001", "TL-0002"]
        assert _codes(find_incidents(session, one_day, PUBLIC)) == ["TL-0001"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1,2,3", "minlon,minlat,maxlon,maxlat"),
        ("5,0,1,1", "minimum exceeds"),
        ("a,b,c,d", "four numbers"),
    ],
)
def test_bad_boxes_are_refused(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_bbox(text)
