"""The notifications page, through real sign-in, on both back ends.

Notices are made by the warning context itself: an Afghan liaison files an
allegation through intake, which starts a cooling-off clock and tells Pakistan's
liaison and the mediators; a later Afghan attack reported by a monitor is
flagged on that clock and notifies them again.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from truceline.audit.actor import Actor
from truceline.config import get_settings
from truceline.content_store import ContentStore
from truceline.db.base import utcnow
from truceline.db.engine import transaction
from truceline.intake.schemas import ReportSubmission
from truceline.intake.services import submit_report
from truceline.warning import notify
from truceline.warning.domain import ALLEGATION_EVENT, BREACH_EVENT
from truceline.warning.models import Notification
from truceline.warning.pages import notifications

AF_LIAISON = Actor("farid", "party_liaison", "AF")
MONITOR = Actor("maya", "field_monitor")
#: An Afghan allegation of the 17 October strike in Urgun (it joins the seeded TL-0001).
ALLEGATION: dict[str, Any] = {
    "source_type": "party_liaison",
    "source_party": "AF",
    "source_name": "AF liaison office",
    "text": "Pakistani aircraft bombed civilian homes in Urgun, Paktika, killing ten civilians.",
    "occurred_at": "2025-10-17T21:30:00+05:00",
    "lat": 32.93,
    "lon": 69.17,
    "event_type": "air_drone_strike",
    "claimed_perpetrator": "Pakistani forces",
    "agreement_id": "truce-extension-2025-10-17",
}
#: A monitor's report of an Afghan attack after the allegation: a cooling-off breach.
LATER_ATTACK: dict[str, Any] = {
    "source_type": "field_monitor",
    "source_name": "monitor team 3",
    "text": "Afghan forces shelled a Pakistani border post near Angoor Adda.",
    "lat": 32.55,
    "lon": 69.52,
    "event_type": "shelling_artillery_missile_attack",
    "claimed_perpetrator": "AF",
}
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def file_allegation(engine: Engine) -> str:
    """File the allegation through intake; returns the report's code."""
    with transaction(engine) as session:
        result = submit_report(
            session,
            ReportSubmission.model_validate(ALLEGATION),
            actor=AF_LIAISON,
            store=ContentStore.under(get_settings().data_dir),
        )
        return result.report.code


def report_breach(engine: Engine) -> None:
    attack = LATER_ATTACK | {"occurred_at": utcnow().isoformat()}
    with transaction(engine) as session:
        submit_report(
            session,
            ReportSubmission.model_validate(attack),
            actor=MONITOR,
            store=ContentStore.under(get_settings().data_dir),
        )


def notes_of(engine: Engine, recipient: str) -> list[Notification]:
    with transaction(engine) as session:
        query = select(Notification).where(Notification.recipient == recipient)
        return list(session.scalars(query.order_by(Notification.id)))


def items(page: str) -> list[tuple[str, str, bool]]:
    """(id, event, unread) of each listed notice, in page order."""
    found = re.findall(
        r'<li id="notification-(\d+)" class="notification[^"]*" data-notification="\d+" '
        r'data-event="([\w.]+)"( data-unread="true")?>',
        page,
    )
    return [(note_id, event, bool(unread)) for note_id, event, unread in found]


def nav_badge(page: str) -> str | None:
    """The unread count shown in the navigation link, or None without a badge."""
    link = re.search(r'<a href="/notifications"[^>]*>(.*?)</a>', page, re.S)
    assert link is not None, "no Notifications link in the navigation"
    badge = re.search(r'class="badge" data-badge="(\d+)"', link.group(1))
    return badge.group(1) if badge else None


def csrf_of(browser: TestClient, path: str = "/notifications") -> str:
    match = CSRF.search(browser.get(path).text)
    assert match is not None
    return match.group(1)


def test_notices_are_listed_newest_first_to_their_recipients_only(
    seeded: Engine, as_role: Callable[[str | None], TestClient]
) -> None:
    code = file_allegation(seeded)
    report_breach(seeded)
    sana = as_role("liaison_pk").get("/notifications")
    assert sana.status_code == 200
    listed = items(sana.text)
    assert [event for _, event, _ in listed] == [BREACH_EVENT, ALLEGATION_EVENT]
    assert all(unread for _, _, unread in listed)
    assert [int(note_id) for note_id, _, _ in listed] == sorted(
        (n.id for n in notes_of(seeded, "sana")), reverse=True
    )
    assert "Cooling-off breach flagged" in sana.text and "Allegation filed" in sana.text
    allegation = sana.text.split(f'id="notification-{listed[1][0]}"')[1].split("</li>")[0]
    assert f"AF allegation {code}" in allegation
    assert 'href="/incidents/TL-0001" data-incident="TL-0001"' in allegation
    assert re.search(r"<time datetime=\"[^\"]+\">[^<]*UTC", allegation)
    assert len(items(as_role("mediator").get("/notifications").text)) == 2
    for key in ("liaison_af", "team_member", "community_reporter"):  # not addressed to them
        page = as_role(key).get("/notifications").text
        assert items(page) == [] and 'id="no-notifications"' in page, key
        assert code not in page.split('id="clocks"')[0], key


