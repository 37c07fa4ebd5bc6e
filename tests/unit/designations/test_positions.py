"""Positions over time: append-only records, conflicting dates, corrections."""

from __future__ import annotations

from datetime import date

import pytest

from truceline.designations.domain.positions import (
    DesignationError,
    Position,
    PositionTimeline,
    Stance,
    check_new_position,
    is_duplicate,
)


def _position(stance: Stance, day: date, *, id: int | None = None, **kw: object) -> Position:
    fields: dict[str, object] = {"rationale": "because", "source": "a public statement"}
    fields.update(kw)
    return Position("PK", "TTP", stance, day, id=id, **fields)  # type: ignore[arg-type]


def test_position_in_force_is_the_latest_effective_on_or_before_the_date() -> None:
    timeline = PositionTimeline.build(
        [
            _position(Stance.NOT_DESIGNATED, date(2007, 12, 1), id=1),
            _position(Stance.DESIGNATED, date(2008, 8, 25), id=2),
        ]
    )
    assert timeline.position_at("PK", "TTP", date(2007, 11, 30)) is None
    assert timeline.position_at("PK", "TTP", date(2008, 8, 24)).stance is Stance.NOT_DESIGNATED  # type: ignore[union-attr]
    assert timeline.position_at("PK", "TTP", date(2008, 8, 25)).stance is Stance.DESIGNATED  # type: ignore[union-attr]


def test_second_position_on_the_same_effective_date_is_rejected_as_conflicting() -> None:
    existing = [_position(Stance.DESIGNATED, date(2008, 8, 25), id=7)]
    with pytest.raises(DesignationError, match="conflicting effective date.*supersede record 7"):
        check_new_position(_position(Stance.DISPUTED, date(2008, 8, 25)), existing)


def test_correction_that_names_the_record_it_supersedes_is_accepted_and_replaces_it() -> None:
    old = _position(Stance.DISPUTED, date(2008, 8, 25), id=7)
    fix = _position(Stance.DESIGNATED, date(2008, 8, 25), id=8, supersedes_id=7)
    check_new_position(fix, [old])
    timeline = PositionTimeline.build([old, fix])
    assert timeline.position_at("PK", "TTP", date(2009, 1, 1)) == fix


@pytest.mark.parametrize("field", ["rationale", "source"])
def test_position_without_rationale_or_source_is_rejected(field: str) -> None:
    with pytest.raises(DesignationError, match=f"a {field} is required"):
        check_new_position(_position(Stance.DESIGNATED, date(2008, 8, 25), **{field: "  "}), [])


def test_unknown_holder_and_bad_precision_are_rejected() -> None:
    bad_holder = Position("QA", "TTP", Stance.DESIGNATED, date(2025, 1, 1), "r", "s")
    with pytest.raises(DesignationError, match="holder 'QA'"):
        check_new_position(bad_holder, [])
    with pytest.raises(DesignationError, match="date precision 'week'"):
        check_new_position(
            _position(Stance.DESIGNATED, date(2025, 1, 1), date_precision="week"), []
        )


def test_identical_position_is_a_duplicate_not_a_conflict() -> None:
    existing = [_position(Stance.DESIGNATED, date(2008, 8, 25), id=1)]
    assert is_duplicate(_position(Stance.DESIGNATED, date(2008, 8, 25)), existing)
    assert not is_duplicate(_position(Stance.DESIGNATED, date(2008, 8, 26)), existing)


def test_since_shows_the_date_only_as_precisely_as_it_is_known() -> None:
    assert _position(Stance.DESIGNATED, date(2006, 1, 1), date_precision="year").since == "2006"
    assert _position(Stance.DESIGNATED, date(2014, 8, 1), date_precision="month").since == "2014-08"
    assert _position(Stance.DESIGNATED, date(2008, 8, 25)).since == "2008-08-25"
