"""What the verification pages declare in their signatures, and the answers refused callers get."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from support_triage import seed_triage
from truceline.accounts.policy import Action, ResourceType
from truceline.app import create_app
from truceline.db.engine import transaction
from truceline.http.deps import declared_access
from truceline.verification.pages.access import incident_form_sender, triage_analyst
from truceline.verification.pages.queue import queue_worker

Browser = Callable[[str | None], TestClient]

FORM_ROUTES = {
    "/incidents/{code}/case-parties",
    "/incidents/{code}/evidence/{form}",
    "/incidents/{code}/publication/{form}",
    "/incidents/{code}/verification/{form}",
}


def _token(browser: TestClient) -> str:
    """The CSRF token a page carries (a visitor's is the value of its double-submit cookie)."""
    page = browser.get("/").text
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    return match[1] if match else str(browser.cookies["truceline_csrf"])


def test_the_pages_declare_what_the_policy_must_grant() -> None:
    assert declared_access(incident_form_sender) == (Action.READ, ResourceType.INCIDENT)
    assert declared_access(triage_analyst) == (Action.CREATE, ResourceType.INCIDENT_LINK)
    assert declared_access(queue_worker) == (Action.UPDATE, ResourceType.VERIFICATION_CASE)


def test_every_form_of_the_incident_page_is_sent_through_the_incident_it_may_read() -> None:
    routes = [context.original_route for context in iter_route_contexts(create_app().routes)]
    posts = {
        route.path: {dependency.call for dependency in route.dependant.dependencies}
        for route in routes
        if isinstance(route, APIRoute) and route.path in FORM_ROUTES and "POST" in route.methods
    }
    assert set(posts) == FORM_ROUTES
    assert all(incident_form_sender in calls for calls in posts.values())


def test_a_form_on_an_incident_the_caller_may_not_read_is_not_found(
    seeded: Engine, as_role: Browser
) -> None:
    """TL-0004 is not released: for a visitor it does not exist, whatever the form."""
    visitor = as_role(None)
    token = {"csrf_token": _token(visitor)}
    for address in ("verification/open", "evidence/evidence", "publication/release"):
        response = visitor.post(f"/incidents/TL-0004/{address}", data=token)
        assert response.status_code == 404, address
    response = visitor.post("/incidents/TL-0004/case-parties", data=token)
    assert response.status_code == 404
    mediator = as_role("mediator")
    missing = mediator.post(
        "/incidents/TL-9999/verification/open",
        data={"csrf_token": _token(mediator)},
        headers={"accept": "application/json"},
    )
    assert missing.status_code == 404
    assert missing.json()["detail"] == "no incident 'TL-9999' or form 'open' for you"


def test_a_role_that_may_not_triage_is_refused_before_the_action_is_looked_up(
    seeded: Engine, as_role: Browser
) -> None:
    """The route declares triage access: a team member hears 403 for any action, known or not,
    and a visitor's form is asked to sign in."""
    with transaction(seeded) as session:
        report_id = seed_triage(session)["proposed"]
    team = as_role("team_member")
    token = _token(team)
    for verb in ("merge", "no-such-action"):
        response = team.post(
            f"/triage/reports/{report_id}/{verb}",
            data={"csrf_token": token},
            headers={"accept": "application/json"},
            follow_redirects=False,
        )
        assert response.status_code == 403, verb
        assert response.json()["detail"] == "a team_member may not triage reports"
    visitor = as_role(None)
    response = visitor.post(
        f"/triage/reports/{report_id}/merge",
        data={"csrf_token": _token(visitor)},
        headers={"accept": "application/json"},
        follow_redirects=False,
    )
    assert response.status_code == 401 and "sign in to triage" in response.text


def test_the_queue_refuses_whoever_may_move_no_case(seeded: Engine, as_role: Browser) -> None:
    for key in (None, "liaison_pk", "community_liaison"):
        response = as_role(key).get("/verification/queue", headers={"accept": "application/json"})
        assert response.status_code == 403, key
        assert response.json()["detail"] == "the verification queue is for the mechanism"
