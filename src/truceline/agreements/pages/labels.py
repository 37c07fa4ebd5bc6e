"""How findings (the adjudication's outcomes) are labelled and coloured on pages and maps.

Labels are English source strings marked with ``N_``, translated at render time.
"""

from __future__ import annotations

from truceline.http.i18n import N_

FINDING_LABELS: dict[str, str] = {
    "violation": N_("Violation"),
    "no_violation": N_("No violation"),
    "spirit_concern": N_("Concern for the spirit"),
    "outside_scope": N_("Outside scope"),
    "indeterminate": N_("Indeterminate"),
}

FINDING_COLOURS: dict[str, str] = {
    "violation": "#b91c1c",
    "no_violation": "#15803d",
    "spirit_concern": "#ea580c",
    "outside_scope": "#64748b",
    "indeterminate": "#a21caf",
}


def finding_label(finding: str) -> str:
    return FINDING_LABELS.get(finding, finding.replace("_", " ").capitalize())
