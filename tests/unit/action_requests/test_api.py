from __future__ import annotations

from collections.abc import Callable

import stix2
from fastapi.testclient import TestClient

REQUEST = {
    "group": "Tehreek-e-Taliban Pakistan", "asked_action": "investigate", "target_kind": "group",
    "clause": "no-support-to-groups-attacking-pakistan", "summary": "SECRET-SUMMARY of the ask",
}  # fmt: skip
Browser = Callable[[str], TestClient]


def _deliver(browser: Browser) -> str:
    sana, mona = browser("sana"), browser("mona")
    made = sana.post("/api/requests", json=REQUEST)
    assert made.status_code == 201, made.text
    code = made.json()["code"]
    for step in ("admit", "deliver"):
        assert mona.post(f"/api/requests/{code}/steps", json={"step": step}).status_code == 200
    return code


def test_the_other_party_sees_a_request_only_once_delivered(browser: Browser) -> None:
    sana, farid, mona = browser("sana"), browser("farid"), browser("mona")
    made = sana.post("/api/requests", json=REQUEST)
    assert made.status_code == 201, made.text
    code = made.json()["code"]
    assert farid.get(f"/api/requests/{code}").status_code == 404
    assert farid.get("/api/requests?box=inbox").json()["total"] == 0
    mona.post(f"/api/requests/{code}/steps", json={"step": "admit"})
    mona.post(f"/api/requests/{code}/steps", json={"step": "deliver"})
    inbox = farid.get("/api/requests?box=inbox").json()
    assert [item["code"] for item in inbox["items"]] == [code]
    assert inbox["items"][0]["deadline_at"] is not None


def test_an_unknown_group_is_a_422_naming_the_field_and_the_closest_aliases(
    browser: Browser,
) -> None:
    answer = browser("sana").post("/api/requests", json={**REQUEST, "group": "Tehrik Talibn Pk"})
    assert answer.status_code == 422
    detail = answer.json()["detail"]
    assert detail["field"] == "group" and detail["code"] == "unknown_group"
    assert "TTP" in detail["message"]


def test_a_step_out_of_order_is_a_409(browser: Browser) -> None:
    code = browser("sana").post("/api/requests", json=REQUEST).json()["code"]
    answer = browser("mona").post(f"/api/requests/{code}/steps", json={"step": "deliver"})
    assert answer.status_code in (403, 409)


def test_unreleased_intelligence_is_404_for_the_other_party_until_released(
    browser: Browser,
) -> None:
    code = _deliver(browser)
    sana, farid = browser("sana"), browser("farid")
    package = sana.post("/api/intelligence", json={
        "title": "t", "body": "SECRET-BODY", "audience": "mediator_and_party", "request": code,
    }).json()["code"]  # fmt: skip
    assert farid.get(f"/api/intelligence/{package}").status_code == 404
    assert "SECRET-BODY" not in farid.get("/api/requests/export.stix").text
    assert farid.post(f"/api/intelligence/{package}/release").status_code == 404
    assert sana.post(f"/api/intelligence/{package}/release").status_code == 200
    assert farid.get(f"/api/intelligence/{package}").json()["body"] == "SECRET-BODY"
    exported = farid.get("/api/requests/export.stix")
    assert exported.headers["content-type"].startswith("application/stix+json")
    assert "SECRET-BODY" in exported.text
    stix2.parse(exported.text, allow_custom=True)


def test_the_figures_count_requests_per_party(browser: Browser) -> None:
    _deliver(browser)
    figures = browser("mona").get("/api/requests/figures").json()
    assert figures["per_party"]["PK"]["made"] == 1
    assert figures["total"] == 1


def test_a_stix_bundle_is_imported_as_a_package(browser: Browser) -> None:
    code = _deliver(browser)
    bundle = browser("mona").get("/api/requests/export.stix").json()
    answer = browser("sana").post("/api/intelligence/import", json={
        "bundle": bundle, "audience": "mediator", "request": code})  # fmt: skip
    assert answer.status_code == 201, answer.text
    assert answer.json()["media_type"] == "application/stix+json"
    bad = browser("sana").post("/api/intelligence/import", json={"bundle": {"type": "x"}})
    assert bad.status_code == 422 and bad.json()["detail"]["field"] == "file"
