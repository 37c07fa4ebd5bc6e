"""District risk on the pages and in the API: the dashboard layer, the incident section,
``/api/warning/risk`` and the thresholds routes, through the real app and policy."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from support_risk import seed_history, store_demo_forecast
from support_web import sign_in


def test_the_forecast_is_for_the_mechanism_and_both_parties(
    seeded: Engine, as_role: Callable[[str | None], TestClient]
) -> None:
    mediator = as_role("mediator")
    missing = mediator.get("/api/warning/risk")
    assert missing.status_code == 404 and "warning risk --store" in missing.text
    seed_history(seeded)
    store_demo_forecast(seeded)
    body = mediator.get("/api/warning/risk").json()
    assert body["type"] == "FeatureCollection" and body["horizon_days"] == 30
    assert body["skill"]["vs_climatology"] == 0.17
    names = {f["properties"]["name"] for f in body["features"]}
    assert "North Waziristan" in names
    assert all(0 < f["properties"]["p_event"] < 1 for f in body["features"])
    assert as_role("liaison_pk").get("/api/warning/risk").status_code == 200
    assert as_role(None).get("/api/warning/risk").status_code in (401, 403)
    assert as_role("community_reporter").get("/api/warning/risk").status_code == 403


def _signed_in(as_role: Callable[[str | None], TestClient], key: str) -> TestClient:
    """A browser signed in as ``key`` that sends its CSRF token with every request."""
    client = as_role(None)
    client.headers["X-CSRF-Token"] = sign_in(client, key)
    return client


def test_a_mediator_sets_lists_and_removes_own_thresholds(
    seeded: Engine, as_role: Callable[[str | None], TestClient]
) -> None:
    seed_history(seeded)
    store_demo_forecast(seeded)
    mediator = _signed_in(as_role, "mediator")
    created = mediator.post(
        "/api/warning/risk/thresholds", json={"probability": 0.25, "district": "PK:bajaur-agency"}
    )
    assert created.status_code == 201, created.text
    listed = mediator.get("/api/warning/risk/thresholds").json()
    assert [t["district"] for t in listed] == ["PK:bajaur-agency"]
    bad = mediator.post(
        "/api/warning/risk/thresholds", json={"probability": 0.3, "district": "nowhere"}
    )
    assert bad.status_code == 422 and "district" in bad.text
    assert mediator.post("/api/warning/risk/thresholds", json={"probability": 2}).status_code == 422
    liaison = _signed_in(as_role, "liaison_af")
    assert (
        liaison.post("/api/warning/risk/thresholds", json={"probability": 0.3}).status_code == 403
    )
    admin = _signed_in(as_role, "admin")
    assert admin.delete(f"/api/warning/risk/thresholds/{created.json()['id']}").status_code == 404
    assert (
        mediator.delete(f"/api/warning/risk/thresholds/{created.json()['id']}").status_code == 204
    )
    assert mediator.get("/api/warning/risk/thresholds").json() == []


def test_the_dashboard_offers_the_risk_layer_with_its_date_to_the_mechanism_only(
    seeded: Engine, as_role: Callable[[str | None], TestClient]
) -> None:
    mediator = as_role("mediator")
    assert "data-risk-url" not in mediator.get("/").text  # no forecast stored yet
    seed_history(seeded)
    store_demo_forecast(seeded)
    page = mediator.get("/").text
    assert 'data-risk-url="/api/warning/risk"' in page
    assert "forecast of Nov 1, 2011" in page and "at least 60%" in page
    assert "29% better than persistence" in page
    public = as_role(None).get("/").text
    assert "data-risk-url" not in public and "District risk" not in public


def test_the_incident_page_shows_its_districts_risk_in_every_language(
    seeded: Engine, as_role: Callable[[str | None], TestClient]
) -> None:
    seed_history(seeded)
    store_demo_forecast(seeded)
    mediator = as_role("mediator")
    page = mediator.get("/incidents/TL-0001").text  # Urgun, Paktika
    assert 'id="risk"' in page and "Urgun:" in page and "0.050" in page
    for lang, word in (("ps", "د ولسوالۍ خطر"), ("fa", "خطر ولسوالی"), ("ur", "ضلعی خطرہ")):
        assert word in mediator.get(f"/incidents/TL-0001?lang={lang}").text
    assert 'id="risk"' not in as_role(None).get("/public/incidents/TL-0001").text
