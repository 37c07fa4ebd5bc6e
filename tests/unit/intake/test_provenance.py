"""Each report's kind and origin recorded at intake: stated, defaulted or read from the text
(API, CSV), refused with the field named when inconsistent."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from truceline.accounts.roles import Principal, Role
from truceline.app import create_app
from truceline.cli.main import build_app
from truceline.db.engine import transaction
from truceline.http.deps import get_principal
from truceline.incidents.models import Report

MONITOR = Principal(name="maya", role=Role.FIELD_MONITOR)
PK_LIAISON = Principal(name="sana", role=Role.PARTY_LIAISON, party="PK")
MEDIA = {
    "source_type": "media",
    "source_name": "Dawn",
    "text": "Five soldiers were killed near Angoor Adda, according to ISPR.",
    "event_type": "armed_clash",
}


@pytest.fixture
def client(engine: Engine) -> Iterator[TestClient]:
    app = create_app()
    with TestClient(app) as test_client:
        app.dependency_overrides[get_principal] = lambda: MONITOR
        yield test_client


def _post(client: TestClient, body: dict[str, Any], principal: Principal = MONITOR) -> Any:
    client.app.dependency_overrides[get_principal] = lambda: principal  # type: ignore[attr-defined]
    return client.post("/api/intake/reports", json=body)


def test_a_media_report_citing_ispr_is_relayed_from_pakistan_with_the_phrase(
    client: TestClient,
) -> None:
    response = _post(client, MEDIA)
    assert response.status_code == 201, response.text
    report = response.json()["report"]
    assert (report["kind"], report["origin"]) == ("account", "relayed")
    assert (report["relayed_from"], report["relayed_from_party"]) == ("ISPR", "PK")
    assert report["origin_note"] == 'inferred from "according to ISPR"'


def test_a_stated_origin_wins_and_defaults_follow_the_source_type(client: TestClient) -> None:
    stated = _post(client, MEDIA | {"origin": "witnessed", "client_token": "stated-0001"})
    assert stated.json()["report"]["origin"] == "witnessed"
    assert stated.json()["report"]["origin_note"] == "as stated at intake"
    monitor = _post(client, {"source_type": "field_monitor", "text": "Craters at the post."})
    assert (monitor.json()["report"]["origin"], monitor.json()["report"]["origin_note"]) == (
        "witnessed", "default for a field monitor",
    )  # fmt: skip


def test_a_party_names_its_own_forces_in_a_denial_not_an_allegation(client: TestClient) -> None:
    body = {"source_type": "party_liaison", "source_party": "PK", "text": "We struck militants.",
            "claimed_perpetrator": "PK"}  # fmt: skip
    response = _post(client, body, PK_LIAISON)
    assert response.json()["report"]["kind"] == "denial"
    refused = _post(
        client, body | {"kind": "allegation", "client_token": "pk-own-0001"}, PK_LIAISON
    )
    assert refused.status_code == 422
    assert "kind: a party does not allege a breach by its own forces" in refused.text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"origin": "relayed"}, "relayed_from: a relayed report names the source it relays"),
        ({"origin": "witnessed", "relayed_from": "ISPR"}, "relayed_from: only a relayed report"),
        ({"kind": "denial"}, "kind: denial is a party's statement"),
        ({"origin": "rumour"}, "origin"),
    ],
)
def test_inconsistent_provenance_is_refused_naming_the_field(
    client: TestClient, changes: dict[str, str], message: str
) -> None:
    response = _post(client, {**MEDIA, "text": "Shelling in Chaman."} | changes)
    assert response.status_code == 422
    assert message in response.text


CSV = """source_type,source_name,text,origin,relayed_from,kind,source_party
media,Geo News,"Three killed in Chaman, citing the district hospital",,,,
media,Reuters,Shelling in Spin Boldak,relayed,Zabihullah Mujahid,,
party_liaison,PK cell,Afghan forces fired on Chaman,,,allegation,PK
media,X,bad,relayed,,,
"""


def test_csv_records_origin_and_kind_per_row(sqlite_engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "reports.csv"
    path.write_text(CSV, encoding="utf-8")
    result = CliRunner().invoke(build_app(), ["intake", "import-csv", str(path), "--json"])
    summary = json.loads(result.stdout)
    assert (result.exit_code, summary["imported"]) == (1, 3)
    assert [(r["row"], r["field"]) for r in summary["rejected"]] == [(4, "relayed_from")]
    with transaction(sqlite_engine) as session:
        rows = session.execute(
            select(Report.source_name, Report.kind, Report.origin, Report.relayed_from,
                   Report.relayed_from_party).order_by(Report.id)
        ).all()  # fmt: skip
    assert [tuple(r) for r in rows] == [
        ("Geo News", "account", "relayed", "district hospital", None),
        ("Reuters", "account", "relayed", "Zabihullah Mujahid", "AF"),
        ("PK cell", "allegation", "official_statement", "", None),
    ]
