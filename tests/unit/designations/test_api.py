"""The designations API: reads for everyone, writes as the policy says, bad input as 422."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from truceline.accounts.roles import PUBLIC, Principal, Role
from truceline.app import create_app
from truceline.http.deps import get_principal

MEDIATOR = Principal(name="qa-mediator", role=Role.MEDIATOR)
AF_LIAISON = Principal(name="af-liaison", role=Role.PARTY_LIAISON, party="AF")


@pytest.fixture
def as_principal(sqlite_engine: Engine) -> Iterator[tuple[TestClient, list[Principal]]]:
    app = create_app()
    current = [PUBLIC]
    app.dependency_overrides[get_principal] = lambda: current[0]
    with TestClient(app) as client:
        yield client, current


def test_reads_are_open(as_principal: tuple[TestClient, list[Principal]]) -> None:
    client, _ = as_principal
    assert client.get("/api/groups/resolve", params={"name": "Fitna al-Hindustan"}).json()[
        "ambiguous"
    ]
    matrix = client.get("/api/designations/matrix", params={"as_of": "2025-10-20"}).json()
    assert matrix["summary"]["groups"] == 9
    assert client.get("/api/groups/resolve", params={"name": "zzz"}).status_code == 404


def test_public_cannot_write_and_a_liaison_only_for_its_party(
    as_principal: tuple[TestClient, list[Principal]],
) -> None:
    client, current = as_principal
    body = {
        "holder": "PK",
        "group": "HGB",
        "stance": "designated",
        "effective_from": "2025-11-01",
        "rationale": "r",
        "source": "s",
    }
    assert client.post("/api/designations/positions", json=body).status_code == 401
    current[0] = AF_LIAISON
    response = client.post("/api/designations/positions", json=body)
    assert response.status_code == 403 and "only for AF" in response.json()["detail"]
    response = client.post(
        "/api/designations/positions", json={**body, "holder": "AF", "rationale": ""}
    )
    assert response.status_code == 422 and "a rationale is required" in response.json()["detail"]
    assert (
        client.post("/api/designations/positions", json={**body, "holder": "AF"}).status_code == 201
    )


def test_mediator_runs_a_process_to_a_deferral(
    as_principal: tuple[TestClient, list[Principal]],
) -> None:
    client, current = as_principal
    current[0] = MEDIATOR
    process = client.post(
        "/api/designations/processes",
        json={
            "group": "TTP",
            "stance": "designated",
            "rationale": "attacks on PK forces",
            "on": "2025-10-30",
        },
    ).json()
    url = f"/api/designations/processes/{process['id']}/steps"
    too_early = client.post(
        url, json={"kind": "session", "rationale": "convene", "on": "2025-10-30"}
    )
    assert too_early.status_code == 422 and "allowed: position" in too_early.json()["detail"]
    for party, stance in (("PK", "designated"), ("AF", "not_designated")):
        step = {
            "kind": "position",
            "party": party,
            "stance": stance,
            "rationale": "stated",
            "on": "2025-10-30",
        }
        assert client.post(url, json=step).status_code == 200
    client.post(url, json={"kind": "session", "rationale": "Istanbul", "on": "2025-11-06"})
    deferred = client.post(
        url,
        json={"kind": "deferral", "rationale": "AF asks for shared evidence", "on": "2025-11-07"},
    ).json()
    assert deferred["stage"] == "deferred"
    assert deferred["next_steps"] == ["position", "session"]
    assert [s["kind"] for s in deferred["steps"]] == [
        "proposal",
        "position",
        "position",
        "session",
        "deferral",
    ]


def test_relation_cycle_via_api_is_422(as_principal: tuple[TestClient, list[Principal]]) -> None:
    client, current = as_principal
    current[0] = MEDIATOR
    response = client.post(
        "/api/groups/BLA/relations", json={"kind": "faction_of", "object": "BLA_MB", "source": "s"}
    )
    assert response.status_code == 422 and "cycle in faction_of" in response.json()["detail"]


def test_replay_what_if_via_api(as_principal: tuple[TestClient, list[Principal]]) -> None:
    client, _ = as_principal
    report = client.post(
        "/api/designations/replay", json={"what_if": ["TTP"], "baseline": "AF"}
    ).json()
    assert report["candidate"] == "what-if list [TTP]" and report["incidents"] == 0
    bad = client.post("/api/designations/replay", json={"what_if": ["NOPE"]})
    assert bad.status_code == 422


def test_group_history_via_api(as_principal: tuple[TestClient, list[Principal]]) -> None:
    client, _ = as_principal
    ttp = client.get("/api/groups/TTP").json()
    assert ("PK", "designated", "2008-08-25") in [
        (p["holder"], p["stance"], p["since"]) for p in ttp["positions"]
    ]
    assert client.get("/api/groups/NOPE").status_code == 404
