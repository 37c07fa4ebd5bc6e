"""The verification section of the incident page, through real sign-in, on both back ends."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from support_verification_web import CODE, MEDIATOR, seed_verification
from truceline.content_store import AttachmentLimits, ContentStore
from truceline.db.engine import transaction
from truceline.incidents.models import Incident
from truceline.verification import services


@pytest.fixture
def verified(seeded: Engine, tmp_path: Path) -> Engine:
    """A case on TL-0002: joint team, an overdue task, a changed view, a late reply, evidence."""
    store = ContentStore(tmp_path / "evidence", AttachmentLimits(max_bytes=4096))
    with transaction(seeded) as session:
        seed_verification(session, store)
    return seeded


def _section(browser: TestClient) -> str | None:
    """The HTML of the page's verification section, or None when the page has none."""
    response = browser.get(f"/incidents/{CODE}")
    assert response.status_code == 200
    found = re.search(
        r'<section class="verification" id="verification">.*?</section>', response.text, re.S
    )
    return found.group(0) if found else None


def _block(section: str, start: str, end: str) -> str:
    """The text from the first ``start`` to the next ``end`` (a row, an item, an article)."""
    found = re.search(re.escape(start) + ".*?" + re.escape(end), section, re.S)
    assert found is not None, start
    return found.group(0)


def test_mediator_sees_tasks_with_overdue_reasons_team_and_nominations(
    verified: Engine, as_role: Callable[[str], TestClient]
) -> None:
    section = _section(as_role("mediator"))
    assert section is not None
    assert re.findall(
        r'data-task="(\w+)" class="overdue" data-overdue-reason="(\w+)"', section
    ) == [("site_visit", "access_denied")]
    assert "monitors were denied access" in section
    assert 'data-task="first_assessment">' in section
    assert "nominated by Afghanistan" in _block(section, 'data-member="tariq"', "</li>")
    assert "nominated by Pakistan" in _block(section, 'data-member="pk-nominee"', "</li>")
    assert "neutral" in _block(section, 'data-member="maya"', "</li>")


def test_dissent_is_shown_with_the_superseded_view_kept_as_history(
    verified: Engine, as_role: Callable[[str], TestClient]
) -> None:
    section = _section(as_role("liaison_pk"))
    assert section is not None
    view = _block(section, 'class="member-view dissent" data-member="tariq"', "</article>")
    assert 'data-position="dissents"' in view and "The craters face east." in view
    assert len(re.findall("data-superseded-view=", view)) == 1
    assert "Agreed." in _block(view, "data-superseded-view=", "</li>")


def test_late_reply_is_kept_and_marked_late(
    verified: Engine, as_role: Callable[[str], TestClient]
) -> None:
    section = _section(as_role("team_member"))
    assert section is not None
    reply = _block(section, 'class="party-reply" data-party="AF" data-late="true"', "</article>")
    assert "Our posts did not fire that night." in reply and "filed late" in reply


def test_originals_are_hidden_from_the_other_party_but_not_from_the_team(
    verified: Engine, as_role: Callable[[str], TestClient]
) -> None:
    team = _section(as_role("team_member"))
    liaison = _section(as_role("liaison_pk"))
    assert team is not None and liaison is not None
    kinds = r'data-evidence="\d+" data-kind="(\w+)"'
    assert sorted(re.findall(kinds, team)) == ["original", "redacted"]
    assert re.findall(kinds, liaison) == ["redacted"]
    assert 'data-evidence-hidden="1"' in liaison and "data-evidence-hidden" not in team


def test_the_public_and_community_roles_do_not_see_the_section(
    verified: Engine, as_role: Callable[[str | None], TestClient]
) -> None:
    with transaction(verified) as session:
        released = session.scalar(select(Incident).where(Incident.code == "TL-0001"))
        assert released is not None and released.released
        services.open_case(session, released, principal=MEDIATOR)
    assert 'id="verification"' in as_role("mediator").get("/incidents/TL-0001").text
    for browser in (as_role(None), as_role("community_liaison")):
        page = browser.get("/incidents/TL-0001")
        assert page.status_code == 200 and 'id="verification"' not in page.text
    assert 'id="verification"' not in as_role(None).get("/public/incidents/TL-0001").text


def test_incident_without_a_case_has_no_record_only_the_form_to_open_one(
    seeded: Engine, as_role: Callable[[str], TestClient]
) -> None:
    section = _section(as_role("mediator"))
    assert section is not None and "data-case-state" not in section
    assert 'id="verification-open-form"' in section
    assert _section(as_role("liaison_pk")) is None  # a party follows cases but opens none


def test_both_parties_see_the_proposed_findings_they_reply_to(
    verified: Engine, as_role: Callable[[str], TestClient]
) -> None:
    for party in ("liaison_af", "liaison_pk"):
        section = _section(as_role(party))
        assert section is not None
        proposal = _block(section, '<div class="proposal"', "</div>")
        assert "Proposed by mona" in proposal and 'class="proposal-findings"' in proposal


def test_the_page_shows_how_the_determination_differs_and_the_incidents_history(
    verified: Engine, as_role: Callable[[str], TestClient]
) -> None:
    from truceline.verification import determination

    with transaction(verified) as session:
        incident = session.scalar(select(Incident).where(Incident.code == CODE))
        assert incident is not None
        other = "AF" if incident.perpetrator != "AF" else "PK"
        facts = {"perpetrator": other, "confidence": "low", "targets": ["civilians"],
                 "summary": "The shells came from the posts, not from a militant position."}  # fmt: skip
        determination.determine(session, incident.id, principal=MEDIATOR, facts=facts)
    section = _section(as_role("liaison_pk"))
    assert section is not None
    diff = _block(section, 'class="mini proposal-diff"', "</table>")
    assert re.search(r"Perpetrator\s*</td><td[^>]*>[\w-]+</td><td[^>]*>(AF|PK)</td>", diff), diff
    history = _block(section, 'class="incident-history"', "</ol>")
    assert 'data-kind="recorded"' in history and 'data-kind="determination"' in history
    assert "mona" in history and "not from a militant position" in history
