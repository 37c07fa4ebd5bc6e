"""The Findings page: the policy decides which findings each role sees; filters narrow them."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import Engine


def _incidents(html: str) -> set[str]:
    return set(re.findall(r'data-incident="([^"]+)"', html))


def test_the_public_sees_only_findings_of_determined_and_released_incidents(
    seeded: Engine, client: TestClient
) -> None:
    page = client.get("/findings")
    assert page.status_code == 200
    assert _incidents(page.text) == {"TL-0001", "TL-0003"}
    assert "determined and released to the public" in page.text


def test_a_party_and_the_mediator_see_unreleased_findings_too(
    seeded: Engine, as_role: Callable[[str], TestClient]
) -> None:
    for role in ("mediator", "liaison_pk"):
        seen = _incidents(as_role(role).get("/findings").text)
        assert {"TL-0001", "TL-0002", "TL-0004"} <= seen, role


def test_filters_narrow_by_finding_party_agreement_and_period(
    seeded: Engine, as_role: Callable[[str], TestClient]
) -> None:
    browser = as_role("mediator")
    violations = browser.get("/findings", params={"finding": "violation"}).text
    assert set(re.findall(r'<tr data-finding="(\w+)"', violations)) == {"violation"}
    by_pk = browser.get("/findings", params={"finding": "violation", "party": "PK"}).text
    assert "TL-0001" in _incidents(by_pk)
    assert all("by Pakistan" in row for row in re.findall(r"<tr data-finding.*?</tr>", by_pk, re.S))
    nothing = browser.get(
        "/findings", params={"occurred_from": "1990-01-01", "occurred_to": "1990-01-02"}
    )
    assert _incidents(nothing.text) == set() and "No finding matches." in nothing.text


def test_bad_filter_values_are_ignored_not_errors(seeded: Engine, client: TestClient) -> None:
    page = client.get(
        "/findings", params={"occurred_from": "yesterday", "party": "XX", "finding": "?"}
    )
    assert page.status_code == 200 and _incidents(page.text) == {"TL-0001", "TL-0003"}


def test_the_navigation_links_the_findings_and_audit_pages(
    seeded: Engine, client: TestClient
) -> None:
    nav = client.get("/").text
    assert 'href="/findings"' in nav and 'href="/audit"' in nav
