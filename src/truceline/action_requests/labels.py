"""The names of a request's states, asked actions, responses and verification outcomes.

English source strings marked with ``N_``, translated where they are shown: the
requests pages (``action_requests.pages.labels``) and the periodic reports.
"""

from __future__ import annotations

from truceline.http.i18n import N_

STATES = {
    "submitted": N_("Submitted"),
    "screened": N_("Screened: admissible"),
    "returned": N_("Returned"),
    "delivered": N_("Delivered"),
    "acknowledged": N_("Acknowledged"),
    "responded": N_("Responded"),
    "verified": N_("Verified"),
    "closed": N_("Closed"),
}
ACTIONS = {
    "arrest": N_("Arrest"),
    "expel": N_("Expel"),
    "close": N_("Close"),
    "disrupt": N_("Disrupt"),
    "investigate": N_("Investigate"),
    "share_information": N_("Share information"),
}
RESPONSES = {
    "action_taken": N_("Action taken"),
    "declined": N_("Declined"),
    "disputed": N_("Disputed"),
}
RETURNS = {
    "group_not_identified": N_("Group not identified"),
    "clause_does_not_apply": N_("The clause does not apply"),
    "insufficient_evidence": N_("Insufficient evidence"),
    "not_actionable": N_("Not actionable"),
    "other": N_("Other"),
}
DISPUTES = {
    "not_on_our_territory": N_("Not on our territory"),
    "not_the_group_named": N_("Not the group named"),
}
#: A verification outcome as the history tells it.
OUTCOMES_DONE = {
    "confirmed": N_("The monitors confirmed the action reported"),
    "not_confirmed": N_("The monitors could not confirm the action reported"),
    "not_possible": N_("The monitors could not verify (no access)"),
}
OUTCOMES = {
    "confirmed": N_("Confirmed by the monitors"),
    "not_confirmed": N_("Not confirmed"),
    "not_possible": N_("Verification not possible"),
}
