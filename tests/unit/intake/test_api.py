from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from truceline.accounts.roles import PUBLIC, Principal, Role
from truceline.app import create_app
from truceline.http.deps import get_principal

AF_LIAISON = Principal(name="af-liaison", role=Role.PARTY_LIAISON, party="AF")
PK_LIAISON = Principal(name="pk-liaison", role=Role.PARTY_LIAISON, party="PK")
Payload = Callable[..., dict[str, Any]]
MEDIATOR = Principal(name="qatar-mediator", role=Role.MEDIATOR)


@pytest.fixture
def payload(urgun_strike: dict[str, Any]) -> Callable[..., dict[str, Any]]:
    def build(**changes: Any) -> dict[str, Any]:
        return urgun_strike | {"client_token": "af-liaison-0001"} | changes

    return build


@pytest.fixture
def client(engine: Engine) -> Iterator[TestClient]:
    app = create_app()
    with TestClient(app) as test_client:
        test_client.app_state = app  # type: ignore[attr-defined]
        yield test_client


def acting_as(client: TestClient, principal: Principal) -> TestClient:
    client.app_state.dependency_overrides[get_principal] = lambda: principal  # type: ignore[attr-defined]
    return client


def test_submission_is_created_once_and_resubmission_returns_it(
    client: TestClient, payload: Payload
) -> None:
    api = acting_as(client, AF_LIAISON)
    first = api.post("/api/intake/reports", json=payload())
    again = api.post("/api/intake/reports", json=payload())
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["report"]["id"] == again.json()["report"]["id"]
    assert first.json()["link"]["status"] == "new_incident"


def test_anonymous_and_other_party_submissions_are_refused(
    client: TestClient, payload: Payload
) -> None:
    assert acting_as(client, PUBLIC).post("/api/intake/reports", json=payload()).status_code == 401
    response = acting_as(client, PK_LIAISON).post("/api/intake/reports", json=payload())
    assert response.status_code == 403
    assert "only in the name of their own party" in response.json()["detail"]


def test_a_liaison_may_not_pass_its_allegation_off_as_another_source(
    client: TestClient, payload: Payload
) -> None:
    as_monitor = payload(source_type="field_monitor", source_party=None)
    response = acting_as(client, AF_LIAISON).post("/api/intake/reports", json=as_monitor)
    assert response.status_code == 403
    assert response.json()["detail"] == "a party liaison files reports as source_type party_liaison"


def test_unknown_agreement_is_refused_naming_the_field(
    client: TestClient, payload: Payload
) -> None:
    response = acting_as(client, AF_LIAISON).post(
        "/api/intake/reports", json=payload(agreement_id="x-1")
    )
    assert response.status_code == 422
    assert response.json()["detail"] == {
        "field": "agreement_id",
        "message": "unknown agreement 'x-1'",
    }


def test_oversized_text_is_refused(client: TestClient, payload: Payload) -> None:
    response = acting_as(client, AF_LIAISON).post(
        "/api/intake/reports", json=payload(text="x" * 20_001)
    )
    assert response.status_code == 422
    assert "the limit is 20000" in response.text


def test_analyst_sees_candidates_merges_splits_undoes_and_corroboration(
    client: TestClient, payload: Payload
) -> None:
    api = acting_as(client, AF_LIAISON)
    allegation = api.post("/api/intake/reports", json=payload()).json()
    far = api.post(
        "/api/intake/reports",
        json=payload(client_token="af-liaison-0002", lat=34.0, lon=71.5, text="Shelling in Khyber"),
    ).json()
    a, b = allegation["link"]["incident_id"], far["link"]["incident_id"]

    api = acting_as(client, MEDIATOR)
    candidates = api.get(f"/api/intake/reports/{allegation['report']['id']}/candidates").json()
    assert candidates[0]["incident_id"] == a and candidates[0]["reasons"]
    merge = api.post(f"/api/incidents/{a}/merge", json={"into": b, "reason": "same event"})
    assert merge.status_code == 201
    assert api.post(f"/api/incidents/{a}/merge", json={"into": b}).status_code == 409
    assert api.get(f"/api/incidents/{b}/corroboration").json()["reports"] == 2

    split = api.post(f"/api/incidents/{b}/split", json={"report_ids": [far["report"]["id"]]})
    assert split.status_code == 201
    undo = api.post(f"/api/incident-operations/{split.json()['id']}/undo", json={})
    assert undo.status_code == 201 and undo.json()["kind"] == "undo"
    assert (
        acting_as(client, AF_LIAISON)
        .post(f"/api/incidents/{b}/split", json={"report_ids": [1]})
        .status_code
        == 403
    )


