from __future__ import annotations

import pytest
from sqlalchemy import Engine

from truceline.db.engine import transaction
from truceline.intake.adapters import agreement_is_known, geolocate_place, resolve_actor


@pytest.mark.parametrize(
    ("name", "actor_id"),
    [
        ("Pakistani forces", "PK"),
        ("Afghan forces", "AF"),
        ("TTP", "TTP"),
        ("unidentified gunmen", "unknown"),
        ("", "unknown"),
    ],
)
def test_claimed_perpetrator_is_resolved_and_its_name_kept(
    engine: Engine, name: str, actor_id: str
) -> None:
    with transaction(engine) as session:
        resolved = resolve_actor(name, session=session)
    assert resolved.actor_id == actor_id
    assert resolved.label == name


def test_place_text_uses_the_geoparsers_best_match() -> None:
    fix = geolocate_place("near Urgun, Paktika")
    assert fix is not None and fix.name == "Urgun"
    assert abs(fix.lat - 32.93) < 0.25 and abs(fix.lon - 69.17) < 0.25
    assert fix.precision in (1, 2)


def test_an_unknown_place_text_gives_no_coordinates() -> None:
    assert geolocate_place("   ") is None


def test_profile_agreements_are_known_and_others_are_not(sqlite_engine: Engine) -> None:
    with transaction(sqlite_engine) as session:
        assert agreement_is_known(session, "doha-2025-10-19")
        assert not agreement_is_known(session, "doha-2019")
