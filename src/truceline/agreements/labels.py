"""The names of the adjudication's findings, for every reader (pages, reports, the CLI).

English source strings marked with ``N_`` for extraction, translated where they
are shown; the pages add the colours (``agreements.pages.labels``).
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


def finding_label(finding: str) -> str:
    return FINDING_LABELS.get(finding, finding.replace("_", " ").capitalize())
