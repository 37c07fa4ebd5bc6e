"""What the verification forms say when input is wrong or a service refuses.

The services explain a refusal in English for the API and the CLI, and say
what it is with a machine ``code`` and the ``field`` it concerns
(``truceline.errors.CodedError``). The page must speak the user's language and
must not change when a service's sentence is reworded, so each refusal is
turned, by its code or field, into one of the messages below (English source
strings marked with ``N_``, translated by the template) and attached to the
field it concerns, or to the form as a whole (key ``FORM``). A refusal this
module does not know still gets a translated message, with the service's own
reason shown beside it so that nothing is lost.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from truceline.accounts.policy import AccessDenied
from truceline.agreements.facts import FactsInvalid
from truceline.errors import CodedError
from truceline.http.i18n import N_
from truceline.verification.domain import TransitionRefused
from truceline.verification.services import VerificationError
from truceline.verification.tasks import TaskRefused

#: The key of a message about the whole form (shown above its fields).
FORM = "form"

TEAM_RULE = N_(
    "A joint team needs a member nominated by Afghanistan, one nominated by Pakistan, "
    "and a mediator or neutral field monitor."
)
NOT_ON_TEAM = N_("You are not on this case's joint team.")
GENERIC_REFUSAL = N_("This was refused.")
STALE = N_("This form no longer fits the case's current state: the page now shows where it stands.")
NO_CASE = N_("No verification is open on this incident.")
ACCESS_REFUSED = N_("The access policy does not let you do this.")
TEXT_RULE = N_("Write the text: it must not be empty or longer than 20,000 characters.")

#: The message under each field when its value is refused (by the form or a service).
FIELD_MESSAGES: dict[str, str] = {
    "note": N_("The note is too long."),
    "text": TEXT_RULE,
    "summary": N_("Summarise the established facts: not empty, at most 20,000 characters."),
    "position": N_("Choose whether you concur, dissent or abstain."),
    "perpetrator": N_("Choose the perpetrator from the list, or Unknown."),
    "confidence": N_("Choose how confident the determination is."),
    "attribution_party": N_("Choose the party the attribution concerns."),
    "attribution_link": N_("Choose how the perpetrator is linked to the party."),
    "attribution_confidence": N_("Choose how confident the attribution is."),
    "targets": N_("Choose the targets from the list."),
    "kind": N_("Choose a kind of task from the list."),
    "outcome": N_("Say what the task found: not empty, at most 20,000 characters."),
    "reason": N_("Choose why the task cannot go on."),
    "obstructing_party": N_("Choose Afghanistan, Pakistan or not known."),
    "file": N_("Choose a file (a photo, a PDF, audio or text within the size limit)."),
    "obtained_by": N_("Say who obtained the file."),
    "obtained_on": N_("Give the day and time it was obtained, not in the future."),
    "how_obtained": N_("Say how the file was obtained."),
    "holder": N_("Say who holds the evidence now."),
    "custody_action": N_("Choose what happened to the evidence."),
    "terms": N_("Give the words to black out, one per line (text files only)."),
    "redaction_note": N_("Say what was redacted and why."),
    "task_id": N_("Choose a task of this case, or none."),
    "obstruction_text": N_(
        "Say who stopped the monitors, where and how: not empty, at most 20,000 characters."
    ),
    "description": N_("The description is too long."),
    "assignee": N_("Choose a member of the team, or nobody."),
    "requested_from": N_("Choose Afghanistan, Pakistan or no party."),
    "party": N_("Choose the party that replies: Afghanistan or Pakistan."),
    "due_on": N_("Give the deadline as a day and time that are not in the past."),
    "due_time": N_("Give the time as hours and minutes, e.g. 16:30."),
    "member": N_("Choose an account from the list."),
    "member_twice": N_("This person is already on the team."),
    "nominated": N_("Choose Afghanistan, Pakistan or Neutral."),
    "neutral_member": N_(
        "A neutral member must be a mediator or a field monitor: choose the party "
        "that nominated this person."
    ),
}

#: What the page says for each refusal code of the services (``TransitionRefused.code``,
#: ``VerificationError.code``), and its HTTP status. A code not listed here gets
#: ``GENERIC_REFUSAL`` with the service's own reason beside it.
CODE_MESSAGES: dict[str, tuple[str, int]] = {
    "not_allowed_from_state": (STALE, 409),
    "role_may_not": (N_("Your role may not take this step."), 409),
    "team_incomplete": (TEAM_RULE, 409),
    "reply_window_open": (
        N_(
            "The accused party's right of reply is still open: determine after its reply "
            "or once the window has closed."
        ),
        409,
    ),
    "no_member_views": (N_("No team member has recorded a view yet."), 409),
    "not_on_team": (NOT_ON_TEAM, 409),
    "concurrent_change": (
        N_("Someone else changed this case at the same time: reload the page and try again."),
        409,
    ),
    "task_already_completed": (STALE, 409),
    "reply_not_opened": (STALE, 409),
}

#: Fields named by the services, as the form calls them.
SERVICE_FIELDS: dict[str, str] = {
    "due_at": "due_on",
    "obtained_at": "obtained_on",
    "submitted_party": FORM,
    "accused": FORM,
    "alleging_party": FORM,
    "agreement_id": FORM,
    "team": FORM,
}
_INDEXED = re.compile(r"^(attribution|targets)\[\d+\](?:\.(\w+))?$")


@dataclass(frozen=True)
class FormState:
    """One submitted form as the page redraws it: what was typed, and what was refused.

    ``errors`` maps a field (or ``FORM``) to a message; ``detail`` is the
    service's own reason, shown only beside a generic message.
    """

    form: str = ""
    values: Mapping[str, str] = field(default_factory=dict)
    errors: Mapping[str, str] = field(default_factory=dict)
    detail: str = ""

    def error(self, form: str, name: str) -> str | None:
        return self.errors.get(name) if form == self.form else None

    def value(self, form: str, name: str, default: str = "") -> str:
        return self.values.get(name, default) if form == self.form else default

    def has(self, form: str) -> bool:
        return form == self.form and bool(self.errors)


@dataclass(frozen=True)
class Refusal:
    """A refusal as the page shows it: messages by field, the HTTP status, any raw reason."""

    errors: dict[str, str]
    status: int
    detail: str = ""


def refusal_for(exc: Exception, values: Mapping[str, str]) -> Refusal:
    """The page's account of a service's refusal, decided by its code and field, never
    by its wording (see the module docstring)."""
    if isinstance(exc, TransitionRefused):
        return _coded_refusal(exc.code, exc.reason, 409)
    if isinstance(exc, AccessDenied):
        return Refusal({FORM: ACCESS_REFUSED}, 403, exc.decision.reason)
    if isinstance(exc, (TaskRefused, FactsInvalid, VerificationError)):
        return _field_refusal(exc, values)
    if isinstance(exc, LookupError):
        return Refusal({FORM: NO_CASE}, 409)
    raise exc


def _coded_refusal(code: str, reason: str, status: int) -> Refusal:
    """The catalogue's message for ``code``, or a generic one with the service's reason."""
    if code in CODE_MESSAGES:
        message, coded_status = CODE_MESSAGES[code]
        return Refusal({FORM: message}, coded_status)
    return Refusal({FORM: GENERIC_REFUSAL}, status, reason)


def _field_refusal(exc: CodedError, values: Mapping[str, str]) -> Refusal:
    """A refusal that names a field: under that field if the form has it, else above the form."""
    if exc.code == "neutral_member_role":
        return Refusal(_member_error(str(exc.params.get("member", "")), values), 422)
    if exc.field == "team":
        return Refusal({FORM: TEAM_RULE}, 422)
    if exc.code in CODE_MESSAGES:
        return _coded_refusal(exc.code, str(exc), 422)
    name = exc.field or ""
    indexed = _INDEXED.match(name)
    if indexed:
        kind, part = indexed.groups()
        name = "targets" if kind == "targets" else f"attribution_{part or 'party'}"
    name = SERVICE_FIELDS.get(name, name)
    if name in FIELD_MESSAGES:
        return Refusal({name: FIELD_MESSAGES[name]}, 422)
    return Refusal({FORM: GENERIC_REFUSAL}, 422, str(exc))


def _member_error(member: str, values: Mapping[str, str]) -> dict[str, str]:
    """The team row holding ``member`` (a neutral nominee whose role cannot be neutral)."""
    for key, value in values.items():
        if key.startswith("member_") and value == member:
            return {key: FIELD_MESSAGES["neutral_member"]}
    return {FORM: FIELD_MESSAGES["neutral_member"]}
