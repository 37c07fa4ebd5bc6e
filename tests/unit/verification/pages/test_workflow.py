"""The verification forms of the incident page, through real sign-in, on both back ends.

Each form's success path (POST, 303, the record changed, the page says so), its
refusals (the message next to the field or above the form, 409/422), CSRF, and
the roles the policy keeps from a form (no form on the page, 403 on a POST).
TL-0004 (``support_web``) is an Afghan allegation of Pakistani cross-border fire
in state ``reported``; the helpers below move its case forward through the
services so that each test starts where its form matters.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from truceline.accounts.policy import AccessDenied, Decision
from truceline.accounts.roles import Principal, Role
from truceline.agreements.facts import FactError, FactsInvalid
from truceline.db.engine import transaction
from truceline.events.taxonomy import Target
from truceline.http.i18n import translations_for
from truceline.verification import record, services
from truceline.verification.determination import ATTRIBUTION_LINKS, CONFIDENCE_LEVELS
from truceline.verification.domain import (
    TRANSITIONS,
    State,
    TransitionRefused,
    VerificationContext,
    check_transition,
)
from truceline.verification.models import (
    MemberView,
    PartyReply,
    TeamMembership,
    VerificationCase,
    VerificationTask,
)
from truceline.verification.pages.actions import (
    CONFIDENCE_LABELS,
    LINK_LABELS,
    TARGET_LABELS,
    TRANSITION_LABELS,
)
from truceline.verification.pages.messages import (
    CODE_MESSAGES,
    FIELD_MESSAGES,
    FORM,
    STALE,
    TEAM_RULE,
    Refusal,
    refusal_for,
)
from truceline.verification.services import MemberSpec, VerificationError
from truceline.verification.tasks import TaskRefused

CODE = "TL-0004"
MEDIATOR = Principal("mona", Role.MEDIATOR)
PK_LIAISON = Principal("sana", Role.PARTY_LIAISON, "PK")
AF_MEMBER = Principal("tariq", Role.TEAM_MEMBER)
TEAM = [MemberSpec("tariq", "AF"), MemberSpec("samir", "PK"), MemberSpec("maya", None)]
ROLES = {"tariq": Role.TEAM_MEMBER, "samir": Role.TEAM_MEMBER, "maya": Role.FIELD_MONITOR}

Browser = Callable[[str | None], TestClient]


def _advance(engine: Engine, *steps: str) -> None:
    """Open TL-0004's case, then take ``steps``: a transition's name, or team/window/reply/view."""
    with transaction(engine) as session:
        incident = services.find_incident(session, CODE)
        case = services.open_case(session, incident, principal=MEDIATOR)
        for step in steps:
            if step == "team":
                services.assign_team(session, case, TEAM, principal=MEDIATOR, roles_by_name=ROLES)
            elif step == "window":
                record.open_reply_window(session, case, principal=MEDIATOR)
            elif step == "reply":
                record.file_reply(session, case, "We did not fire.", principal=PK_LIAISON)
            elif step == "view":
                record.record_view(
                    session, case, principal=AF_MEMBER, position="concurs", text="Yes."
                )
            else:
                services.transition(session, incident.id, step, principal=MEDIATOR)


def _case(engine: Engine) -> VerificationCase | None:
    with transaction(engine) as session:
        incident = services.find_incident(session, CODE)
        return session.scalar(
            select(VerificationCase).where(VerificationCase.incident_id == incident.id)
        )


def _rows(engine: Engine, model: Any) -> list[Any]:
    with transaction(engine) as session:
        return list(session.scalars(select(model).order_by(model.id)))


def _post(
    browser: TestClient, form: str, data: dict[str, str] | None = None, code: str = CODE
) -> httpx.Response:
    """Send a form as the page does: with the CSRF token the page carries."""
    page = browser.get(f"/incidents/{code}")
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match, page.text[:500]
    return browser.post(
        f"/incidents/{code}/verification/{form}",
        data={"csrf_token": match.group(1), **(data or {})},
        follow_redirects=False,
    )


def _error(html: str, element_id: str) -> str:
    """The text of the message element ``element_id`` (fails if it is missing)."""
    match = re.search(rf'id="{re.escape(element_id)}"[^>]*>(.*?)</(?:span|p)>', html, re.S)
    assert match, f"no #{element_id} on the page"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def _invalid(html: str, field_id: str) -> bool:
    return re.search(rf'id="{re.escape(field_id)}"[^>]*aria-invalid="true"', html) is not None


def test_a_mediator_opens_a_verification_and_the_page_says_so(
    seeded: Engine, as_role: Browser
) -> None:
    mediator = as_role("mediator")
    page = mediator.get(f"/incidents/{CODE}").text
    assert 'id="verification-open-form"' in page and "Open a verification" in page
    response = _post(mediator, "open")
    assert response.status_code == 303
    assert response.headers["location"] == f"/incidents/{CODE}#verification"
    case = _case(seeded)
    assert case is not None and (case.alleging_party, case.accused_party) == ("AF", "PK")
    page = mediator.get(response.headers["location"]).text
    assert "The verification is open." in page and 'data-case-state="reported"' in page
    assert 'data-transition="triage"' in page and 'data-transition="refute"' in page
    assert 'id="verification-open-form"' not in page
    assert "The verification is open." not in mediator.get(f"/incidents/{CODE}").text  # said once


def test_roles_the_policy_keeps_from_a_form_neither_see_it_nor_may_send_it(
    seeded: Engine, as_role: Browser
) -> None:
    for key in ("liaison_af", "admin"):
        browser = as_role(key)
        assert 'id="verification-open-form"' not in browser.get(f"/incidents/{CODE}").text
        assert _post(browser, "open").status_code == 403, key
    assert _case(seeded) is None
    _advance(seeded, "triage")
    liaison = as_role("liaison_pk")
    page = liaison.get(f"/incidents/{CODE}").text
    actions = set(re.findall(r'<form method="post" action="(/incidents[^"]*)"', page))
    assert 'id="verification"' in page
    assert actions == {f"/incidents/{CODE}/evidence/evidence"}  # a party may submit evidence
    for form in ("transition", "team", "tasks", "reply-window", "views", "determination"):
        response = _post(liaison, form, {"name": "start_verification"})
        assert response.status_code == 403, form
        assert "You may not use this form." in response.text
    monitor = as_role("field_monitor")
    assert 'id="verification-team-form"' not in monitor.get(f"/incidents/{CODE}").text
    assert _post(monitor, "team", {"member_0": "tariq"}).status_code == 403


def test_the_public_is_asked_to_sign_in(as_role: Browser) -> None:
    visitor = as_role(None)
    visitor.get("/")  # an anonymous form carries the value of the double-submit cookie
    token = {"csrf_token": visitor.cookies["truceline_csrf"]}
    response = visitor.post("/incidents/TL-0001/verification/open", data=token)
    assert response.status_code == 401 and "Sign in to use this form." in response.text
    response = visitor.post(f"/incidents/{CODE}/verification/open", data=token)
    assert response.status_code == 404  # TL-0004 is not released: it does not exist for them


def test_every_form_needs_the_csrf_token(seeded: Engine, as_role: Browser) -> None:
    mediator = as_role("mediator")
    response = mediator.post(f"/incidents/{CODE}/verification/open", follow_redirects=False)
    assert response.status_code == 403 and "CSRF token missing" in response.text
    wrong = {"csrf_token": "forged-token-forged-token"}
    response = mediator.post(f"/incidents/{CODE}/verification/open", data=wrong)
    assert response.status_code == 403 and "CSRF token wrong" in response.text
    assert _case(seeded) is None


def test_transitions_offered_are_the_state_machines_and_a_refusal_is_explained(
    seeded: Engine, as_role: Browser
) -> None:
    _advance(seeded)
    assert (
        'id="verification-transition-form"'
        not in as_role("team_member").get(f"/incidents/{CODE}").text
    )  # a team member takes no step out of "reported"
    monitor = as_role("field_monitor")
    page = monitor.get(f"/incidents/{CODE}").text
    assert 'data-transition="triage"' in page and 'data-transition="refute"' not in page
    response = _post(monitor, "transition", {"name": "triage", "note": "Plausible."})
    assert response.status_code == 303
    assert _case(seeded).state == State.TRIAGED  # type: ignore[union-attr]
    again = _post(monitor, "transition", {"name": "triage"})
    assert again.status_code == 409
    assert "no longer fits the case" in _error(again.text, "transition-form-error")
    mediator = as_role("mediator")
    refused = _post(mediator, "transition", {"name": "start_verification"})
    assert refused.status_code == 409
    assert _error(refused.text, "transition-form-error") == TEAM_RULE
    assert _case(seeded).state == State.TRIAGED  # type: ignore[union-attr]


def test_the_team_form_offers_accounts_and_composes_a_joint_team(
    seeded: Engine, as_role: Browser
) -> None:
    _advance(seeded, "triage")
    mediator = as_role("mediator")
    page = mediator.get(f"/incidents/{CODE}").text
    offered = set(re.findall(r'<option value="([\w-]+)"[^>]*>\1 · ', page))
    assert offered == {"tariq", "samir", "maya", "mona"}  # no liaison, admin or reporter
    rows = {"member_0": "tariq", "nominated_0": "AF", "member_1": "samir", "nominated_1": "PK"}
    response = _post(mediator, "team", {**rows, "member_2": "maya", "nominated_2": ""})
    assert response.status_code == 303
    team = [(m.name, m.role, m.nominated_by) for m in _rows(seeded, TeamMembership)]
    assert team == [
        ("tariq", "team_member", "AF"),
        ("samir", "team_member", "PK"),
        ("maya", "field_monitor", None),
    ]
    page = mediator.get(response.headers["location"]).text
    assert "The joint team is saved." in page and "Change the joint team" in page
    assert _post(mediator, "transition", {"name": "start_verification"}).status_code == 303


def test_team_refusals_appear_next_to_the_rows_they_concern(
    seeded: Engine, as_role: Browser
) -> None:
    _advance(seeded, "triage")
    mediator = as_role("mediator")
    parties_only = {"member_0": "tariq", "nominated_0": "AF", "member_1": "samir"}
    response = _post(mediator, "team", {**parties_only, "nominated_1": "PK"})
    assert response.status_code == 422
    assert _error(response.text, "team-form-error") == TEAM_RULE
    neutral_member = {**parties_only, "nominated_1": "PK", "member_2": "samir"}
    response = _post(mediator, "team", {**neutral_member, "member_3": "ghost"})
    assert response.status_code == 422
    assert _error(response.text, "team-member_2-error") == FIELD_MESSAGES["member_twice"]
    assert _error(response.text, "team-member_3-error") == FIELD_MESSAGES["member"]
    assert _invalid(response.text, "team-member_3")
    response = _post(mediator, "team", {**parties_only, "nominated_1": ""})
    assert response.status_code == 422  # samir, a team member, cannot be neutral
    assert _error(response.text, "team-member_1-error") == FIELD_MESSAGES["neutral_member"]
    assert '<option value="samir" selected>' in response.text  # what was chosen is kept
    assert _rows(seeded, TeamMembership) == []


def test_a_task_is_added_and_a_deadline_in_the_past_is_refused_under_its_field(
    seeded: Engine, as_role: Browser
) -> None:
    _advance(seeded, "triage", "team")
    mediator = as_role("mediator")
    past = {"kind": "site_visit", "due_on": "2020-01-01", "due_time": "10:00"}
    response = _post(mediator, "tasks", past)
    assert response.status_code == 422
    assert _error(response.text, "tasks-due_on-error") == FIELD_MESSAGES["due_on"]
    assert _invalid(response.text, "tasks-due_on")
    assert _post(mediator, "tasks", {"kind": "tea"}).status_code == 422
    day = (datetime.now(UTC) + timedelta(days=3)).date()
    good = {"kind": "site_visit", "assignee": "maya", "description": "Crater at the post"}
    response = _post(mediator, "tasks", {**good, "due_on": day.isoformat(), "due_time": "09:30"})
    assert response.status_code == 303
    task = _rows(seeded, VerificationTask)[-1]
    assert (task.kind, task.assignee, task.description) == (
        "site_visit",
        "maya",
        good["description"],
    )
    assert task.due_at == datetime(day.year, day.month, day.day, 9, 30, tzinfo=UTC)


def test_the_accused_partys_liaison_replies_once_the_window_is_open(
    seeded: Engine, as_role: Browser
) -> None:
    _advance(seeded, "triage", "team", "start_verification", "propose_findings")
    mediator = as_role("mediator")
    page = mediator.get(f"/incidents/{CODE}").text
    assert re.search(r'name="party">.*?<option value="PK" selected>', page, re.S)
    assert _post(mediator, "reply-window", {"party": "PK"}).status_code == 303
    assert _case(seeded).reply_due is not None  # type: ignore[union-attr]
    alleging = as_role("liaison_af")
    assert 'id="verification-reply-form"' not in alleging.get(f"/incidents/{CODE}").text
    assert _post(alleging, "reply", {"text": "Not our turn."}).status_code == 403
    accused = as_role("liaison_pk")
    page = accused.get(f"/incidents/{CODE}").text
    assert 'id="verification-reply-form"' in page and "The window closes" in page
    empty = _post(accused, "reply", {"text": "   "})
    assert empty.status_code == 422
    assert _error(empty.text, "reply-text-error") == FIELD_MESSAGES["text"]
    assert _invalid(empty.text, "reply-text")
    assert _post(accused, "reply", {"text": "Our posts only returned fire."}).status_code == 303
    (reply,) = _rows(seeded, PartyReply)
    assert (reply.party, reply.submitted_by, reply.late) == ("PK", "sana", False)


def test_members_of_the_team_record_views_and_no_one_else_can(
    seeded: Engine, as_role: Browser
) -> None:
    _advance(seeded, "triage", "team", "start_verification")
    member = as_role("team_member_pk")
    page = member.get(f"/incidents/{CODE}").text
    assert 'id="verification-views-form"' in page
    bad = _post(member, "views", {"position": "maybe", "text": "Unsure."})
    assert bad.status_code == 422
    assert _error(bad.text, "views-position-error") == FIELD_MESSAGES["position"]
    assert "Unsure." in bad.text  # the reasons typed are kept
    assert _error(_post(member, "views", {"position": "dissents"}).text, "views-text-error")
    dissent = {"position": "dissents", "text": "The craters point west."}
    assert _post(member, "views", dissent).status_code == 303
    (view,) = _rows(seeded, MemberView)
    assert (view.member, view.position, view.nominated_by) == ("samir", "dissents", "PK")
    for key in ("mediator", "liaison_pk"):  # not on the team
        browser = as_role(key)
        assert 'id="verification-views-form"' not in browser.get(f"/incidents/{CODE}").text
        assert _post(browser, "views", dissent).status_code == 403, key


def test_the_determination_computes_the_finding_shown_with_its_explanation(
    seeded: Engine, as_role: Browser
) -> None:
    steps = ("triage", "team", "start_verification", "view", "propose_findings", "window")
    _advance(seeded, *steps)
    mediator = as_role("mediator")
    page = mediator.get(f"/incidents/{CODE}").text
    assert re.search(r'name="perpetrator">.*?<option value="PK" selected>', page, re.S)
    facts = {"perpetrator": "PK", "confidence": "high", "targets": "security_forces"}
    summary = {"summary": "Fragments show mortar fire from the Pakistani side."}
    early = _post(mediator, "determination", {**facts, **summary})
    assert early.status_code == 409  # the accused party has not replied, its window is open
    assert "right of reply is still open" in _error(early.text, "determination-form-error")
    _advance(seeded, "reply")
    no_summary = _post(mediator, "determination", {**facts, "summary": " "})
    assert no_summary.status_code == 422
    assert _error(no_summary.text, "determination-summary-error") == FIELD_MESSAGES["summary"]
    response = _post(mediator, "determination", {**facts, **summary})
    assert response.status_code == 303 and response.headers["location"].endswith("#findings")
    page = mediator.get(response.headers["location"]).text
    finding = page[page.index('id="findings"') :]
    assert 'data-finding="violation"' in finding and "violation by PK" in finding
    assert 'data-case-state="determined"' in page
    assert 'id="verification-determination-form"' not in page
    assert 'id="verification-transition-form"' not in page


def test_determination_fields_refused_by_the_service_are_marked(
    seeded: Engine, as_role: Browser
) -> None:
    steps = ("team", "start_verification", "view", "propose_findings", "window", "reply")
    _advance(seeded, "triage", *steps)
    mediator = as_role("mediator")
    base = {"perpetrator": "PK", "confidence": "high", "summary": "Shelling."}
    response = _post(mediator, "determination", {**base, "perpetrator": "Martians"})
    assert response.status_code == 422 and _invalid(response.text, "determination-perpetrator")
    response = _post(mediator, "determination", {**base, "attribution_party": "AF"})
    assert response.status_code == 422  # a party without a link
    assert _error(response.text, "determination-attribution_link-error")
    assert _case(seeded).state == State.FINDINGS_PROPOSED  # type: ignore[union-attr]


def test_messages_are_shown_in_the_users_language(
    seeded: Engine, as_role: Browser, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalogue = translations_for("ps")._catalog  # type: ignore[attr-defined]
    monkeypatch.setitem(catalogue, TEAM_RULE, "د ګډ ټیم قاعده")
    _advance(seeded, "triage")
    mediator = as_role("mediator")
    mediator.get("/?lang=ps")  # the language is remembered in a cookie
    response = _post(mediator, "transition", {"name": "start_verification"})
    assert response.status_code == 409 and 'lang="ps" dir="rtl"' in response.text
    assert _error(response.text, "transition-form-error") == "د ګډ ټیم قاعده"


def test_the_public_page_of_an_incident_has_no_forms(seeded: Engine, as_role: Browser) -> None:
    page = as_role("mediator").get("/public/incidents/TL-0001").text
    assert "/verification/" not in page


def test_every_choice_offered_has_a_label() -> None:
    assert set(CONFIDENCE_LABELS) == set(CONFIDENCE_LEVELS)
    assert set(LINK_LABELS) == set(ATTRIBUTION_LINKS)
    assert set(TARGET_LABELS) == {t.value for t in Target}
    # Determining has its own form; a local resolution is recorded from the committee's page.
    assert set(TRANSITION_LABELS) == {t.name for t in TRANSITIONS} - {
        "determine",
        "resolve_locally",
    }


def test_refusals_become_messages_by_field() -> None:
    unknown = TransitionRefused(State.TRIAGED, "triage", "the moon is full")
    assert refusal_for(unknown, {}).detail == "the moon is full"
    assert refusal_for(unknown, {}).status == 409
    denied = AccessDenied(Decision(False, "no"), MEDIATOR)
    assert refusal_for(denied, {}).status == 403 and refusal_for(denied, {}).detail == "no"
    late = TaskRefused("in the past", field="due_at")
    assert refusal_for(late, {}).errors == {"due_on": FIELD_MESSAGES["due_on"]}
    facts = FactsInvalid([FactError(0, "TL-0004", "targets[0]", "unknown target")])
    assert refusal_for(facts, {}).errors == {"targets": FIELD_MESSAGES["targets"]}
    odd = VerificationError("something new: went wrong", field="something_new")
    assert refusal_for(odd, {}).errors.keys() == {FORM}
    assert refusal_for(LookupError("no case"), {}).status == 409


def test_a_refusal_is_decided_by_its_code_and_field_not_its_wording() -> None:
    """Rewording a service's sentence changes neither the page's message nor its status."""
    done = VerificationError("task 3 was already completed", code="task_already_completed")
    reworded = VerificationError("that task is finished", code="task_already_completed")
    assert refusal_for(done, {}) == refusal_for(reworded, {})
    assert refusal_for(reworded, {}) == Refusal({FORM: STALE}, 409)
    views = TransitionRefused(State.FINDINGS_PROPOSED, "determine", "nobody spoke yet",
                              code="no_member_views")  # fmt: skip
    assert refusal_for(views, {}).errors == {FORM: CODE_MESSAGES["no_member_views"][0]}
    assert refusal_for(views, {}).status == 409 and refusal_for(views, {}).detail == ""
    note = VerificationError("the remark is far too long", field="note")
    assert refusal_for(note, {}) == Refusal({"note": FIELD_MESSAGES["note"]}, 422)
    nominee = VerificationError("anything", code="neutral_member_role", field="member",
                                params={"member": "maya"})  # fmt: skip
    rows = {"member_2": "maya"}
    assert refusal_for(nominee, rows).errors == {"member_2": FIELD_MESSAGES["neutral_member"]}


def test_each_guard_of_the_state_machine_refuses_with_its_own_code() -> None:
    now = datetime(2025, 10, 20, tzinfo=UTC)
    refused = {}
    attempts = [
        (State.REPORTED, "determine", Role.MEDIATOR, VerificationContext()),
        (State.FINDINGS_PROPOSED, "determine", Role.TEAM_MEMBER, VerificationContext()),
        (State.TRIAGED, "start_verification", Role.MEDIATOR, VerificationContext()),
        (State.FINDINGS_PROPOSED, "determine", Role.MEDIATOR, VerificationContext()),
        (State.FINDINGS_PROPOSED, "determine", Role.MEDIATOR,
         VerificationContext(accused_party="PK", member_views=1)),
    ]  # fmt: skip
    for state, attempted, role, context in attempts:
        with pytest.raises(TransitionRefused) as caught:
            check_transition(state, attempted, role=role, context=context, now=now)
        refused[caught.value.code] = refusal_for(caught.value, {})
    assert set(refused) == {"not_allowed_from_state", "role_may_not", "team_incomplete",
                            "no_member_views", "reply_window_open"}  # fmt: skip
    assert all(r.detail == "" and r.status == 409 for r in refused.values())


def _first_task(engine: Engine) -> VerificationTask:
    return _rows(engine, VerificationTask)[0]


def test_a_team_member_starts_reports_stuck_and_finishes_a_task(
    as_role: Browser, seeded: Engine
) -> None:
    _advance(seeded, "triage", "team", "start_verification")
    member = as_role("team_member")
    task = _first_task(seeded)
    assert f'id="task-{task.id}-form"' in member.get(f"/incidents/{CODE}").text
    started = _post(member, "task-work", {"task_id": str(task.id), "action": "start"})
    assert started.status_code == 303
    stuck = {"task_id": str(task.id), "action": "blocked", "reason": "access_denied",
             "note": "The checkpoint at Ghulam Khan was closed."}  # fmt: skip
    assert _post(member, "task-work", stuck).status_code == 303
    done = {"task_id": str(task.id), "action": "done", "outcome": "Two craters, fresh."}
    assert _post(member, "task-work", done).status_code == 303
    task = _first_task(seeded)
    assert (task.assignee, task.blocked_reason, task.outcome) == (
        "tariq", "access_denied", "Two craters, fresh."
    )  # fmt: skip
    page = member.get(f"/incidents/{CODE}").text
    assert "The task is updated." in page and f'id="task-{task.id}-form"' not in page


def test_a_task_without_its_outcome_or_reason_is_refused_on_that_task(
    as_role: Browser, seeded: Engine
) -> None:
    _advance(seeded, "triage", "team", "start_verification")
    mediator = as_role("mediator")
    task = _first_task(seeded)
    empty = _post(mediator, "task-work", {"task_id": str(task.id), "action": "done"})
    assert empty.status_code == 422
    assert _error(empty.text, f"task-{task.id}-outcome-error") == FIELD_MESSAGES["outcome"]
    unknown = {"task_id": str(task.id), "action": "blocked", "reason": "tired"}
    refused = _post(mediator, "task-work", unknown)
    assert refused.status_code == 422
    assert _error(refused.text, f"task-{task.id}-reason-error") == FIELD_MESSAGES["reason"]
    stale = _post(mediator, "task-work", {"task_id": "999999", "action": "done", "outcome": "x"})
    assert stale.status_code == 422 and _first_task(seeded).done_at is None


def test_a_team_member_off_the_team_gets_no_task_form_and_403(
    as_role: Browser, seeded: Engine
) -> None:
    _advance(seeded, "triage")  # no team yet: the team member is on no team
    member = as_role("team_member")
    task = _first_task(seeded)
    assert f'id="task-{task.id}-form"' not in member.get(f"/incidents/{CODE}").text
    response = _post(member, "task-work", {"task_id": str(task.id), "action": "start"})
    assert response.status_code == 403 and _first_task(seeded).started_at is None


def test_an_obstruction_becomes_an_incident_of_its_own_listed_on_the_case(
    as_role: Browser, seeded: Engine
) -> None:
    _advance(seeded, "triage", "team", "start_verification")
    monitor = as_role("field_monitor")
    task = _first_task(seeded)
    empty = _post(monitor, "obstruction", {"obstructing_party": "PK", "description": " "})
    assert empty.status_code == 422
    assert _error(empty.text, "obstruction-description-error") == FIELD_MESSAGES["obstruction_text"]
    sent = {"obstructing_party": "PK", "task_id": str(task.id),
            "description": "Soldiers at the Ghulam Khan gate turned the team back."}  # fmt: skip
    assert _post(monitor, "obstruction", sent).status_code == 303
    page = monitor.get(f"/incidents/{CODE}").text
    assert f'data-obstruction="{CODE}-OBS-1"' in page and "turned the team back" in page
    assert _first_task(seeded).blocked_reason == "access_denied"
    obstruction = monitor.get(f"/incidents/{CODE}-OBS-1").text
    assert 'data-case-state="reported"' in obstruction  # its own verification, opened


def test_parties_do_not_record_obstructions(as_role: Browser, seeded: Engine) -> None:
    _advance(seeded, "triage")
    liaison = as_role("liaison_af")
    assert 'id="verification-obstruction-form"' not in liaison.get(f"/incidents/{CODE}").text
    refused = _post(liaison, "obstruction", {"description": "They stopped us."})
    assert refused.status_code == 403
