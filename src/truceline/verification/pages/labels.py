"""How verification states are labelled and coloured on pages and maps, in one place.

Labels are English source strings marked with ``N_`` for extraction and
translated at render time. Colours are chosen to stay distinguishable for the
common forms of colour blindness and are repeated in the map legend; a unit
test checks that each ``State`` has a label and a colour here.
"""

from __future__ import annotations

from truceline.verification.domain import State
from truceline.verification.labels import STATE_LABELS as STATE_LABELS
from truceline.verification.labels import state_label as state_label

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
