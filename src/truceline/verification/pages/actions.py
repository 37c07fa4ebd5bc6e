"""Which verification forms the incident page offers one principal, and what they offer.

A form is shown when the policy's ``available_actions`` (``accounts.policy_workflow``,
the one table of who may take which step, on role, party, case state and team
membership) lists its step for this principal and case now. Two more answers
come from the same table:

- ``permitted``: the policy would let the principal take the step on this case
  in some state (else the form route answers 403);
- ``applicable``: the case is in a state where the form means something (else
  the page was stale, and the form route answers with a message, 409).

The services ask the policy again before they act, so the page, the API and
the CLI can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import quote

from fastapi import Request, Response
from fastapi.responses import HTMLResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from truceline.accounts.models import User
from truceline.accounts.policy import (
    Action,
    Resource,
    ResourceType,
    Step,
    authorize_step,
    available_actions,
)
from truceline.accounts.policy_workflow import TABLE
from truceline.accounts.roles import Principal
from truceline.agreements.registry_port import known_group_ids
from truceline.config import get_settings
from truceline.db.base import utcnow
from truceline.events.taxonomy import PARTY_CODES, Target
from truceline.http.access import may
from truceline.http.i18n import N_, UIContext
from truceline.http.rendering import registered_page
from truceline.incidents.models import Incident
from truceline.verification.access import case_resource
from truceline.verification.domain import State, transitions_from
from truceline.verification.evidence import CUSTODY_ACTIONS
from truceline.verification.models import TeamMembership, VerificationCase
from truceline.verification.pages.case_view import MEMBER_ROLE_LABELS
from truceline.verification.pages.messages import FormState
from truceline.verification.record import latest_views
from truceline.verification.services import active_team, deadline_hours
from truceline.verification.tasks import BlockedReason

CASE = ResourceType.VERIFICATION_CASE
FORMS = (
    "open", "transition", "team", "tasks", "task-work", "reply-window", "reply", "views",
    "determination",
)  # fmt: skip
#: Task kinds a mediator adds by hand (the right of reply has its own form).
TASK_KINDS = ("first_assessment", "site_visit", "interview", "evidence_request")
#: Accounts offered for a joint team: the roles a member holds on the team.
TEAM_ACCOUNT_ROLES = tuple(MEMBER_ROLE_LABELS)
TEAM_ROWS = 4
#: Nominations pre-selected on an empty team form: one per party, then neutral members.
DEFAULT_NOMINATIONS = ("AF", "PK", "", "")

TRANSITION_LABELS: dict[str, str] = {
    "triage": N_("Triage"),
    "refute": N_("Refute"),
    "start_verification": N_("Start verification"),
    "close_unverifiable": N_("Close: cannot be verified"),
    "propose_findings": N_("Propose findings"),
    "reopen": N_("Reopen the verification"),
}
#: Transitions that end a case without findings: drawn as a warning button.
ENDING_TRANSITIONS = frozenset({"refute", "close_unverifiable"})
POSITION_CHOICES: dict[str, str] = {
    "concurs": N_("I concur"),
    "dissents": N_("I dissent"),
    "abstains": N_("I abstain"),
}
CONFIDENCE_LABELS: dict[str, str] = {"low": N_("Low"), "medium": N_("Medium"), "high": N_("High")}
LINK_LABELS: dict[str, str] = {
    "directed": N_("Directed by the party"),
    "facilitated": N_("Facilitated by the party"),
    "sanctioned": N_("Sanctioned by the party"),
    "tolerated": N_("Tolerated by the party"),
    "none": N_("No link to the party"),
}
TARGET_LABELS: dict[str, str] = {
    Target.SECURITY_FORCES: N_("Security forces"),
    Target.CIVILIANS: N_("Civilians"),
    Target.CRITICAL_INFRASTRUCTURE: N_("Critical infrastructure"),
    Target.TERRITORY: N_("Territory (crossing into it)"),
    Target.MILITANTS: N_("Militants"),
}
#: What can happen to a piece of evidence (``evidence.CUSTODY_ACTIONS``).
CUSTODY_ACTION_LABELS: dict[str, str] = {
    "transferred": N_("Handed over"),
    "examined": N_("Examined"),
    "sealed": N_("Sealed"),
    "copied": N_("Copied"),
    "returned": N_("Returned"),
}
#: Why a task is stuck, as a team reports it (labels: ``OVERDUE_REASON_LABELS``).
BLOCKED_REASONS = tuple(reason.value for reason in BlockedReason)
DONE_COOKIE = "truceline_done"
DONE_MESSAGES: dict[str, str] = {
    "open": N_("The verification is open."),
    "transition": N_("The case has moved to its new state."),
    "team": N_("The joint team is saved."),
    "tasks": N_("The task is added."),
    "task-work": N_("The task is updated."),
    "evidence": N_("The evidence is stored; its chain of custody starts with you."),
    "evidence-custody": N_("The hand-over is added to the chain of custody."),
    "evidence-redact": N_("A redacted copy is stored beside the original."),
    "evidence-disclose": N_("The original is disclosed to both parties."),
    "obstruction": N_(
        "The obstruction is recorded as an incident of its own, with its own verification."
    ),
    "reply-window": N_("The right of reply is open."),
    "reply": N_("Your reply is filed."),
    "views": N_("Your view is recorded."),
    "determination": N_("The determination is recorded and the findings are computed."),
}
LABELS: dict[str, Any] = {
    "transition_labels": TRANSITION_LABELS,
    "ending_transitions": ENDING_TRANSITIONS,
    "position_choices": POSITION_CHOICES,
    "confidence_labels": CONFIDENCE_LABELS,
    "link_labels": LINK_LABELS,
    "target_labels": TARGET_LABELS,
    "blocked_reasons": BLOCKED_REASONS,
    "custody_action_labels": CUSTODY_ACTION_LABELS,
    "done_messages": DONE_MESSAGES,
}


@dataclass(frozen=True)
class Availability:
    """Whether the policy lets the principal use a form on this case at all (``permitted``),
    whether the case's state calls for it (``applicable``) and whether both hold now."""

    permitted: bool
    applicable: bool
    now: bool = False

    @property
    def shown(self) -> bool:
        return self.now


