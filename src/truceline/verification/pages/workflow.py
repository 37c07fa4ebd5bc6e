"""The verification forms of the incident page: the whole workflow in the browser.

Every form posts to ``/incidents/{code}/verification/<form>``, one of ``open``,
``transition``, ``team``, ``tasks``, ``task-work`` (start, finish or report a
task stuck), ``obstruction``, ``reply-window``, ``reply``, ``views`` and
``determination``, and goes through ``_submit``:

1. the incident must be visible to the principal (else 404; the route's signature
   declares it, ``verification.pages.access``), the principal signed
   in (401) and permitted the form by ``verification.pages.actions``, the same question
   that decides whether the page shows it (else 403);
2. a form that no longer fits the case (the page was stale) gets the page back
   with a message (409);
3. the values are read and checked; a bad one gets the page back with the
   message under its field (422), and what the user typed kept;
4. the verification services do the work, inside a savepoint so that a refusal
   leaves nothing half-done; their refusals become messages in the user's
   language (``verification.pages.messages``), never a 500;
5. success redirects (303) to the incident page, which says what was done.

The rules are the services' and the policy's: this module only reads forms and
calls ``verification.services``, ``record`` and ``determination``. CSRF is checked
by the accounts middleware on every signed-in POST.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from truceline.accounts.policy import AccessDenied
from truceline.accounts.roles import Principal, Role
from truceline.agreements.facts import FactsInvalid
from truceline.db.bounds import parse_record_id
from truceline.events.taxonomy import PARTY_CODES
from truceline.http.deps import Public, SessionDep
from truceline.http.i18n import N_, CurrentUI, UIContext
from truceline.http.rendering import render_page
from truceline.incidents.models import Incident
from truceline.verification import determination, queue, record, services
from truceline.verification.domain import TransitionRefused
from truceline.verification.models import VerificationCase
from truceline.verification.pages.access import IncidentForm
from truceline.verification.pages.actions import (
    BLOCKED_REASONS,
    TARGET_LABELS,
    TASK_KINDS,
    TEAM_ROWS,
    TRANSITION_LABELS,
    build_panel,
    incident_path,
    perpetrator_choices,
    remember_done,
    render_incident_page,
    team_accounts,
)
from truceline.verification.pages.messages import (
    FIELD_MESSAGES,
    FORM,
    STALE,
    TEAM_RULE,
    FormState,
    refusal_for,
)
from truceline.verification.record import MAX_TEXT_CHARS
from truceline.verification.services import MemberSpec, VerificationError
from truceline.verification.tasks import TaskRefused

router = APIRouter(include_in_schema=False)

FORBIDDEN_TITLE = N_("You may not use this form.")
SIGN_IN_TITLE = N_("Sign in to use this form.")
REFUSALS = (TransitionRefused, VerificationError, TaskRefused, FactsInvalid, AccessDenied)


class FormInvalid(Exception):
    """Values the form itself refuses, by field, before any service is asked."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(", ".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class Submission:
    """One sent form: who sent it, about which incident and case, with which values."""

    session: Session
    principal: Principal
    ui: UIContext
    incident: Incident
    case: VerificationCase | None
    values: dict[str, str]

    @property
    def open_case(self) -> VerificationCase:
        if self.case is None:
            raise LookupError(f"incident {self.incident.code} has no verification case")
        return self.case

    def text(self, name: str) -> str:
        return self.values.get(name, "").strip()


def _open(sub: Submission) -> None:
    services.open_case(sub.session, sub.incident, principal=sub.principal)


def _transition(sub: Submission) -> None:
    name, note = sub.text("name"), sub.text("note")
    if name not in TRANSITION_LABELS:
        raise FormInvalid({FORM: STALE})
    if len(note) > MAX_TEXT_CHARS:
        raise FormInvalid({"note": FIELD_MESSAGES["note"]})
    case = sub.open_case
    services.transition(sub.session, case.incident_id, name, principal=sub.principal, note=note)


