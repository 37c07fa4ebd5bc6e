"""Which verification forms the incident page offers one principal, and what they offer.

A form is shown when two questions both say yes:

- ``permitted``: the accounts policy (asked through ``visibility.may``) lets this
  principal use the form at all: open or work a case, compose a team, reply for
  the accused party, record one's own view as a member of the case's team. Which
  transition a role may take comes from the state machine's ``TRANSITIONS``.
- ``applicable``: the case is in a state where the form means something (a case
  to open, a transition leaving the current state, a reply window to reply in).

The form routes (``verification_forms``) ask the same two questions before they
act: a principal who is not permitted gets 403; a form that no longer fits the
case (the page was stale) gets a message. The services then check everything
again, so nothing here is the last word on a rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from fastapi import Request, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from truceline.accounts.models import User
from truceline.accounts.policy import Action, ResourceType
from truceline.accounts.roles import Principal, Role
from truceline.agreements.registry_port import known_group_ids
from truceline.config import get_settings
from truceline.db.base import utcnow
from truceline.events.taxonomy import PARTY_CODES, Target
from truceline.incidents.models import Incident
from truceline.verification.domain import TERMINAL_STATES, TRANSITIONS, State, transitions_from
from truceline.verification.evidence import CUSTODY_ACTIONS
from truceline.verification.models import TeamMembership, VerificationCase
from truceline.verification.record import latest_views
from truceline.verification.services import active_team, deadline_hours
from truceline.verification.tasks import BlockedReason
from truceline.web.presentation import N_
from truceline.web.verification_messages import FormState
from truceline.web.verification_view import MEMBER_ROLE_LABELS
from truceline.web.visibility import may

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
    """Whether the policy lets the principal use a form, and whether the case calls for it."""

    permitted: bool
    applicable: bool

    @property
    def shown(self) -> bool:
        return self.permitted and self.applicable


@dataclass(frozen=True)
class ActionPanel:
    """The forms of the verification section for one principal and one incident."""

    case: VerificationCase | None
    forms: dict[str, Availability]
    transitions: list[str] = field(default_factory=list)
    team: list[TeamMembership] = field(default_factory=list)

    def shown(self, form: str) -> bool:
        return self.forms[form].shown

    def permitted(self, form: str) -> bool:
        return self.forms[form].permitted

    def applicable(self, form: str) -> bool:
        return self.forms[form].applicable

    @property
    def any_shown(self) -> bool:
        return any(a.shown for a in self.forms.values())


def case_of(session: Session, incident: Incident) -> VerificationCase | None:
    return session.scalar(
        select(VerificationCase).where(VerificationCase.incident_id == incident.id)
    )


def build_panel(session: Session, incident: Incident, principal: Principal) -> ActionPanel:
    """Ask the policy and the state machine which forms this principal gets now."""
    case = case_of(session, incident)
    team = active_team(session, case.id) if case else []
    live = case is not None and State(case.state) not in TERMINAL_STATES
    offered = _offered_transitions(principal, case)
    on_team = principal.name in {m.name for m in team}
    forms = {
        "open": Availability(may(principal, Action.CREATE, CASE), case is None),
        "transition": Availability(_takes_steps(principal), bool(offered)),
        "team": Availability(may(principal, Action.MANAGE, CASE), live),
        "tasks": Availability(may(principal, Action.UPDATE, CASE), live),
        "task-work": Availability(_works_tasks(principal, on_team), live),
        "obstruction": Availability(_records_obstruction(principal), live),
        "reply-window": Availability(
            may(principal, Action.UPDATE, CASE), live and not _reply_open(case)
        ),
        "reply": Availability(_may_reply(principal, case), live and _reply_open(case)),
        "views": Availability(_may_hold_view(principal) and on_team, live),
        "determination": Availability(_may_determine(principal), _determinable(case)),
    }
    return ActionPanel(case, forms, offered, team)


def _offered_transitions(principal: Principal, case: VerificationCase | None) -> list[str]:
    """Transitions out of the case's state that the principal's role may take (not determine:
    it has its own form)."""
    if case is None or not may(principal, Action.UPDATE, CASE):
        return []
    names = [
        t.name
        for t in transitions_from(State(case.state))
        if principal.role in t.roles and t.name != "determine"
    ]
    return list(dict.fromkeys(names))


def _works_tasks(principal: Principal, on_team: bool) -> bool:
    """Staff who may work a case; a party-nominated team member only on their own case."""
    return may(principal, Action.UPDATE, CASE) and (
        principal.role is not Role.TEAM_MEMBER or on_team
    )


def _records_obstruction(principal: Principal) -> bool:
    """Obstruction becomes an incident of its own: the recorder must work cases and open
    incidents."""
    return may(principal, Action.UPDATE, CASE) and may(
        principal, Action.CREATE, ResourceType.INCIDENT
    )


def _takes_steps(principal: Principal) -> bool:
    return may(principal, Action.UPDATE, CASE) and any(
        principal.role in t.roles for t in TRANSITIONS if t.name != "determine"
    )


def _may_determine(principal: Principal) -> bool:
    return (
        may(principal, Action.UPDATE, CASE)
        and may(principal, Action.CREATE, ResourceType.FINDING)
        and any(principal.role in t.roles for t in TRANSITIONS if t.name == "determine")
    )


def _determinable(case: VerificationCase | None) -> bool:
    return case is not None and any(
        t.name == "determine" for t in transitions_from(State(case.state))
    )


def _may_reply(principal: Principal, case: VerificationCase | None) -> bool:
    """Only the accused party (through its liaison) replies; without a case there is none."""
    if case is None or case.accused_party is None:
        return False
    return may(principal, Action.CREATE, ResourceType.PARTY_REPLY, owner_party=case.accused_party)


def _reply_open(case: VerificationCase | None) -> bool:
    """A window was opened (a reply after its end is still filed, and marked late)."""
    return case is not None and case.reply_opened_at is not None


def _may_hold_view(principal: Principal) -> bool:
    return may(principal, Action.READ, CASE) and may(
        principal, Action.CREATE, ResourceType.MEMBER_VIEW, owner_user=principal.name
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