@dataclass(frozen=True)
class ActionPanel:
    """The forms of the verification section for one principal and one incident."""

    case: VerificationCase | None
    forms: dict[str, Availability]
    transitions: list[str] = field(default_factory=list)
    team: list[TeamMembership] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)

    def shown(self, form: str) -> bool:
        return self.forms[form].shown

    def permitted(self, form: str) -> bool:
        return self.forms[form].permitted

    def applicable(self, form: str) -> bool:
        return self.forms[form].applicable

    @property
    def any_shown(self) -> bool:
        return any(a.shown for a in self.forms.values())


#: The policy's steps behind each form (``accounts.policy_workflow.Step``).
TRANSITION_FORM_STEPS = tuple(Step(name) for name in TRANSITION_LABELS)
FORM_STEPS: dict[str, tuple[Step, ...]] = {
    "open": (Step.OPEN,),
    "transition": TRANSITION_FORM_STEPS,
    "team": (Step.ASSIGN_TEAM,),
    "tasks": (Step.ADD_TASK,),
    "task-work": (Step.WORK_TASK,),
    "obstruction": (Step.RECORD_OBSTRUCTION,),
    "reply-window": (Step.OPEN_REPLY_WINDOW,),
    "reply": (Step.REPLY,),
    "views": (Step.RECORD_VIEW,),
    "determination": (Step.DETERMINE,),
}


def case_of(session: Session, incident: Incident) -> VerificationCase | None:
    return session.scalar(
        select(VerificationCase).where(VerificationCase.incident_id == incident.id)
    )


def build_panel(session: Session, incident: Incident, principal: Principal) -> ActionPanel:
    """Ask the policy (``available_actions``) which forms this principal gets now."""
    case = case_of(session, incident)
    team = active_team(session, case.id) if case else []
    facts = case_resource(session, case)
    steps = available_actions(principal, facts)
    forms = {
        form: Availability(
            permitted=any(_permitted_in_some_state(principal, s, facts) for s in form_steps),
            applicable=any(_applicable(s, facts) for s in form_steps),
            now=any(s in steps for s in form_steps),
        )
        for form, form_steps in FORM_STEPS.items()
    }
    offered = [
        t.name
        for t in (transitions_from(State(case.state)) if case else [])
        if t.name in TRANSITION_LABELS and Step(t.name) in steps
    ]
    offered = list(dict.fromkeys(offered))
    return ActionPanel(case, forms, offered, team, steps)


def _applicable(step: Step, facts: Resource) -> bool:
    """The case's state (and reply window) calls for the step, whoever asks."""
    if facts.case_state not in TABLE[step].states:
        return False
    if step is Step.OPEN_REPLY_WINDOW:
        return not facts.reply_open
    if step is Step.REPLY:
        return facts.reply_open
    return True


def _permitted_in_some_state(principal: Principal, step: Step, facts: Resource) -> bool:
    """The policy would let the principal take the step on this case in some state: a form
    the page no longer shows is then stale (409), not forbidden (403)."""
    return any(
        authorize_step(principal, step, replace(facts, case_state=state, reply_open=is_open))
        for state in TABLE[step].states
        for is_open in (False, True)
    )


@dataclass(frozen=True)
class Account:
    name: str
    role: str