def _team(sub: Submission) -> None:
    case = sub.open_case
    accounts = team_accounts(sub.session, services.active_team(sub.session, case.id))
    roles = {a.name: Role(a.role) for a in accounts}
    members, errors = team_members(sub.values, set(roles))
    if errors:
        raise FormInvalid(errors)
    services.assign_team(sub.session, case, members, principal=sub.principal, roles_by_name=roles)


def team_members(
    values: dict[str, str], offered: set[str]
) -> tuple[list[MemberSpec], dict[str, str]]:
    """The members chosen in the rows of the team form, or the errors by row."""
    members: list[MemberSpec] = []
    errors: dict[str, str] = {}
    for row in range(TEAM_ROWS):
        name = values.get(f"member_{row}", "").strip()
        party = values.get(f"nominated_{row}", "").strip()
        if not name:
            continue
        if name not in offered:
            errors[f"member_{row}"] = FIELD_MESSAGES["member"]
        elif name in {m.name for m in members}:
            errors[f"member_{row}"] = FIELD_MESSAGES["member_twice"]
        elif party and party not in PARTY_CODES:
            errors[f"nominated_{row}"] = FIELD_MESSAGES["nominated"]
        else:
            members.append(MemberSpec(name, party or None))
    if not members and not errors:
        errors[FORM] = TEAM_RULE
    return members, errors


def _task(sub: Submission) -> None:
    kind, assignee, party = sub.text("kind"), sub.text("assignee"), sub.text("requested_from")
    team = {m.name for m in services.active_team(sub.session, sub.open_case.id)}
    errors: dict[str, str] = {}
    if kind not in TASK_KINDS:
        errors["kind"] = FIELD_MESSAGES["kind"]
    if assignee and assignee not in team:
        errors["assignee"] = FIELD_MESSAGES["assignee"]
    if party and party not in PARTY_CODES:
        errors["requested_from"] = FIELD_MESSAGES["requested_from"]
    if len(sub.text("description")) > MAX_TEXT_CHARS:
        errors["description"] = FIELD_MESSAGES["description"]
    due_at = due_instant(sub.values, sub.ui, errors)
    if errors:
        raise FormInvalid(errors)
    services.add_task(
        sub.session, sub.open_case, kind, principal=sub.principal, due_at=due_at,
        description=sub.text("description"), assignee=assignee or None,
        requested_from=party or None,
    )  # fmt: skip


def _task_work(sub: Submission) -> None:
    """Start an open task of this case, finish it with what it found, or say why it is stuck."""
    task_id, action = sub.text("task_id"), sub.text("action")
    open_ids = {t.id for t in queue.open_tasks(sub.session, sub.open_case.id)}
    if parse_record_id(task_id) not in open_ids:
        raise FormInvalid({FORM: STALE})
    work = {"start": _start_task, "done": _finish_task, "blocked": _report_stuck}.get(action)
    if work is None:
        raise FormInvalid({FORM: STALE})
    work(sub, int(task_id))


def _start_task(sub: Submission, task_id: int) -> None:
    queue.start_task(sub.session, task_id, principal=sub.principal)


def _finish_task(sub: Submission, task_id: int) -> None:
    outcome = sub.text("outcome")
    if not outcome or len(outcome) > MAX_TEXT_CHARS:
        raise FormInvalid({"outcome": FIELD_MESSAGES["outcome"]})
    queue.complete_task(sub.session, task_id, principal=sub.principal, outcome=outcome)


def _report_stuck(sub: Submission, task_id: int) -> None:
    reason, note = sub.text("reason"), sub.text("note")
    errors = {} if reason in BLOCKED_REASONS else {"reason": FIELD_MESSAGES["reason"]}
    if len(note) > MAX_TEXT_CHARS:
        errors["note"] = FIELD_MESSAGES["note"]
    if errors:
        raise FormInvalid(errors)
    queue.block_task(sub.session, task_id, principal=sub.principal, reason=reason, note=note)


