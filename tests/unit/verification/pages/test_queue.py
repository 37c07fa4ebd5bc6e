"""The verification queue page, through real sign-in, on both back ends."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from truceline.accounts.roles import Principal, Role
from truceline.app import build_registry
from truceline.db.base import utcnow
from truceline.db.engine import transaction
from truceline.incidents.models import Incident
from truceline.verification import queue, record, services
from truceline.verification.pages.queue import may_see_queue

MEDIATOR = Principal("mona", Role.MEDIATOR)


def _cases(engine: Engine) -> None:
    """TL-0002 opened ten days ago (first assessment overdue, no team); TL-0004 opened now."""
    with transaction(engine) as session:
        for code, opened in (("TL-0002", utcnow() - timedelta(days=10)), ("TL-0004", utcnow())):
            incident = session.scalar(select(Incident).where(Incident.code == code))
            assert incident is not None
            services.open_case(session, incident, principal=MEDIATOR, now=opened)


def test_queue_lists_due_and_overdue_work_with_reasons_linked_to_incidents(
    seeded: Engine, as_role: Callable[[str], TestClient]
) -> None:
    _cases(seeded)
    page = as_role("team_member").get("/verification/queue")
    assert page.status_code == 200
    rows = re.findall(
        r'<tr data-task-id="\d+"( class="overdue" data-overdue-reason="(\w+)")?>\s*<td><a href="/incidents/([\w-]+)#verification">',
        page.text,
    )
    assert [(code, reason) for _, reason, code in rows] == [("TL-0002", "no_team"), ("TL-0004", "")]
    assert "no joint team is assigned" in page.text
    overdue = as_role("mediator").get("/verification/queue?overdue=true").text
    assert "/incidents/TL-0002#verification" in overdue and "TL-0004" not in overdue


def test_queue_is_for_mediators_and_teams_and_so_is_its_link(
    seeded: Engine, as_role: Callable[[str | None], TestClient]
) -> None:
    for key, allowed in (("mediator", True), ("field_monitor", True), ("liaison_af", False),
                         ("community_liaison", False), (None, False)):  # fmt: skip
        browser = as_role(key)
        assert (browser.get("/verification/queue").status_code == 200) is allowed, key
        assert ('href="/verification/queue"' in browser.get("/").text) is allowed, key
    (item,) = [i for i in build_registry().nav_items if i.path == "/verification/queue"]
    assert item.shown is may_see_queue


def test_the_policy_gives_the_queue_to_whoever_may_move_a_case() -> None:
    """No role table of its own: mediators, team members and field monitors, by the policy."""
    allowed = {
        role.value
        for role in Role
        if may_see_queue(Principal("x", role, "AF" if role is Role.PARTY_LIAISON else None))
    }
    assert allowed == {"mediator", "team_member", "field_monitor"}


def test_queue_shows_a_stuck_task_as_stuck_with_its_reason_note_and_obstruction(
    seeded: Engine, as_role: Callable[[str], TestClient]
) -> None:
    _cases(seeded)
    with transaction(seeded) as session:
        incident = session.scalar(select(Incident).where(Incident.code == "TL-0004"))
        assert incident is not None
        case = services.case_for(session, incident.id)
        visit = services.add_task(session, case, "site_visit", principal=MEDIATOR)
        queue.block_task(
            session, visit.id, principal=MEDIATOR, reason="access_denied",
            note="Checkpoint at Barmal turned the team back",
        )  # fmt: skip
        record.record_obstruction(
            session, case, principal=MEDIATOR, obstructing_party="PK", task_id=visit.id,
            description="Refused passage.",
        )  # fmt: skip
        task_id = visit.id
    page = as_role("mediator").get("/verification/queue").text
    row = re.search(rf'<tr data-task-id="{task_id}">(.*?)</tr>', page, re.S)
    assert row is not None
    status = row.group(1)
    assert 'data-blocked="access_denied">Stuck</strong>' in status
    assert "Checkpoint at Barmal turned the team back" in status
    assert '<a href="/incidents/TL-0004-OBS-1">TL-0004-OBS-1</a>' in status
    assert ">Open<" not in status and "Open\n" not in status