def test_correction_through_the_api_is_a_new_version(client: TestClient, payload: Payload) -> None:
    api = acting_as(client, AF_LIAISON)
    original = api.post("/api/intake/reports", json=payload()).json()["report"]
    response = api.post(
        f"/api/intake/reports/{original['id']}/corrections",
        json={"reason": "toll revised", "changes": {"casualties": {"civilians": 12}}},
    )
    assert response.status_code == 201
    corrected = response.json()
    assert corrected["version"] == 2 and corrected["supersedes_id"] == original["id"]
    listed = api.get(f"/api/intake/reports/{original['id']}").json()
    assert listed["superseded_by_id"] == corrected["id"] and listed["incident_ids"] == []


def test_a_doubtful_match_waits_in_the_analysts_queue_until_linked(
    client: TestClient, payload: Payload
) -> None:
    acting_as(client, AF_LIAISON).post("/api/intake/reports", json=payload())
    monitor = Principal(name="monitor-3", role=Role.FIELD_MONITOR)
    vague = {
        "source_type": "field_monitor", "source_name": "Monitor team 3", "text": "Strike on homes in Barmal",
        "occurred_at": "2025-10-17T22:00:00+04:30", "time_precision": 1, "lat": 32.78, "lon": 69.34,
        "geo_precision": 2, "event_type": "air_drone_strike",
    }  # fmt: skip
    result = acting_as(client, monitor).post("/api/intake/reports", json=vague).json()
    assert result["link"]["status"] == "proposed" and result["link"]["proposals"]
    api = acting_as(client, MEDIATOR)
    queue = api.get("/api/intake/reports", params={"unlinked": True}).json()
    assert [r["id"] for r in queue] == [result["report"]["id"]]
    linked = api.post(
        f"/api/intake/reports/{result['report']['id']}/links",
        json={"incident_id": result["link"]["proposals"][0]},
    )
    assert linked.status_code == 201 and linked.json()["method"] == "confirmed"
    assert api.get("/api/intake/reports", params={"unlinked": True}).json() == []


#: Statements one ``POST /api/intake/reports`` may run (a client's second report, linked into
#: an incident): token and user (1), the rate-limit bucket (1), the client token (1), the report
#: in a savepoint (3), the linking search (2), the incident and the link (2), the cooling-off
#: clocks and the incident they check (2), the state digests of the report and the link (2),
#: the log's entries in one INSERT (1) and their digests (1); on PostgreSQL also the audit
#: log's turn (1), sent with the entries, the digests and the COMMIT in one round trip.
#: It was 27 on SQLite and 29 on PostgreSQL before the round trips were cut.
SUBMISSION_STATEMENTS = {"sqlite": 16, "postgresql": 17}


def test_a_submission_runs_a_bounded_number_of_statements_and_answers_what_is_stored(
    engine: Engine, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from support_load import create_clients, report_body, statements_sent
    from truceline.audit import log
    from truceline.db.engine import default_engine, transaction
    from truceline.incidents.models import Report
    from truceline.intake.services import report_out

    secret = create_clients(database_url, 1)[0]
    served = default_engine()  # the engine the app's requests use
    monkeypatch.setattr(log, "commit_in_one_round_trip", log.commit_in_one_round_trip)
    statements = statements_sent(served)  # restored by monkeypatch after the test
    with TestClient(create_app()) as api:
        headers = {"Authorization": f"Bearer {secret}"}
        # The first reports also create the client's rate-limit bucket and the digests' schemas.
        first = [
            api.post("/api/intake/reports", json=report_body(0, n, "rt"), headers=headers)
            for n in range(2)
        ]
        statements.clear()
        second = api.post("/api/intake/reports", json=report_body(0, 2, "rt"), headers=headers)
    assert [r.status_code for r in [*first, second]] == [201, 201, 201], second.text
    assert second.json()["link"]["status"] == "auto_linked"
    assert len(statements) <= SUBMISSION_STATEMENTS[served.dialect.name], "\n".join(
        s[:60] for s in statements
    )
    # The answer is built from what was just written; it equals the report read back.
    with transaction(served) as session:
        stored = session.get(Report, second.json()["report"]["id"])
        assert stored is not None
        read_back = report_out(session, stored).model_dump(mode="json")
    assert second.json()["report"] == read_back
    assert read_back["incident_ids"] == [second.json()["link"]["incident_id"]]