def _obstruction(sub: Submission) -> None:
    """Denial of access, recorded as an incident of its own (and the task it blocked)."""
    party, task_id = sub.text("obstructing_party"), sub.text("task_id")
    open_ids = {str(t.id) for t in queue.open_tasks(sub.session, sub.open_case.id)}
    errors: dict[str, str] = {}
    if party and party not in PARTY_CODES:
        errors["obstructing_party"] = FIELD_MESSAGES["obstructing_party"]
    if task_id and task_id not in open_ids:
        errors["task_id"] = FIELD_MESSAGES["task_id"]
    if not sub.text("description") or len(sub.text("description")) > MAX_TEXT_CHARS:
        errors["description"] = FIELD_MESSAGES["obstruction_text"]
    if errors:
        raise FormInvalid(errors)
    record.record_obstruction(
        sub.session, sub.open_case, principal=sub.principal, description=sub.text("description"),
        obstructing_party=party or None, task_id=int(task_id) if task_id else None,
    )  # fmt: skip


def _reply_window(sub: Submission) -> None:
    party, errors = sub.text("party"), {}
    if party and party not in PARTY_CODES:
        errors["party"] = FIELD_MESSAGES["party"]
    due_at = due_instant(sub.values, sub.ui, errors)
    if errors:
        raise FormInvalid(errors)
    record.open_reply_window(
        sub.session, sub.open_case, principal=sub.principal, party=party or None, due_at=due_at
    )


def _reply(sub: Submission) -> None:
    record.file_reply(
        sub.session, sub.open_case, sub.values.get("text", ""), principal=sub.principal
    )


def _view(sub: Submission) -> None:
    record.record_view(
        sub.session, sub.open_case, principal=sub.principal,
        position=sub.text("position"), text=sub.values.get("text", ""),
    )  # fmt: skip


def _determination(sub: Submission) -> None:
    facts = determination_facts(
        sub.values, sub.incident, perpetrator_choices(sub.session, sub.incident)
    )
    determination.determine(
        sub.session, sub.open_case.incident_id, principal=sub.principal, facts=facts
    )


def determination_facts(
    values: dict[str, str], incident: Incident, perpetrators: list[str]
) -> dict[str, object]:
    """The established facts of the determination form (casualties stay as recorded)."""
    errors: dict[str, str] = {}
    perpetrator = values.get("perpetrator", "").strip()
    if perpetrator not in perpetrators:
        errors["perpetrator"] = FIELD_MESSAGES["perpetrator"]
    targets = [t for t in values.get("targets", "").split(",") if t]
    if any(t not in TARGET_LABELS for t in targets):
        errors["targets"] = FIELD_MESSAGES["targets"]
    if errors:
        raise FormInvalid(errors)
    party = values.get("attribution_party", "").strip()
    attribution = [
        {
            "party": party,
            "link": values.get("attribution_link", "").strip(),
            "established": values.get("attribution_established") == "on",
            "confidence": values.get("attribution_confidence", "").strip(),
        }
    ]
    return {
        "perpetrator": perpetrator,
        "confidence": values.get("confidence", "").strip(),
        "attribution": attribution if party else [],
        "targets": targets,
        "casualties": dict(incident.casualties or {}),
        "summary": values.get("summary", ""),
    }


def due_instant(values: dict[str, str], ui: UIContext, errors: dict[str, str]) -> datetime | None:
    """The deadline typed as a day and a time in the page's zone (none: the default)."""
    try:
        return typed_instant(values, ui, "due_on", "due_time", default_clock=time(23, 59))
    except ValueError as bad:
        errors[str(bad)] = FIELD_MESSAGES[str(bad)]
        return None


