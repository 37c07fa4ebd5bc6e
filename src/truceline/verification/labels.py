"""The names of the verification states, for every reader (pages, reports, the CLI).

English source strings marked with ``N_`` for extraction, translated where they
are shown; the pages add the colours (``verification.pages.labels``).
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


def state_label(state: str) -> str:
    return STATE_LABELS.get(state, state.replace("_", " ").capitalize())
