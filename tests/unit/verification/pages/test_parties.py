"""The case header says who alleges against whom and from which allegation; a mediator corrects
it with a reason from the incident page (real sign-in, CSRF, both back ends)."""

from __future__ import annotations

import re
from collections.abc import Callable

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from truceline.accounts.roles import Principal, Role
from truceline.db.engine import transaction
from truceline.verification import services

Browser = Callable[[str | None], TestClient]
CODE = "TL-0004"  # an Afghan allegation (TL-0004-R1) of Pakistani cross-border fire


def _open(engine: Engine) -> None:
    with transaction(engine) as session:
        incident = services.find_incident(session, CODE)
        services.open_case(session, incident, principal=Principal("mona", Role.MEDIATOR))


def _post(browser: TestClient, data: dict[str, str]) -> httpx.Response:
    page = browser.get(f"/incidents/{CODE}")
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match
    return browser.post(
        f"/incidents/{CODE}/case-parties",
        data={"csrf_token": match.group(1), **data},
        follow_redirects=False,
    )


def test_the_header_names_the_allegation_and_a_mediator_corrects_it(
    seeded: Engine, as_role: Browser
) -> None:
    _open(seeded)
    mediator = as_role("mediator")
    page = mediator.get(f"/incidents/{CODE}").text
    assert 'data-alleging="AF" data-accused="PK"' in page
    assert "Taken from the allegation" in page and "TL-0004-R1" in page
    assert 'id="verification-case-parties-form"' in page
    response = _post(
        mediator,
        {"alleging_party": "PK", "accused_party": "AF", "reason": "R1 answers a PK allegation."},
    )
    assert response.status_code == 303
    page = mediator.get(f"/incidents/{CODE}").text
    assert 'data-alleging="PK" data-accused="AF"' in page
    assert "R1 answers a PK allegation." in page and "Taken from the allegation" not in page


def test_a_correction_without_a_reason_or_against_itself_is_shown_under_its_field(
    seeded: Engine, as_role: Browser
) -> None:
    _open(seeded)
    mediator = as_role("mediator")
    response = _post(mediator, {"alleging_party": "AF", "accused_party": "PK", "reason": " "})
    assert response.status_code == 422 and 'id="case-parties-reason-error"' in response.text
    response = _post(mediator, {"alleging_party": "AF", "accused_party": "AF", "reason": "x"})
    assert response.status_code == 422 and 'id="case-parties-accused_party-error"' in response.text


def test_liaisons_and_monitors_get_no_form_and_are_refused(
    seeded: Engine, as_role: Browser
) -> None:
    _open(seeded)
    for key in ("liaison_af", "liaison_pk", "field_monitor", "team_member"):
        browser = as_role(key)
        assert 'id="verification-case-parties-form"' not in browser.get(f"/incidents/{CODE}").text
        response = _post(browser, {"alleging_party": "PK", "accused_party": "AF", "reason": "x"})
        assert response.status_code == 403, key
        assert 'id="case-parties-form-error"' in response.text
    page = as_role("mediator").get(f"/incidents/{CODE}").text
    assert 'data-alleging="AF" data-accused="PK"' in page
