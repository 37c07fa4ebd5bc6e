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
OUTCOMES = {
    "confirmed": N_("Confirmed by the monitors"),
    "not_confirmed": N_("Not confirmed"),
    "not_possible": N_("Verification not possible"),
}
