"""How findings (the adjudication's outcomes) are labelled and coloured on pages and maps.

Labels are English source strings marked with ``N_``, translated at render time.
"""

from __future__ import annotations

from truceline.agreements.labels import FINDING_LABELS as FINDING_LABELS
from truceline.agreements.labels import finding_label as finding_label

FINDING_COLOURS: dict[str, str] = {
    "violation": "#b91c1c",
    "no_violation": "#15803d",
    "spirit_concern": "#ea580c",
    "outside_scope": "#64748b",
    "indeterminate": "#a21caf",
}
