"""The district risk page: every district, the backtest, and a mediator's thresholds (both back ends)."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from support_risk import seed_history, store_demo_forecast

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _csrf(browser: TestClient) -> str:
    match = CSRF.search(browser.get("/risk").text)
    assert match, "the page has no form"
    return match.group(1)


def test_the_page_lists_every_district_with_the_backtest_and_its_diagram(
    seeded: Engine, as_role: Callable[[str | None], TestClient]
) -> None:
    mediator = as_role("mediator")
    assert "No forecast has been stored yet" in mediator.get("/risk").text
    seed_history(seeded)
    store_demo_forecast(seeded)
    page = mediator.get("/risk").text
    assert 'data-unit="PK:north-waziristan"' in page and 'data-unit="AF:urgun"' in page
    assert "0.0500" in page and "0.0700" in page  # model and persistence Brier scores
    assert page.count("<svg") == 2 and "observed frequency" in page  # the map and the diagram
    assert "One disc per district centre" in page
    assert 'id="thresholds"' in page
    liaison = as_role("liaison_af").get("/risk").text
    assert 'data-unit="AF:urgun"' in liaison and 'id="thresholds"' not in liaison
    assert "ضلعی خطرہ" in mediator.get("/risk?lang=ur").text


def test_the_public_is_sent_to_sign_in_and_a_reporter_is_refused(
    as_role: Callable[[str | None], TestClient],
) -> None:
    public = as_role(None).get("/risk", follow_redirects=False)
    assert public.status_code == 303 and public.headers["location"].startswith("/login")
    assert as_role("community_reporter").get("/risk").status_code == 403


def test_a_mediator_sets_and_removes_a_threshold_from_the_page(
    seeded: Engine, as_role: Callable[[str | None], TestClient]
) -> None:
    seed_history(seeded)
    store_demo_forecast(seeded)
    mediator = as_role("mediator")
    token = _csrf(mediator)
    done = mediator.post(
        "/risk/thresholds",
        data={"csrf_token": token, "percent": "25", "district": "PK:bajaur-agency"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    page = mediator.get("/risk").text
    assert "PK:bajaur-agency" in page and "25%" in page
    threshold = re.search(r'data-threshold="(\d+)"', page)
    assert threshold
    bad = mediator.post(
        "/risk/thresholds", data={"csrf_token": token, "percent": "150"}, follow_redirects=True
    )
    assert "Give a probability between 1 and 99 per cent." in bad.text
    unknown = mediator.post(
        "/risk/thresholds",
        data={"csrf_token": token, "percent": "20", "district": "PK:nowhere"},
        follow_redirects=True,
    )
    assert "That district is not in the forecast." in unknown.text
    assert mediator.get("/risk/thresholds").status_code == 200  # a reload lands on the page
    removed = mediator.post(
        f"/risk/thresholds/{threshold.group(1)}/remove",
        data={"csrf_token": token},
        follow_redirects=True,
    )
    assert 'data-threshold="' not in removed.text
