from __future__ import annotations

import pytest

from truceline.events.taxonomy import CasualtyCategory
from truceline.exchange.actors import actor_id, casualty_category


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Government of Pakistan", "PK"),
        ("Military Forces of Pakistan (2018-)", "PK"),
        ("Military Forces of Afghanistan (2021-)", "AF"),
        ("TTP", "TTP"),
        ("TTP: Tehreek-i-Taliban Pakistan", "TTP"),
        ("TTP - TA", "unknown"),
        ("Mohajir Qaumi Movement", "unknown"),
        ("Jamaat-ul-Ahrar", "JUA"),
        ("BLA", "BLA"),
        ("IS", "ISKP"),
        ("Lashkar-e-Islam", "LEI"),
        ("Civilians", "civilians"),
        ("", "unknown"),
        ("Unidentified Armed Group (Pakistan)", "unknown"),
    ],
)
def test_source_actor_names_map_to_truceline_ids(name: str, expected: str) -> None:
    assert actor_id(name) == expected


def test_casualty_category_follows_the_kind_of_side() -> None:
    assert casualty_category("Government of India") is CasualtyCategory.SECURITY_FORCES
    assert casualty_category("Civilians") is CasualtyCategory.CIVILIANS
    assert casualty_category("BLA") is CasualtyCategory.MILITANTS
    assert casualty_category("") is CasualtyCategory.UNKNOWN
