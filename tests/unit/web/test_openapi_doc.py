"""The OpenAPI document is honest, and the inputs fuzzing broke answer 4xx naming the field.

Each request below answered 500 before: a number past 64 bits reached the
database driver (``OverflowError``), an unknown threat definition raised
``DesignationError``, and "¹3" (``isdigit`` but not ``int``) raised ``ValueError``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from support_web import sign_in
from truceline.app import create_app
from truceline.db.bounds import INT64_MAX

HUGE = str(2**64)
#: Past PostgreSQL's ``integer`` (row ids) but inside SQLite's 64 bits: fuzzing found it.
PAST_INT32 = str(2**31)


@pytest.fixture
def mediator(as_role: Callable[[str | None], TestClient]) -> TestClient:
    """A mediator's session that sends its CSRF token, as the API client in the browser does."""
    browser = as_role(None)
    browser.headers["X-CSRF-Token"] = sign_in(browser, "mediator")
    return browser


def _integer_schemas(node: Any, where: str) -> list[tuple[str, dict[str, Any]]]:
    found: list[tuple[str, dict[str, Any]]] = []
    if isinstance(node, dict):
        if node.get("type") == "integer":
            found.append((where, node))
        for key, value in node.items():
            found += _integer_schemas(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _integer_schemas(value, f"{where}/{index}")
    return found


def _input_schemas(document: dict[str, Any]) -> list[tuple[str, Any]]:
    """Every schema a client sends: parameters, and the request-body components they use."""
    inputs: list[tuple[str, Any]] = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                inputs.append((f"{method} {path} {parameter['name']}", parameter["schema"]))
    for name, schema in document["components"]["schemas"].items():
        if name.endswith(("In", "Request", "Correction", "Submission")) or name.startswith("Body_"):
            inputs.append((name, schema))
    return inputs


def test_every_integer_a_client_sends_is_bounded_to_64_bits() -> None:
    document = create_app().openapi()
    unbounded = [
        f"{where}{path}"
        for where, schema in _input_schemas(document)
        for path, node in _integer_schemas(schema, "")
        if node.get("maximum") is None or node["maximum"] > INT64_MAX + 1
    ]
    assert unbounded == []


def test_every_api_operation_declares_its_refusals_with_one_error_schema() -> None:
    document = create_app().openapi()
    for path, operations in document["paths"].items():
        if not path.startswith("/api/"):
            continue
        for method, operation in operations.items():
            responses = operation["responses"]
            for code in ("401", "403", "404", "422"):
                schema = responses[code]["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorResponse"}, (method, path)
            if method in ("post", "put", "patch", "delete"):
                assert {"400", "409"} <= responses.keys(), (method, path)
    assert "429" in document["paths"]["/api/auth/login"]["post"]["responses"]


def test_geojson_routes_declare_their_media_type() -> None:
    document = create_app().openapi()
    for path in ("/api/map/boundary", "/api/geo/layers/boundary.geojson"):
        content = document["paths"][path]["get"]["responses"]["200"]["content"]
        assert "application/geo+json" in content


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("get", f"/api/intake/reports/{HUGE}", None),
        ("get", f"/api/intake/reports?offset={HUGE}", None),
        ("get", f"/api/audit/proofs/inclusion?seq={HUGE}", None),
        ("get", f"/api/verification/evidence/{HUGE}/content", None),
        ("post", f"/api/verification/tasks/{HUGE}/complete", {"outcome": "x"}),
        ("post", f"/api/audit/checkpoints/{HUGE}/cosignatures", {"signature_line": "x"}),
        ("post", "/api/incidents/1/merge", {"into": 2**70, "reason": "x"}),
        ("post", "/api/incidents/1/split", {"report_ids": [2**70], "reason": "x"}),
        ("post", f"/api/verification/tasks/{PAST_INT32}/complete", {"outcome": "x"}),
        ("get", f"/api/intake/reports/{PAST_INT32}", None),
    ],
)
def test_a_number_past_the_id_columns_is_refused_with_422_naming_it(
    mediator: TestClient, method: str, url: str, body: Any
) -> None:
    response = mediator.request(method, url, json=body)
    assert response.status_code == 422, response.text
    assert "less than or equal to" in response.text


def test_an_anonymous_cosignature_for_a_huge_checkpoint_id_is_422(client: TestClient) -> None:
    response = client.post(
        f"/api/audit/checkpoints/{HUGE}/cosignatures", json={"signature_line": "x"}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "checkpoint_id"]


def test_an_unknown_threat_definition_is_422_naming_the_parameter(mediator: TestClient) -> None:
    response = mediator.post("/api/adjudications?definition=NOPE", json=[])
    assert response.status_code == 422
    assert response.json()["detail"]["field"] == "definition"


@pytest.mark.parametrize("ref", ["%C2%B93", "%C2%B2", HUGE])
def test_an_incident_reference_that_only_looks_numeric_is_404(
    mediator: TestClient, ref: str
) -> None:
    response = mediator.get(f"/api/verification/{ref}")
    assert response.status_code == 404
    assert "no incident" in response.json()["detail"]


@pytest.mark.parametrize("day", ["0001-01-01", "0001-01-12", "9999-12-31"])
def test_a_periodic_report_at_the_edge_of_the_calendar_is_422(
    mediator: TestClient, day: str
) -> None:
    response = mediator.get(f"/api/periodic-reports/public?period_end={day}")
    assert response.status_code == 422
    assert "period_end" in response.json()["detail"]