def typed_instant(
    values: dict[str, str], ui: UIContext, day_field: str, time_field: str, *, default_clock: time
) -> datetime | None:
    """A day and an optional time typed in a form, read in the page's zone; None when both are
    empty. A value that is not a day or a time raises ``ValueError`` naming its field."""
    day_text, clock_text = values.get(day_field, "").strip(), values.get(time_field, "").strip()
    if not day_text and not clock_text:
        return None
    try:
        day = date.fromisoformat(day_text)
    except ValueError:
        raise ValueError(day_field) from None
    try:
        clock = time.fromisoformat(clock_text) if clock_text else default_clock
    except ValueError:
        raise ValueError(time_field) from None
    return datetime.combine(day, clock, tzinfo=ZoneInfo(ui.zone)).astimezone(UTC)


WORK: dict[str, Callable[[Submission], None]] = {
    "open": _open,
    "transition": _transition,
    "team": _team,
    "tasks": _task,
    "task-work": _task_work,
    "obstruction": _obstruction,
    "reply-window": _reply_window,
    "reply": _reply,
    "views": _view,
    "determination": _determination,
}


@router.post("/incidents/{code}/verification/{form}", response_class=HTMLResponse)
async def submit_verification_form(
    request: Request,
    session: SessionDep,
    sender: IncidentForm,
    ui: CurrentUI,
    code: str,
    form: str,
) -> Response:
    """Do what one verification form asks, then show the incident page again (see above).

    The signature declares what every form needs (reading the incident); which form the
    caller may send is the workflow's answer for this case (``panel.permitted``)."""
    principal, incident = sender.principal, sender.incident
    if form not in WORK:
        raise HTTPException(404, f"no incident {code!r} or form {form!r} for you")
    panel = build_panel(session, incident, principal)
    if not panel.permitted(form):
        return _forbidden(request, ui, principal)
    raw = await request.form()
    values = {k: v for k, v in raw.items() if isinstance(v, str) and k != "csrf_token"}
    values["targets"] = ",".join(str(t) for t in raw.getlist("targets"))
    if not panel.applicable(form):
        return _again(
            request, session, principal, ui, code, FormState(form, values, {FORM: STALE}), 409
        )
    sub = Submission(session, principal, ui, incident, panel.case, values)
    try:
        with session.begin_nested():
            WORK[form](sub)
    except FormInvalid as invalid:
        return _again(
            request, session, principal, ui, code, FormState(form, values, invalid.errors), 422
        )
    except (*REFUSALS, LookupError) as exc:
        refused = refusal_for(exc, values)
        state = FormState(form, values, refused.errors, refused.detail)
        return _again(request, session, principal, ui, code, state, refused.status)
    anchor = "findings" if form == "determination" else "verification"
    response = RedirectResponse(f"{incident_path(code)}#{anchor}", status_code=303)
    remember_done(response, code, form)
    return response


def _again(
    request: Request,
    session: Session,
    principal: Principal,
    ui: UIContext,
    code: str,
    state: FormState,
    status_code: int,
) -> HTMLResponse:
    """The incident page again, with the form's messages and what the user typed."""
    return render_incident_page(
        request, session, principal, ui, code, form_state=state, status_code=status_code
    )


def _forbidden(request: Request, ui: UIContext, principal: Principal) -> HTMLResponse:
    """401 for the public, 403 for a signed-in role the policy keeps from this form."""
    status = 403 if principal.signed_in else 401
    title = FORBIDDEN_TITLE if principal.signed_in else SIGN_IN_TITLE
    context = {"status": status, "title": title, "detail": ""}
    return render_page(request, ui, principal, "error.html", context, status_code=status)


@router.get("/incidents/{code}/verification/{form}", include_in_schema=False)
def verification_form_address(_: Public, code: str, form: str) -> Response:
    """An invalid form is shown again at its POST address; reloading it, or opening it from
    the history, asks for it with GET: show the incident's verification section instead
    of "405 Method Not Allowed"."""
    return RedirectResponse(f"{incident_path(code)}#verification", status_code=303)
