"""Every address a page's form posts to answers a GET too (no "405 Method Not Allowed").

An invalid form is shown again, with its errors, at the address it was posted to; a
reload, the browser's history or a shared link then asks that address with GET. It
leads back to the form's page instead (the sign-in and report forms have their own GET).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from truceline.app import create_app

#: A value for each path parameter of the form addresses.
PARAMETERS = {"code": "TL-0001", "form": "team", "report_id": "1", "verb": "confirm",
              "notification_id": "1", "threshold_id": "1", "committee_code": "CMT-000000",
              "follow_up_id": "1", "request_code": "RQ-X"}  # fmt: skip


def _routes(routes: list[Any], prefix: str = "") -> Iterator[tuple[str, set[str]]]:
    for route in routes:
        if hasattr(route, "original_router"):  # a router included in another (FastAPI ≥ 0.120)
            yield from _routes(route.original_router.routes, prefix + route.include_context.prefix)
        elif getattr(route, "methods", None):
            yield prefix + route.path, set(route.methods)


def form_addresses() -> list[str]:
    """The page addresses (not /api) that accept a POST."""
    return sorted(
        path
        for path, methods in _routes(create_app().routes)
        if "POST" in methods and not path.startswith("/api")
    )


def _filled(path: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: PARAMETERS[m[1]], path)


def test_the_form_addresses_are_all_found() -> None:
    assert set(form_addresses()) >= {
        "/login", "/logout", "/intake/report", "/triage/reports/{report_id}/{verb}",
        "/incidents/{code}/verification/{form}", "/incidents/{code}/evidence/{form}",
        "/notifications/{notification_id}/read", "/notifications/read-all",
    }  # fmt: skip


@pytest.mark.parametrize("path", form_addresses())
def test_a_get_on_a_form_address_leads_to_the_form_not_405(
    path: str, seeded: Engine, as_role: Callable[[str | None], TestClient]
) -> None:
    for who in ("mediator", None):
        browser = as_role(who)
        answer = browser.get(_filled(path), follow_redirects=False)
        assert answer.status_code != 405, (who, path)
        if answer.status_code == 303:
            assert browser.get(answer.headers["location"]).status_code != 405


def test_an_invalid_form_reloaded_goes_back_to_the_incident(
    seeded: Engine, as_role: Callable[[str | None], TestClient]
) -> None:
    mediator = as_role("mediator")
    reloaded = mediator.get("/incidents/TL-0001/verification/team", follow_redirects=False)
    assert (reloaded.status_code, reloaded.headers["location"]) == (
        303,
        "/incidents/TL-0001#verification",
    )
    evidence = mediator.get("/incidents/TL-0001/evidence/evidence", follow_redirects=False)
    assert evidence.headers["location"] == "/incidents/TL-0001#evidence"
    triage = mediator.get("/triage/reports/7/merge", follow_redirects=False)
    assert triage.headers["location"] == "/triage/reports/7"
    assert mediator.get("/logout", follow_redirects=False).headers["location"] == "/login"
    still_in = mediator.get("/triage", follow_redirects=False)  # GET /logout signs nobody out
    assert still_in.status_code == 200
