"""No community response or column reveals a reporter's or member's identity (both back ends).

Every GET route under ``/api/community`` is called, with realistic path and
query values, as the public and as every role, after a reporter and a
committee member have been registered and the reporter's messages handled.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from support_leakcheck import assert_no_identity_leak
from truceline.app import create_app
from truceline.community.gateway import SimulatedGateway
from truceline.db.engine import transaction
from truceline.incidents.models import Incident
from unit.accounts.conftest import ACCOUNTS, create_accounts, token_for
from unit.accounts.identity_scan import (
    concrete_urls,
    database_rows,
    query_variants,
    route_templates,
)

NAME, PHONE, VILLAGE = "Zarmina Khattak", "+93 70 123 4567", "Kotkai Bala"
MEMBER = {"name": "Malik Gulab Jan", "phone": "+92 333 987 6543", "village": "Shna Ghundai"}
PLANTED = [NAME, PHONE, VILLAGE, *MEMBER.values()]


@pytest.fixture
def world(engine: Engine, custodian: None) -> tuple[TestClient, dict[str, str]]:
    create_accounts(engine)
    client = TestClient(create_app())
    liaison = {"Authorization": f"Bearer {token_for(engine, 'elder-gul')}"}
    code = client.post("/api/community/committees", headers=liaison,
                       json={"district_key": "AF:barmal", "name": "Barmal"}).json()["code"]  # fmt: skip
    client.post(f"/api/community/committees/{code}/members", headers=liaison, json={
        "person": MEMBER, "role": "womens_representative", "term_start": "2025-11-01",
        "term_end": "2026-10-31"}).raise_for_status()  # fmt: skip
    client.post("/api/community/reporters", headers=liaison, json={
        "person": {"name": NAME, "phone": PHONE, "village": VILLAGE}, "committee": code,
        "language": "en"}).raise_for_status()  # fmt: skip
    gateway = SimulatedGateway(client, token_for(engine, "elder-gul"))
    gateway.send(PHONE, f"P Barmal DRONE 3 KILLED from {VILLAGE}")
    gateway.send(PHONE, "P Barmal")
    gateway.send("+92 300 1112223", "Chaman firing")
    with transaction(engine) as session:
        incident = session.scalars(select(Incident)).first()
        assert incident is not None
        incident.verification_state = "under_verification"
    client.post("/api/community/feedback", headers=liaison).raise_for_status()
    return client, {"code": code, "incident": str(incident.id)}


def test_no_community_route_reveals_who_a_reporter_or_member_is(
    engine: Engine, world: tuple[TestClient, dict[str, str]]
) -> None:
    client, ids = world
    app = client.app
    samples = {"*": [ids["code"], ids["incident"], "AF:barmal", "1"]}
    payloads = []
    tokens = [{}] + [
        {"Authorization": f"Bearer {token_for(engine, a.name)}"} for a in ACCOUNTS.values()
    ]
    for path in route_templates(app):  # type: ignore[arg-type]
        if not path.startswith("/api/community"):
            continue
        for url in concrete_urls(path, samples):
            for params in [{}, *query_variants(app, path, ["AF", "PK", "1"])]:  # type: ignore[arg-type]
                for headers in tokens:
                    response = client.get(url, params=params, headers=headers)
                    payloads.append(
                        (f"GET {url} {params} as {headers and 'token'}", response.content)
                    )
    assert len(payloads) > 50
    messages_text = [p for p in payloads if VILLAGE in p[1].decode()]
    # The held-message review shows what the reporter wrote, which may name their own village;
    # every other response must not.
    assert all("/sms/held" in label for label, _ in messages_text)
    assert_no_identity_leak([NAME, PHONE, *MEMBER.values()], payloads)


def test_no_community_column_holds_an_identity_in_clear(
    engine: Engine, world: tuple[TestClient, dict[str, str]]
) -> None:
    rows = [(column, value) for column, value in database_rows(engine)
            if column.startswith("community_") and not column.startswith("community_inbound_messages.text")]  # fmt: skip
    assert any(column == "community_reporters.pseudonym" for column, _ in rows)
    assert_no_identity_leak(PLANTED, rows)
