"""The impact replay on the shipped demo data set: each party's list gives a different result."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine

from truceline.config import get_settings
from truceline.db.engine import transaction
from truceline.designations.replay import candidate_definition, replay
from truceline.exchange.demo import run_demo


@pytest.fixture(scope="module")
def demo_replays(
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, dict[str, Any]]:
    from truceline.db.engine import make_engine

    engine: Engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.sqlite3'}")
    run_demo(engine, keys_dir=get_settings().resolved_keys_dir)
    with transaction(engine) as session:
        return {
            spec: replay(session, candidate=candidate_definition(session, spec))
            for spec in ("PK", "AF")
        }


def _outcomes(report: dict[str, Any]) -> dict[str, tuple[str, str | None]]:
    return {
        change["incident"]: (change["candidate"]["finding"], change["candidate"]["violating_party"])
        for change in report["changes"]
    }


def test_every_demo_incident_can_be_adjudicated(demo_replays: dict[str, Any]) -> None:
    assert demo_replays["PK"]["rejected"] == [] and demo_replays["AF"]["rejected"] == []


def test_pakistans_list_makes_the_established_camps_violations_by_afghanistan(
    demo_replays: dict[str, Any],
) -> None:
    assert _outcomes(demo_replays["PK"]) == {
        "exercise-2025-10-25-ttp-camp": ("violation", "AF"),
        "exercise-2025-10-26-jua-camp": ("violation", "AF"),
    }
    assert demo_replays["PK"]["by_party"]["AF"]["exposed"] == 2


def test_afghanistans_list_clears_the_same_camps(demo_replays: dict[str, Any]) -> None:
    assert _outcomes(demo_replays["AF"]) == {
        "exercise-2025-10-25-ttp-camp": ("no_violation", None),
        "exercise-2025-10-26-jua-camp": ("no_violation", None),
    }


def test_the_joint_list_leaves_them_indeterminate_and_says_why(
    demo_replays: dict[str, Any],
) -> None:
    for change in demo_replays["PK"]["changes"]:
        assert change["baseline"]["finding"] == "indeterminate"
        assert "undecided in the joint list" in change["baseline"]["explanation"]
