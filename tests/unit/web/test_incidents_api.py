"""``GET /api/incidents``: paging, columns, filters and who sees what (both back ends)."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from support_web import SECRET_TITLE, USERS
from truceline.accounts import services
from truceline.accounts.credentials import issue_token
from truceline.audit.actor import SYSTEM
from truceline.config import get_settings
from truceline.db.engine import transaction
from truceline.web.incidents_api import decode_cursor, encode_cursor

ALL_CODES = {"TL-0001", "TL-0002", "TL-0003", "TL-0004", "TL-0005"}
#: Released and determined (refuted is a terminal state): what the public may read.
PUBLIC_CODES = {"TL-0001", "TL-0003"}


def _token(engine: Engine, key: str, scopes: list[str]) -> dict[str, str]:
    with transaction(engine) as session:
        user = services.require_user(session, USERS[key][0])
        _, secret = issue_token(
            session, settings=get_settings(), user=user, scopes=scopes, actor=SYSTEM
        )
    return {"Authorization": f"Bearer {secret}"}


def _codes(response_json: dict[str, object]) -> set[str]:
    return {item["code"] for item in response_json["items"]}  # type: ignore[attr-defined,index]


def test_a_mediator_pages_through_every_incident_newest_first(mediator: TestClient) -> None:
    seen: list[dict[str, object]] = []
    url = "/api/incidents?limit=2&fields=code,occurred_at"
    pages = 0
    while url:
        body = mediator.get(url).json()
        seen += body["items"]
        pages += 1
        url = (
            f"/api/incidents?limit=2&fields=code,occurred_at&cursor={body['next']}"
            if body["next"]
            else ""
        )
    assert pages == 3
    assert {item["code"] for item in seen} == ALL_CODES
    times = [item["occurred_at"] for item in seen]
    assert times == sorted(times, reverse=True)
    assert all(set(item) == {"code", "occurred_at"} for item in seen)


def test_the_public_sees_only_released_determined_incidents_at_public_places(
    client: TestClient,
) -> None:
    body = client.get("/api/incidents?fields=code,lat,lon,title,place_name,admin2").json()
    assert _codes(body) == PUBLIC_CODES
    strike = next(item for item in body["items"] if item["code"] == "TL-0001")
    assert (strike["lat"], strike["lon"]) != (32.93, 69.17)
    assert strike["title"] is None and strike["admin2"] is None
    assert "Village" not in strike["place_name"]
    assert body["next"] is None


def test_a_party_token_needs_the_incidents_read_scope(seeded: Engine, client: TestClient) -> None:
    without = _token(seeded, "liaison_pk", ["intake:write"])
    refused = client.get("/api/incidents", headers=without)
    assert refused.status_code == 403
    assert "incidents:read" in refused.json()["detail"]
    with_scope = _token(seeded, "liaison_pk", ["incidents:read"])
    body = client.get("/api/incidents?fields=code,title", headers=with_scope).json()
    assert _codes(body) == ALL_CODES
    assert SECRET_TITLE in {item["title"] for item in body["items"]}


def test_filters_combine(mediator: TestClient) -> None:
    assert _codes(mediator.get("/api/incidents?perpetrator=PK").json()) == {"TL-0001", "TL-0004"}
    assert _codes(mediator.get("/api/incidents?country=pk").json()) == {"TL-0002", "TL-0004"}
    assert _codes(mediator.get("/api/incidents?admin1=Paktika").json()) == {"TL-0001"}
    assert _codes(mediator.get("/api/incidents?state=refuted").json()) == {"TL-0003"}
    assert _codes(
        mediator.get("/api/incidents?occurred_from=2025-10-17&occurred_to=2025-10-17").json()
    ) == {"TL-0001", "TL-0002"}
    assert _codes(mediator.get("/api/incidents?bbox=69,32,70,33.5").json()) == {"TL-0001"}
    assert _codes(mediator.get("/api/incidents?party=AF&event_type=armed_clash").json()) == {
        "TL-0003"
    }


def test_the_finding_filter_uses_current_findings(mediator: TestClient) -> None:
    violations = _codes(mediator.get("/api/incidents?finding=violation").json())
    assert "TL-0001" in violations
    assert "TL-0005" not in violations


def test_the_public_bbox_filter_tests_the_public_point(client: TestClient) -> None:
    exact = client.get("/api/incidents?bbox=69.165,32.925,69.175,32.935").json()
    assert _codes(exact) == set()
    wide = client.get("/api/incidents?bbox=60,25,75,38&limit=1").json()
    assert len(wide["items"]) == 1 and wide["next"]
    rest = client.get(f"/api/incidents?bbox=60,25,75,38&limit=1&cursor={wide['next']}").json()
    assert _codes(wide) | _codes(rest) == PUBLIC_CODES and rest["next"] is None


def test_bad_parameters_name_the_field(mediator: TestClient) -> None:
    cases = {
        "fields=code,secret_column": "fields",
        "cursor=not-a-cursor": "cursor",
        "limit=0": "limit",
        "limit=1001": "limit",
        "bbox=1,2,3": "bbox",
        "occurred_from=2025-10-20&occurred_to=2025-10-01": "occurred_to",
        "occurred_from=yesterday": "occurred_from",
    }
    for query, field in cases.items():
        response = mediator.get(f"/api/incidents?{query}")
        assert response.status_code == 422, query
        assert field in response.text, query


def test_a_cursor_round_trips_and_refuses_forgeries() -> None:
    from datetime import UTC, datetime

    when = datetime(2025, 10, 17, 16, 30, tzinfo=UTC)
    assert decode_cursor(encode_cursor(when, 42)) == (when, 42)
    for forged in ("", "e30", "WyIyMDI1LTEwLTE3IiwgLTFd"):
        try:
            decode_cursor(forged)
        except ValueError:
            continue
        raise AssertionError(f"{forged!r} accepted")


def test_the_list_is_gzipped_for_clients_that_accept_it(
    as_role: Callable[[str], TestClient],
) -> None:
    response = as_role("mediator").get(
        "/api/incidents?limit=1000", headers={"Accept-Encoding": "gzip"}
    )
    assert response.status_code == 200
    assert response.headers.get("content-encoding") == "gzip"


def test_an_actor_filter_reads_that_actors_incidents_newest_first_on_its_index(
    sqlite_engine: Engine,
) -> None:
    """No scan and no sort: the page is the first rows of ``ix_incidents_perpetrator_time``."""
    from datetime import date
    from typing import Any

    from sqlalchemy import event
    from sqlalchemy.orm import Session

    from truceline.accounts.roles import Principal, Role
    from truceline.web.incident_queries import IncidentFilters
    from truceline.web.incidents_api import _extra_conditions, list_incidents, parse_fields

    mediator = Principal(name="m", role=Role.MEDIATOR)
    statements: list[tuple[str, Any]] = []

    def note(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        statements.append((statement, parameters))

    event.listen(sqlite_engine, "before_cursor_execute", note)
    try:
        with Session(sqlite_engine) as session:
            list_incidents(
                session,
                mediator,
                IncidentFilters(date_from=date(2022, 12, 1), date_to=date(2026, 11, 30)),
                names=parse_fields("code,occurred_at,perpetrator,casualties"),
                limit=100,
                extra=_extra_conditions(
                    mediator, perpetrator="PK", country=None, admin1=None, finding=None
                ),
            )
    finally:
        event.remove(sqlite_engine, "before_cursor_execute", note)
    (statement, parameters), *_ = [s for s in statements if "FROM incidents" in s[0]]
    with sqlite_engine.connect() as connection:
        rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
        plan = " | ".join(str(row[-1]) for row in rows)
    assert "USING INDEX ix_incidents_perpetrator_time" in plan, plan
    assert "TEMP B-TREE" not in plan and "SCAN" not in plan, plan
