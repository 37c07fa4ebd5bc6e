"""How verification states are labelled and coloured on pages and maps, in one place.

Labels are English source strings marked with ``N_`` for extraction and
translated at render time. Colours are chosen to stay distinguishable for the
common forms of colour blindness and are repeated in the map legend; a unit
test checks that each ``State`` has a label and a colour here.
"""

from __future__ import annotations

from truceline.http.i18n import N_
from truceline.verification.domain import State

#: Labels of the verification states (``truceline.verification.domain.State``).
STATE_LABELS: dict[str, str] = {
    State.HISTORICAL: N_("Imported history"),
    State.REPORTED: N_("Reported"),
    State.TRIAGED: N_("Triaged"),
    State.UNDER_VERIFICATION: N_("Under verification"),
    State.FINDINGS_PROPOSED: N_("Findings proposed"),
    State.DETERMINED: N_("Determined"),
    State.CLOSED_UNVERIFIABLE: N_("Closed: could not be verified"),
    State.REFUTED: N_("Refuted"),
    State.RESOLVED_LOCALLY: N_("Resolved locally"),
}

STATE_COLOURS: dict[str, str] = {
    State.HISTORICAL: "#a8a29e",
    State.REPORTED: "#6b7280",
    State.TRIAGED: "#0e7490",
    State.UNDER_VERIFICATION: "#d97706",
    State.FINDINGS_PROPOSED: "#1d4ed8",
    State.DETERMINED: "#111827",
    State.CLOSED_UNVERIFIABLE: "#7c3aed",
    State.REFUTED: "#9ca3af",
    State.RESOLVED_LOCALLY: "#4d7c0f",
}


def state_label(state: str) -> str:
    return STATE_LABELS.get(state, state.replace("_", " ").capitalize())