def test_the_navigation_shows_the_unread_count_and_the_public_never_counts(
    seeded: Engine, as_role: Callable[[str | None], TestClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    file_allegation(seeded)
    counted: list[str] = []

    def counting(session: Any, principal: Any) -> int:
        counted.append(principal.name)
        return notify.unread_count(session, principal)

    monkeypatch.setattr(notifications, "unread_count", counting)
    anonymous = as_role(None)
    for path in ("/", "/public", "/agreements"):
        assert 'href="/notifications"' not in anonymous.get(path).text
    sana = as_role("liaison_pk")
    assert counted == []
    assert 'href="/notifications"' not in sana.get("/public").text  # the public view
    assert counted == []
    assert nav_badge(sana.get("/").text) == "1"
    assert counted == ["sana"]  # one query for the page
    assert nav_badge(as_role("liaison_af").get("/").text) is None  # nothing unread
    other_page = sana.get("/agreements").text
    assert (
        nav_badge(other_page) == "1"
        and '<span class="visually-hidden"> unread</span>' in other_page
    )


def test_marking_one_notice_and_then_all_read(
    seeded: Engine, as_role: Callable[[str | None], TestClient]
) -> None:
    file_allegation(seeded)
    report_breach(seeded)
    sana = as_role("liaison_pk")
    (newest, _, _), (oldest, _, _) = items(sana.get("/notifications").text)
    token = csrf_of(sana)
    marked = sana.post(
        f"/notifications/{oldest}/read", data={"csrf_token": token}, follow_redirects=False
    )
    assert marked.status_code == 303 and marked.headers["location"] == "/notifications"
    page = sana.get("/notifications").text
    assert [unread for _, _, unread in items(page)] == [True, False]
    assert 'data-count="unread">1<' in page and nav_badge(page) == "1"
    assert page.count('action="/notifications/') == 2  # one item's button and "all"
    mona = as_role("mediator")
    assert all(unread for _, _, unread in items(mona.get("/notifications").text))  # still hers
    refused = mona.post(f"/notifications/{newest}/read", data={"csrf_token": csrf_of(mona)})
    assert refused.status_code == 403
    assert sana.post("/notifications/999999/read", data={"csrf_token": token}).status_code == 404
    everything = sana.post(
        "/notifications/read-all", data={"csrf_token": token}, follow_redirects=False
    )
    assert everything.status_code == 303
    page = sana.get("/notifications").text
    assert [unread for _, _, unread in items(page)] == [False, False]
    assert 'data-count="unread">0<' in page and nav_badge(page) is None
    assert 'id="mark-all-read"' not in page
    assert all(note.read_at is not None for note in notes_of(seeded, "sana"))
    assert all(note.read_at is None for note in notes_of(seeded, "mona"))


def test_marking_read_needs_the_csrf_token(
    seeded: Engine, as_role: Callable[[str | None], TestClient]
) -> None:
    file_allegation(seeded)
    sana = as_role("liaison_pk")
    ((note_id, _, _),) = items(sana.get("/notifications").text)
    for path in (f"/notifications/{note_id}/read", "/notifications/read-all"):
        assert sana.post(path, data={}).status_code == 403
        assert sana.post(path, data={"csrf_token": "forged" * 5}).status_code == 403
    assert all(note.read_at is None for note in notes_of(seeded, "sana"))


def test_visitors_who_have_not_signed_in_are_sent_to_sign_in(
    seeded: Engine, as_role: Callable[[str | None], TestClient]
) -> None:
    file_allegation(seeded)
    anonymous = as_role(None)
    page = anonymous.get("/notifications", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"] == "/login?next=/notifications"
    token = anonymous.cookies.get("truceline_csrf")
    assert token
    posted = anonymous.post(
        "/notifications/read-all", data={"csrf_token": token}, follow_redirects=False
    )
    assert posted.status_code == 303 and posted.headers["location"].startswith("/login")
    assert all(note.read_at is None for note in notes_of(seeded, "sana"))


#: role key -> whether the early-warning rule shows it the cooling-off clocks
CLOCK_READERS = {
    "admin": True,
    "mediator": True,
    "liaison_af": True,
    "liaison_pk": True,
    "team_member": True,
    "field_monitor": True,
    "community_liaison": False,
    "community_reporter": False,
}


def test_running_clocks_are_shown_to_whom_the_policy_allows(
    seeded: Engine, as_role: Callable[[str | None], TestClient]
) -> None:
    quiet = as_role("mediator").get("/notifications").text
    assert 'id="clocks"' in quiet and 'id="no-clocks"' in quiet
    code = file_allegation(seeded)
    report_breach(seeded)
    for key, allowed in CLOCK_READERS.items():
        page = as_role(key).get("/notifications")
        assert page.status_code == 200, key
        assert ('id="clocks"' in page.text) is allowed, key
        assert (f'data-report="{code}"' in page.text) is allowed, key
    clocks = as_role("liaison_af").get("/notifications").text.split('id="clocks"')[1]
    row = clocks.split(f'data-report="{code}"')[1].split("</tr>")[0]
    assert 'href="/incidents/TL-0001"' in row
    assert "<td>Afghanistan</td>\n    <td>Pakistan</td>" in row
    assert re.search(r'data-flag="([\w-]+)"><strong><a href="/incidents/\1">', row)
    assert "after AF filed allegation" in row
