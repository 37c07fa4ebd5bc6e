"""HTML pages of local committees, laid out for a phone first (390 px wide and up).

- ``GET /community``: the committees the reader may read (an elder: their own), and for the
  keepers a form to create one;
- ``GET /community/committees/{committee_code}``: members by pseudonym, meetings and jirgas
  (agenda, attendance, outcome, follow-ups), the local cases with their verification's state
  and deadlines, and the forms to record a jirga, mark a follow-up done, resolve a case
  locally or escalate it; the keepers also add members.

Forms post, then redirect back (POST-redirect-GET) with a notice; a refusal re-renders the
page with the message of its error code next to its field (codes are translated here, the
services' English sentences are not shown). Every check is the policy's: the committee rule
for the committee itself (``community.access``), the workflow table for the verification
step (``community.local_cases``). People are named by pseudonym only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from truceline.accounts.policy import Action, ResourceType, could_ever
from truceline.accounts.roles import Principal
from truceline.accounts.sealing import IdentityDetails
from truceline.community import committees as svc
from truceline.community import local_cases
from truceline.community.access import committee_roles, may, readable_committees
from truceline.community.models import Committee
from truceline.community.page_labels import (
    DECISION_LABELS,
    ERROR_MESSAGES,
    MEETING_KINDS,
    MEMBER_ROLES,
    NOTICES,
    TASK_LABELS,
)
from truceline.community.registry import UnknownDistrict, list_districts
from truceline.community.views import committee_summary, committee_view
from truceline.config import get_settings
from truceline.db.bounds import RecordId, parse_record_id
from truceline.http.deps import CurrentPrincipal, Public, SessionDep
from truceline.http.i18n import N_, CurrentUI, UIContext
from truceline.http.registry import AppRegistry, NavItem
from truceline.http.rendering import render_page
from truceline.verification.pages.labels import STATE_LABELS

TEMPLATES_DIR = Path(__file__).parent / "templates"
PAGE = "/community"

router = APIRouter(include_in_schema=False)


def register_http(registry: AppRegistry) -> None:
    """The committee pages, their templates folder and the navigation link."""
    registry.add_router(router)
    registry.add_templates(TEMPLATES_DIR)
    registry.add_nav(NavItem(PAGE, N_("Committees"), order=55, shown=_may_see_committees))


def _may_see_committees(principal: Principal) -> bool:
    return principal.role in committee_roles()


@dataclass(frozen=True)
class PageAccess:
    """Whether the reader may ever read a committee (the policy's ``could_ever``)."""

    principal: Principal
    allowed: bool
    reason: str


def committee_reader(request: Request, principal: CurrentPrincipal) -> PageAccess:
    """Refuses, before the route runs, whoever could never read a committee (the policy's
    ``could_ever``): a visitor is sent to sign in, anyone else gets 403."""
    decision = could_ever(principal, Action.READ, ResourceType.COMMITTEE)
    access = PageAccess(principal, decision.allowed, decision.reason)
    _refuse_page(access, request, raising=True)
    return access


committee_reader.__access__ = (Action.READ, ResourceType.COMMITTEE)  # type: ignore[attr-defined]


ReadsCommittees = Annotated[PageAccess, Depends(committee_reader)]


def _refuse_page(access: PageAccess, request: Request, *, raising: bool = False) -> Response | None:
    if access.allowed:
        return None
    if not access.principal.signed_in:
        if raising:
            raise HTTPException(303, headers={"Location": f"/login?next={request.url.path}"})
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
    raise HTTPException(403, access.reason)


@router.get(PAGE, response_class=HTMLResponse)
def committees_page(
    request: Request, session: SessionDep, access: ReadsCommittees, ui: CurrentUI
) -> Response:
    """The committees the reader may read."""
    refused = _refuse_page(access, request)
    if refused is not None:
        return refused
    principal = access.principal
    rows = [committee_summary(session, c) for c in readable_committees(session, principal)]
    creates = could_ever(principal, Action.CREATE, ResourceType.COMMITTEE).allowed
    context = {"committees": rows, "may_create": creates, "errors": {},
               "districts": list_districts(session) if creates else []}  # fmt: skip
    return render_page(request, ui, principal, "community/committees.html", context)


@router.post(PAGE + "/committees")
def create_committee_form(
    request: Request,
    session: SessionDep,
    access: ReadsCommittees,
    ui: CurrentUI,
    district: Annotated[str, Form(max_length=120)] = "",
    name: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    try:
        made = svc.create_committee(
            session, district_key=district, name=name, principal=access.principal
        )
    except UnknownDistrict:
        return _list_with_error(request, session, access, ui, "district", "unknown_district")
    except svc.CommitteeError as error:
        return _list_with_error(request, session, access, ui, error.field or "name", error.code)
    return RedirectResponse(f"{PAGE}/committees/{made.code}", status_code=303)


def _list_with_error(
    request: Request, session: Session, access: PageAccess, ui: UIContext, field: str, code: str
) -> Response:
    principal = access.principal
    rows = [committee_summary(session, c) for c in readable_committees(session, principal)]
    context = {"committees": rows, "may_create": True, "districts": list_districts(session),
               "errors": {field: ERROR_MESSAGES.get(code, ERROR_MESSAGES["invalid"])}}  # fmt: skip
    return render_page(request, ui, principal, "community/committees.html", context,
                       status_code=400)  # fmt: skip


@router.get(PAGE + "/committees/{committee_code}", response_class=HTMLResponse)
def committee_page(
    committee_code: str,
    request: Request,
    session: SessionDep,
    access: ReadsCommittees,
    ui: CurrentUI,
    done: str = "",
) -> Response:
    """One committee, as its members and keepers see it."""
    refused = _refuse_page(access, request)
    if refused is not None:
        return refused
    committee = _committee(session, committee_code)
    return _render_committee(request, session, access.principal, ui, committee, notice=done)


def _committee(session: Session, code: str) -> Committee:
    try:
        return svc.committee_by_code(session, code[:40])
    except svc.CommitteeError:
        raise HTTPException(404, f"no committee {code[:40]!r}") from None


def _render_committee(
    request: Request,
    session: Session,
    principal: Principal,
    ui: UIContext,
    committee: Committee,
    *,
    notice: str = "",
    errors: dict[str, str] | None = None,
    form: str = "",
    status_code: int = 200,
) -> Response:
    view = committee_view(session, committee, principal=principal)
    context: dict[str, Any] = {
        "committee": view,
        "may_work": may(session, principal, Action.UPDATE, committee),
        "may_manage": may(session, principal, Action.MANAGE, committee),
        "notice": NOTICES.get(notice, ""),
        "errors": errors or {},
        "failed_form": form,
        "state_labels": STATE_LABELS,
        "meeting_kinds": MEETING_KINDS,
        "decision_labels": DECISION_LABELS,
        "member_roles": MEMBER_ROLES,
        "task_labels": TASK_LABELS,
        "today": date.today().isoformat(),
    }
    return render_page(request, ui, principal, "community/committee.html", context,
                       status_code=status_code)  # fmt: skip


def _back(committee: Committee, notice: str) -> RedirectResponse:
    return RedirectResponse(
        f"{PAGE}/committees/{committee.code}?done={notice}#{notice}", status_code=303
    )


def _refused(
    request: Request, session: Session, principal: Principal, ui: UIContext,
    committee: Committee, form: str, error: svc.CommitteeError,
) -> Response:  # fmt: skip
    message = ERROR_MESSAGES.get(error.code, ERROR_MESSAGES["invalid"])
    return _render_committee(request, session, principal, ui, committee,
                             errors={error.field or "form": message}, form=form, status_code=400)  # fmt: skip


@router.post(PAGE + "/committees/{committee_code}/meetings")
def record_meeting_form(
    committee_code: str,
    request: Request,
    session: SessionDep,
    access: ReadsCommittees,
    ui: CurrentUI,
    kind: Annotated[str, Form(max_length=16)] = "jirga",
    held_at: Annotated[str, Form(max_length=32)] = "",
    place: Annotated[str, Form(max_length=200)] = "",
    attendees: Annotated[list[str] | None, Form()] = None,
    other_attendees: Annotated[int, Form(ge=0, le=100_000)] = 0,
    agenda: Annotated[str, Form(max_length=4000)] = "",
    outcome: Annotated[str, Form(max_length=4000)] = "",
    follow_up_action: Annotated[str, Form(max_length=1000)] = "",
    follow_up_owner: Annotated[str, Form(max_length=120)] = "",
    follow_up_due: Annotated[str, Form(max_length=10)] = "",
    incidents: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    """Record a jirga or meeting: agenda and outcome one item per line, one follow-up."""
    committee = _committee(session, committee_code)
    principal = access.principal
    try:
        record = _meeting_record(session, ui, kind, held_at, place, attendees or [],
                                 other_attendees, agenda, outcome, incidents,
                                 (follow_up_action, follow_up_owner, follow_up_due))  # fmt: skip
        svc.record_meeting(session, committee, record, principal=principal)
    except svc.CommitteeError as error:
        return _refused(request, session, principal, ui, committee, "meeting", error)
    return _back(committee, "meeting")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _meeting_record(
    session: Session, ui: UIContext, kind: str, held_at: str, place: str,
    attendees: list[str], others: int, agenda: str, outcome: str, incidents: str,
    follow_up: tuple[str, str, str],
) -> svc.MeetingRecord:  # fmt: skip
    """The form's fields as a meeting record; a bad field is a ``CommitteeError`` naming it."""
    if kind not in MEETING_KINDS:
        raise svc.CommitteeError("kind: a jirga or a meeting", field="kind")
    try:
        when = datetime.fromisoformat(held_at).replace(tzinfo=ZoneInfo(ui.zone))
    except ValueError:
        raise svc.CommitteeError("held_at: a date and time", code="missing") from None
    if not place.strip():
        raise svc.CommitteeError("place: where it was held", code="missing")
    actions = []
    action, owner, due = follow_up
    if action.strip() or owner.strip() or due:
        try:
            actions.append(svc.FollowUp(action.strip(), owner.strip(), date.fromisoformat(due)))
        except ValueError:
            raise svc.CommitteeError("follow_up_due: a date", code="missing") from None
    ids = [
        local_cases.find_local_case(session, ref).id for ref in incidents.replace(",", " ").split()
    ]
    return svc.MeetingRecord(svc.MeetingKind(kind), when, place.strip(), attendees, others,
                             _lines(agenda), _lines(outcome), actions, ids)  # fmt: skip


@router.post(PAGE + "/follow-ups/{follow_up_id}/done")
def follow_up_done_form(
    follow_up_id: RecordId, request: Request, session: SessionDep, access: ReadsCommittees
) -> Response:
    try:
        row = svc.complete_follow_up(session, follow_up_id, principal=access.principal)
    except svc.CommitteeError:
        raise HTTPException(404, f"no follow-up action {follow_up_id}") from None
    committee = svc.committee_of_follow_up(session, row)
    return _back(committee, "follow-up")


@router.post(PAGE + "/committees/{committee_code}/members")
def add_member_form(
    committee_code: str,
    request: Request,
    session: SessionDep,
    access: ReadsCommittees,
    ui: CurrentUI,
    name: Annotated[str, Form(max_length=200)] = "",
    phone: Annotated[str, Form(max_length=40)] = "",
    village: Annotated[str, Form(max_length=200)] = "",
    role: Annotated[str, Form(max_length=32)] = "elder",
    term_start: Annotated[str, Form(max_length=10)] = "",
    term_end: Annotated[str, Form(max_length=10)] = "",
    account: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """Seal a new member's identity at once; only the pseudonym is kept."""
    committee = _committee(session, committee_code)
    principal = access.principal
    try:
        if not name.strip():
            raise svc.CommitteeError("name: the member's name", code="missing")
        if role not in MEMBER_ROLES:
            raise svc.CommitteeError("role: a member role", field="role")
        start, end = _day(term_start, "term_start"), _day(term_end, "term_end")
        member = svc.add_member(session, committee, IdentityDetails(name=name.strip(), phone=phone,
                                village=village), role=svc.MemberRole(role), term_start=start,
                                term_end=end, principal=principal,
                                keys_dir=get_settings().resolved_keys_dir)  # fmt: skip
        if account.strip():
            svc.link_account(session, member.pseudonym, account.strip(), principal=principal)
    except svc.CommitteeError as error:
        return _refused(request, session, principal, ui, committee, "member", error)
    return _back(committee, "member")


def _day(text: str, field: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise svc.CommitteeError(f"{field}: a date", code="missing") from None


@router.post(PAGE + "/committees/{committee_code}/decisions")
def decide_form(
    committee_code: str,
    request: Request,
    session: SessionDep,
    access: ReadsCommittees,
    ui: CurrentUI,
    decision: Annotated[str, Form(max_length=16)] = "",
    incident: Annotated[str, Form(max_length=64)] = "",
    text: Annotated[str, Form(max_length=4000)] = "",
    meeting: Annotated[str, Form(max_length=12)] = "",
) -> Response:
    """Resolve a case locally (``text``: the outcome) or escalate it (``text``: the reason)."""
    committee = _committee(session, committee_code)
    principal = access.principal
    try:
        found = local_cases.find_local_case(session, incident.strip())
        meeting_id = parse_record_id(meeting.strip()) if meeting.strip() else None
        held = svc.meeting_by_id(session, meeting_id) if meeting_id is not None else None
        if decision == "resolve":
            local_cases.resolve_locally(session, committee, found.id, outcome=text,
                                        principal=principal, meeting=held)  # fmt: skip
        elif decision == "escalate":
            local_cases.escalate(session, committee, found.id, reason=text, principal=principal,
                                 meeting=held)  # fmt: skip
        else:
            raise svc.CommitteeError("decision: resolve or escalate", field="decision")
    except svc.CommitteeError as error:
        return _refused(request, session, principal, ui, committee, "decision", error)
    return _back(committee, "resolved" if decision == "resolve" else "escalated")


# --- a GET on a form's address (a reload after an invalid form) leads back to its page ---

FORM_ANCHORS = {"meetings": "record-meeting", "members": "add-member", "decisions": "decide"}


@router.get(PAGE + "/committees", include_in_schema=False)
def committees_form_address(_: Public) -> Response:
    return RedirectResponse(PAGE, status_code=303)


@router.get(PAGE + "/committees/{committee_code}/{form}", include_in_schema=False)
def committee_form_address(_: Public, committee_code: str, form: str) -> Response:
    anchor = FORM_ANCHORS.get(form, "")
    target = f"{PAGE}/committees/{quote(committee_code[:40], safe='')}"
    target += f"#{anchor}" if anchor else ""
    return RedirectResponse(target, status_code=303)


@router.get(PAGE + "/follow-ups/{follow_up_id}/done", include_in_schema=False)
def follow_up_form_address(_: Public, follow_up_id: RecordId) -> Response:
    return RedirectResponse(PAGE, status_code=303)
