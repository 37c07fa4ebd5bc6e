from __future__ import annotations

import pytest

from truceline.events.casualties import Casualties, Estimate
from truceline.events.taxonomy import (
    EVENT_TYPES,
    PlacePrecision,
    TimePrecision,
    acled_label,
    event_category,
)


def test_every_acled_sub_event_type_maps_back_from_its_label() -> None:
    from truceline.events.taxonomy import ACLED_LABEL_TO_TYPE

    for sub in EVENT_TYPES:
        if EVENT_TYPES[sub] != "ceasefire_violation":
            assert ACLED_LABEL_TO_TYPE[acled_label(sub).lower()] == sub


def test_ceasefire_specific_types_have_their_own_category() -> None:
    assert event_category("cross_border_fire") == "ceasefire_violation"
    assert event_category("air_drone_strike") == "explosions_remote_violence"


def test_unknown_event_type_is_named_in_the_error() -> None:
    with pytest.raises(ValueError, match="'drone_swarm'"):
        event_category("drone_swarm")


def test_casualty_range_must_be_ordered() -> None:
    with pytest.raises(ValueError, match="low <= best <= high"):
        Estimate(5, 3, 8)


def test_casualties_accept_short_and_range_forms() -> None:
    parsed = Casualties.from_json({"civilians": 3, "militants": {"low": 1, "best": 2, "high": 4}})
    assert parsed.total == Estimate(4, 5, 7)
    assert Casualties.from_json(parsed.to_json()) == parsed


def test_precision_codes_map_to_acled() -> None:
    assert PlacePrecision.LINEAR_OR_BORDER_AREA.acled() == 3
    assert TimePrecision.DAY.acled() == 1
