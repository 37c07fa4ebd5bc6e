"""The incident page's Publication section: release and withdraw through real sign-in and CSRF,
the refusals, and what the public then sees (both back ends)."""

from __future__ import annotations

import re
from collections.abc import Callable

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from truceline.db.engine import transaction
from truceline.incidents.models import Incident

Browser = Callable[[str | None], TestClient]


def _post(browser: TestClient, code: str, form: str, data: dict[str, str]) -> httpx.Response:
    page = browser.get(f"/incidents/{code}")
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match, page.text[:300]
    return browser.post(
        f"/incidents/{code}/publication/{form}",
        data={"csrf_token": match.group(1), **data},
        follow_redirects=False,
    )


def _released(engine: Engine, code: str) -> bool:
    with transaction(engine) as session:
        return bool(session.scalar(select(Incident.released).where(Incident.code == code)))


def test_a_mediator_withdraws_and_releases_from_the_page_and_the_public_follows(
    seeded: Engine, as_role: Browser
) -> None:
    mediator, public = as_role("mediator"), as_role(None)
    page = mediator.get("/incidents/TL-0001").text
    assert 'data-released="true"' in page and 'id="publication-withdraw-form"' in page
    response = _post(mediator, "TL-0001", "withdraw", {"reason": "A party disputes the count."})
    assert response.status_code == 303
    assert response.headers["location"] == "/incidents/TL-0001#publication"
    assert not _released(seeded, "TL-0001")
    assert public.get("/public/incidents/TL-0001").status_code == 404
    assert "TL-0001" not in public.get("/public").text
    page = mediator.get("/incidents/TL-0001").text
    assert 'data-released="false"' in page and 'id="publication-release-form"' in page
    assert _post(mediator, "TL-0001", "release", {}).status_code == 303
    assert _released(seeded, "TL-0001")
    assert public.get("/public/incidents/TL-0001").status_code == 200
    assert "TL-0001" in public.get("/public").text


def test_an_open_incident_offers_no_form_and_a_post_is_refused_with_the_reason(
    seeded: Engine, as_role: Browser
) -> None:
    mediator = as_role("mediator")
    page = mediator.get("/incidents/TL-0004").text
    assert "data-release-blocked" in page and 'id="publication-release-form"' not in page
    response = _post(mediator, "TL-0004", "release", {})
    assert response.status_code == 403
    assert "only a determined incident can be released" in response.text
    assert not _released(seeded, "TL-0004")


def test_liaisons_and_monitors_see_the_state_but_no_form_and_are_refused(
    seeded: Engine, as_role: Browser
) -> None:
    for key in ("liaison_af", "liaison_pk", "field_monitor"):
        browser = as_role(key)
        page = browser.get("/incidents/TL-0001").text
        assert 'data-released="true"' in page, key
        assert "publication-withdraw-form" not in page and "data-release-blocked" not in page
        response = _post(browser, "TL-0001", "withdraw", {})
        assert response.status_code == 403, key
        assert "may not release incidents" in response.text
    assert _released(seeded, "TL-0001")


def test_a_post_without_the_csrf_token_is_refused(seeded: Engine, as_role: Browser) -> None:
    mediator = as_role("mediator")
    response = mediator.post("/incidents/TL-0001/publication/withdraw", data={})
    assert response.status_code == 403
    assert _released(seeded, "TL-0001")


def test_an_oversized_reason_is_shown_under_its_field(seeded: Engine, as_role: Browser) -> None:
    response = _post(as_role("mediator"), "TL-0001", "withdraw", {"reason": "x" * 2001})
    assert response.status_code == 422
    assert 'id="withdraw-reason-error"' in response.text
    assert _released(seeded, "TL-0001")


def test_the_public_page_has_no_publication_section(seeded: Engine, client: TestClient) -> None:
    assert 'id="publication"' not in client.get("/public/incidents/TL-0001").text
