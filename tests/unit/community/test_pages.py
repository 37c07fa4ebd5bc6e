"""The committee pages, through real sign-in, on both back ends: an elder records a jirga,
resolves and escalates cases, and sees only their own committee."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from support_community import ELDER_ACCOUNT, PERSON, CommitteeWorld, seed_committee
from support_web import FAST_HASHER, PASSWORD, seed_incidents, seed_users, sign_in
from truceline.accounts import services
from truceline.app import create_app
from truceline.db.engine import transaction
from truceline.incidents.models import Incident
from truceline.warning.models import Notification

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services, "_hasher", FAST_HASHER)


@pytest.fixture
def world(engine: Engine) -> CommitteeWorld:
    with transaction(engine) as session:
        seed_incidents(session)
        seed_users(session)
        return seed_committee(session)


@pytest.fixture
def app_clients() -> Iterator[list[TestClient]]:
    opened: list[TestClient] = []
    yield opened
    for client in opened:
        client.__exit__(None, None, None)


def browser(opened: list[TestClient], key: str | None = None) -> TestClient:
    client = TestClient(create_app())
    client.__enter__()
    opened.append(client)
    if key == "elder":
        answer = client.post("/api/auth/login", json={"name": ELDER_ACCOUNT, "password": PASSWORD})
        assert answer.status_code == 200, answer.text
    elif key is not None:
        sign_in(client, key)
    return client


def post_form(client: TestClient, page: str, action: str, data: dict[str, object]) -> object:
    token = CSRF.search(client.get(page).text)
    assert token is not None
    return client.post(action, data={"csrf_token": token.group(1), **data}, follow_redirects=True)


def test_an_elder_sees_their_own_committee_only(
    world: CommitteeWorld, app_clients: list[TestClient]
) -> None:
    elder = browser(app_clients, "elder")
    listing = elder.get("/community")
    assert listing.status_code == 200
    assert world.committee in listing.text and world.other not in listing.text
    assert 'href="/community"' in listing.text  # the navigation names the page for elders
    assert elder.get(f"/community/committees/{world.other}").status_code == 403
    page = elder.get(f"/community/committees/{world.committee}").text
    assert world.member in page
    assert PERSON.name not in page and PERSON.phone not in page and PERSON.village not in page
    assert 'id="member-form"' not in page  # who sits on the committee is for the keepers


def test_the_public_is_sent_to_sign_in_and_a_party_is_refused(
    world: CommitteeWorld, app_clients: list[TestClient]
) -> None:
    public = browser(app_clients).get("/community", follow_redirects=False)
    assert public.status_code == 303 and public.headers["location"].startswith("/login")
    liaison = browser(app_clients, "liaison_af")
    assert liaison.get(f"/community/committees/{world.committee}").status_code == 403
    assert 'href="/community"' not in liaison.get("/").text


def test_an_elder_records_a_jirga_and_marks_its_follow_up_done(
    world: CommitteeWorld, app_clients: list[TestClient]
) -> None:
    elder = browser(app_clients, "elder")
    page = f"/community/committees/{world.committee}"
    answer = post_form(elder, page, f"{page}/meetings", {
        "kind": "jirga", "held_at": "2025-10-22T10:00", "place": "Wesh",
        "attendees": world.member, "other_attendees": "14",
        "agenda": "firing at the gate\nshepherds' grazing", "outcome": "shepherds keep 1 km back",
        "incidents": world.incidents[0], "follow_up_action": "tell both border posts",
        "follow_up_owner": "district official", "follow_up_due": "2025-10-25",
    })  # fmt: skip
    assert answer.status_code == 200  # type: ignore[attr-defined]
    text = answer.text  # type: ignore[attr-defined]
    assert 'data-attendance="15"' in text and "shepherds keep 1 km back" in text
    assert f'data-case="{world.incidents[0]}"' in text  # discussed: now one of its cases
    follow_up = re.search(r'data-follow-up="(\d+)" data-status="open"', text)
    assert follow_up is not None
    done = post_form(elder, page, f"/community/follow-ups/{follow_up.group(1)}/done", {})
    assert f'data-follow-up="{follow_up.group(1)}" data-status="done"' in done.text  # type: ignore[attr-defined]


def test_resolving_locally_closes_the_verification_and_escalating_notifies_the_mediators(
    world: CommitteeWorld, app_clients: list[TestClient], engine: Engine
) -> None:
    elder = browser(app_clients, "elder")
    page = f"/community/committees/{world.committee}"
    resolved = post_form(
        elder,
        page,
        f"{page}/decisions",
        {"decision": "resolve", "incident": world.incidents[0], "text": "settled by the jirga"},
    )
    assert 'data-state="resolved_locally"' in resolved.text  # type: ignore[attr-defined]
    escalated = post_form(
        elder,
        page,
        f"{page}/decisions",
        {"decision": "escalate", "incident": world.incidents[1], "text": "beyond the committee"},
    )
    text = escalated.text  # type: ignore[attr-defined]
    assert f'data-case="{world.incidents[1]}" data-state="reported"' in text
    assert 'data-task="first_assessment"' in text
    with transaction(engine) as session:
        states = dict(session.execute(select(Incident.code, Incident.verification_state)).all())
        notes = session.scalars(select(Notification.recipient).where(
            Notification.event == "community.escalated")).all()  # fmt: skip
    assert states[world.incidents[0]] == "resolved_locally"
    assert notes == ["mona"]
    mediator = browser(app_clients, "mediator")
    incident_page = mediator.get(f"/incidents/{world.incidents[0]}").text
    assert "Resolved locally" in incident_page and "settled by the jirga" in incident_page


def test_a_refusal_is_shown_next_to_the_form_in_the_readers_language(
    world: CommitteeWorld, app_clients: list[TestClient]
) -> None:
    elder = browser(app_clients, "elder")
    page = f"/community/committees/{world.committee}"
    refused = post_form(elder, page + "?lang=ur", f"{page}/decisions?lang=ur",
                        {"decision": "escalate", "incident": "NOPE-1", "text": "x"})  # fmt: skip
    assert refused.status_code == 400  # type: ignore[attr-defined]
    assert 'data-errors="decision"' in refused.text  # type: ignore[attr-defined]
    assert "NOPE-1" not in refused.text.split('data-errors="decision"')[1][:300]  # type: ignore[attr-defined]