def team_accounts(session: Session, team: list[TeamMembership]) -> list[Account]:
    """Active accounts that can sit on a team, and current members who have no account."""
    users = session.scalars(
        select(User)
        .where(User.role.in_(TEAM_ACCOUNT_ROLES), User.disabled.is_(False))
        .order_by(User.name)
    )
    accounts = [Account(u.name, u.role) for u in users]
    known = {a.name for a in accounts}
    return accounts + [Account(m.name, m.role) for m in team if m.name not in known]


def team_rows(team: list[TeamMembership]) -> list[tuple[str, str]]:
    """(member, nominating party or "" for neutral) for each row of the team form."""
    rows = [(m.name, m.nominated_by or "") for m in team]
    defaults = [("", party) for party in DEFAULT_NOMINATIONS]
    rows += defaults[len(rows) :]
    return rows + [("", "")] * (TEAM_ROWS - len(rows))


def perpetrator_choices(session: Session, incident: Incident) -> list[str]:
    """Actors adjudication knows: the parties, the registry's armed groups, and "unknown"."""
    choices = [*sorted(PARTY_CODES), *sorted(known_group_ids(session)), "unknown"]
    if incident.perpetrator not in choices:
        choices.append(incident.perpetrator)
    return choices


def form_choices(
    session: Session, incident: Incident, panel: ActionPanel, principal: Principal
) -> dict[str, Any]:
    """What the shown forms offer: accounts, rows, actors, deadlines, the reader's view."""
    if panel.case is None or not panel.any_shown:
        return {}
    choices: dict[str, Any] = {
        "task_kinds": TASK_KINDS,
        "deadline_hours": deadline_hours(session, panel.case),
        "team_names": [m.name for m in panel.team],
    }
    if panel.shown("team"):
        choices["accounts"] = team_accounts(session, panel.team)
        choices["team_rows"] = team_rows(panel.team)
    if panel.shown("determination"):
        choices["perpetrators"] = perpetrator_choices(session, incident)
    if panel.shown("reply"):
        due = panel.case.reply_due
        choices["reply_closed"] = due is not None and utcnow() > due
    if panel.shown("views"):
        mine = latest_views(session, panel.case.id).get(principal.name)
        choices["my_position"] = mine.position if mine else ""
    return choices


def remember_done(response: Response, code: str, form: str) -> None:
    """Say on the next drawing of the incident page (only) which form was just carried out.

    A short-lived cookie scoped to the incident's path rather than a query
    parameter, so that reloading the page later does not repeat the message.
    """
    response.set_cookie(
        DONE_COOKIE, form, max_age=120, path=incident_path(code), httponly=True,
        samesite="lax", secure=get_settings().session_cookie_secure,
    )  # fmt: skip


def forget_done(response: Response, code: str) -> None:
    response.delete_cookie(DONE_COOKIE, path=incident_path(code))


@dataclass(frozen=True)
class EvidencePermits:
    """Which evidence forms the policy gives the principal on a live case."""

    add: bool = False
    custody: bool = False
    redact: bool = False
    disclose: bool = False


def evidence_permits(principal: Principal, case: VerificationCase | None) -> EvidencePermits:
    """Asked of the policy: submit an original (in one's own party's name), record a hand-over,
    make a redacted copy, disclose an original to the parties."""
    if case is None:
        return EvidencePermits()
    return EvidencePermits(
        add=may(
            principal, Action.CREATE, ResourceType.EVIDENCE_ORIGINAL, owner_party=principal.party
        ),
        custody=may(principal, Action.UPDATE, CASE),
        redact=may(principal, Action.CREATE, ResourceType.EVIDENCE_REDACTED),
        disclose=may(principal, Action.DISCLOSE, ResourceType.EVIDENCE_ORIGINAL),
    )


def incident_path(code: str) -> str:
    """The incident page's path, its code percent-encoded as a browser sends it."""
    return "/incidents/" + quote(code, safe="")


def actions_context(
    request: Request,
    session: Session,
    incident: Incident,
    principal: Principal,
    form_state: FormState | None,
) -> dict[str, Any]:
    """The forms' part of the incident page's context (``_verification_actions.html``)."""
    panel = build_panel(session, incident, principal)
    done = request.cookies.get(DONE_COOKIE, "")
    return {
        "actions": panel,
        "evidence_permits": evidence_permits(principal, panel.case),
        "custody_actions": CUSTODY_ACTIONS,
        "choices": form_choices(session, incident, panel, principal),
        "form_state": form_state or FormState(),
        "done": done if done in DONE_MESSAGES and form_state is None else "",
        **LABELS,
    }


def render_incident_page(
    request: Request,
    session: Session,
    principal: Principal,
    ui: UIContext,
    code: str,
    *,
    form_state: FormState | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """The incident page redrawn with a sent form's messages.

    The page is the composite's (``truceline.web``), registered with the app as
    ``"incident"``: the verification forms ask for it by name and never import it.
    """
    renderer = registered_page(request, "incident")
    return renderer(
        request, session, principal, ui, code, form_state=form_state, status_code=status_code
    )
