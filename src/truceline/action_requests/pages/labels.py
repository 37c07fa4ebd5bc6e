"""Labels of the requests pages, marked for translation (``N_``) and translated at render time.

Refusals are shown by their ``code`` (``MESSAGES``), never by matching their text;
a code without a label falls back to the field named.
"""

from __future__ import annotations

from truceline.action_requests.labels import ACTIONS as ACTIONS
from truceline.action_requests.labels import DISPUTES as DISPUTES
from truceline.action_requests.labels import OUTCOMES as OUTCOMES
from truceline.action_requests.labels import RESPONSES as RESPONSES
from truceline.action_requests.labels import RETURNS as RETURNS
from truceline.action_requests.labels import STATES as STATES
from truceline.http.i18n import N_

TARGETS = {
    "group": N_("The group"),
    "individuals": N_("Named individuals"),
    "location": N_("A location"),
    "financing_channel": N_("A financing channel"),
}
STEPS = {
    "admit": N_("Admit"),
    "return": N_("Return with reasons"),
    "deliver": N_("Deliver"),
    "acknowledge": N_("Acknowledge receipt"),
    "respond": N_("Respond"),
    "verify": N_("Record verification"),
    "close": N_("Close"),
}
AUDIENCES = {
    "mediator": N_("The mediator only"),
    "mediator_and_party": N_("The mediator and the other party (after release)"),
    "monitors": N_("The mediator and the monitors, for verification"),
}
BOXES = {
    "inbox": N_("Inbox"),
    "outbox": N_("Outbox"),
    "screening": N_("Screening queue"),
    "verification": N_("Awaiting verification"),
    "all": N_("All requests"),
}
PROVENANCE = {
    "live": N_("Live"),
    "public_reporting": N_("From public reporting"),
    "exercise": N_("Fictional exercise"),
}
FINDINGS = {
    "violation": N_("Violation"),
    "no_violation": N_("No violation"),
    "spirit_concern": N_("Against the spirit of the agreement"),
    "outside_scope": N_("Outside the scope"),
    "indeterminate": N_("Indeterminate"),
}
MESSAGES = {
    "unknown_group": N_("The registry knows no such group. Closest aliases: %(closest)s"),
    "unknown_clause": N_("No clause with that id is in force."),
    "missing_text": N_("Say it in words."),
    "step_not_allowed": N_("This step is not possible in the request's state."),
    "audience_forbids_release": N_("This package is not meant for the other party."),
    "nothing_to_verify": N_("Only a response reporting action taken is verified."),
    "nothing_to_judge": N_("No delivered request about this group to judge."),
    "access_denied": N_("You may not take this step."),
    "bad_stix": N_("Not a valid STIX 2.1 bundle."),
}
INVALID_CHOICE = N_("Choose one of the options.")
