"""Impact replay with the real adjudicator, over stored incidents mirroring the 17 Oct 2025 events.

The fixture (``demo_incidents.json``) holds the TTP-linked attack in North
Waziristan with AF facilitation alleged, the same attack had the facilitation
been established, the Paktika strike, and two hypothetical support incidents
after Doha (a TTP camp, a JUA camp, each with an established link to AF).
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from truceline.db.engine import transaction
from truceline.designations.definitions import definition_for, what_if_definition
from truceline.designations.domain.positions import DesignationError
from truceline.designations.replay import candidate_definition, compare, replay, stored_facts
from truceline.incidents.models import Incident

FIXTURE = Path(__file__).with_name("demo_incidents.json")


def demo_facts() -> list[dict[str, Any]]:
    facts: list[dict[str, Any]] = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return facts


def store_demo_incidents(engine: Engine) -> None:
    with transaction(engine) as session:
        for fact in demo_facts():
            session.add(
                Incident(
                    code=fact["id"],
                    occurred_at=datetime.fromisoformat(fact["occurred_at"]),
                    lat=fact["location"]["lat"],
                    lon=fact["location"]["lon"],
                    event_type=fact["event_type"],
                    perpetrator=fact["perpetrator"],
                    targets=fact["targets"],
                    attribution=fact.get("attribution", []),
                    casualties={
                        k: {"low": v, "best": v, "high": v} for k, v in fact["fatalities"].items()
                    },
                )
            )


def _outcomes(result: dict[str, Any]) -> dict[str, dict[str, tuple[str, str | None]]]:
    return {
        row["incident"]: {
            spec: (c["finding"], c["violating_party"]) for spec, c in row["under"].items()
        }
        for row in result["rows"]
    }


def test_stored_incidents_become_adjudication_facts(engine: Engine) -> None:
    store_demo_incidents(engine)
    with transaction(engine) as session:
        facts = stored_facts(session)
    assert [f["id"] for f in facts][:3] == [
        "nw-2025-10-17-ttp-attack",
        "nw-2025-10-17-ttp-attack-if-established",
        "paktika-2025-10-17-strike",
    ]
    assert facts[0]["fatalities"]["security_forces"] == 7
    assert facts[0]["attribution"] == [{"party": "AF", "link": "facilitated", "established": False}]


def test_lists_give_different_explained_findings_only_where_the_list_decides(
    engine: Engine,
) -> None:
    store_demo_incidents(engine)
    with transaction(engine) as session:
        result = compare(session, ["PK", "AF", "joint"])
    outcomes = _outcomes(result)
    spirit = ("spirit_concern", None)
    # The truce of 15 Oct had no "no support" clause: the list cannot change these findings.
    assert outcomes["nw-2025-10-17-ttp-attack"] == {"PK": spirit, "AF": spirit, "joint": spirit}
    assert outcomes["nw-2025-10-17-ttp-attack-if-established"] == {
        "PK": spirit,
        "AF": spirit,
        "joint": spirit,
    }
    assert set(outcomes["paktika-2025-10-17-strike"].values()) == {("violation", "PK")}
    # After Doha, support to a group that is not itself attacking turns on the list.
    for camp in (
        "paktika-2025-10-25-ttp-camp-if-established",
        "kunar-2025-10-26-jua-camp-if-established",
    ):
        assert outcomes[camp] == {
            "PK": ("violation", "AF"),
            "AF": ("no_violation", None),
            "joint": ("indeterminate", None),
        }
    assert result["differing"] == 2
    camp = next(r for r in result["rows"] if r["incident"].startswith("paktika-2025-10-25"))
    assert "PK's list counts TTP as a group attacking PK" in camp["under"]["PK"]["explanation"]
    assert (
        "AF's list does not count TTP as a group attacking PK" in camp["under"]["AF"]["explanation"]
    )
    assert "undecided in the joint list" in camp["under"]["joint"]["explanation"]


def test_replay_under_pk_list_exposes_af_on_both_camps(engine: Engine) -> None:
    store_demo_incidents(engine)
    with transaction(engine) as session:
        report = replay(session, candidate=definition_for(session, "PK"))
    assert (report["baseline"], report["candidate"]) == ("the joint list", "PK's list")
    assert report["incidents"] == 5 and report["changed"] == 2
    assert report["by_party"] == {
        "AF": {"exposed": 2, "cleared": 0},
        "PK": {"exposed": 0, "cleared": 0},
    }
    assert {c["incident"] for c in report["changes"]} == {
        "paktika-2025-10-25-ttp-camp-if-established",
        "kunar-2025-10-26-jua-camp-if-established",
    }


def test_replay_of_pk_list_against_af_list_shows_what_it_costs_af(engine: Engine) -> None:
    store_demo_incidents(engine)
    with transaction(engine) as session:
        report = replay(
            session, candidate=definition_for(session, "AF"), baseline=definition_for(session, "PK")
        )
    assert report["by_party"]["AF"] == {"exposed": 0, "cleared": 2}
    assert all(c["candidate"]["finding"] == "no_violation" for c in report["changes"])


def test_what_if_list_without_jua_clears_only_the_jua_camp(engine: Engine, tmp_path: Path) -> None:
    store_demo_incidents(engine)
    path = tmp_path / "what-if.yaml"
    path.write_text("name: TTP only\ndesignated: [TTP]\n", encoding="utf-8")
    with transaction(engine) as session:
        ttp_only = candidate_definition(session, str(path))
        report = replay(session, candidate=ttp_only, baseline=definition_for(session, "PK"))
    assert report["candidate"] == "TTP only"
    # JUA is a faction of the TTP since 2020, so listing the TTP covers it too: nothing changes.
    assert report["changed"] == 0


def test_what_if_list_with_unknown_ids_is_rejected(engine: Engine) -> None:
    with (
        transaction(engine) as session,
        pytest.raises(DesignationError, match="unknown group id\\(s\\) in what-if list: ABC"),
    ):
        what_if_definition(session, ["TTP", "ABC"])
