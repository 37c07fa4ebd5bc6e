"""Labels every page may show whatever its context: roles, parties, shared words.

Labels are English source strings marked with ``N_`` for extraction and
translated at render time. A context's own labels (verification states,
findings, precisions) live with that context's pages.
"""

from __future__ import annotations

from truceline.http.i18n import N_

#: Words the templates show by key (casualty categories, source types, zones), for the catalogues.
DISPLAY_WORDS = (
    N_("Civilians"),
    N_("Security forces"),
    N_("Militants"),
    N_("Unknown"),
    N_("Party liaison"),
    N_("Field monitor"),
    N_("Community reporter"),
    N_("Media"),
    N_("Dataset"),
    N_("Other"),
    N_("UTC"),
    N_("AFT (UTC+4:30)"),
    N_("PKT (UTC+5)"),
)

PARTY_NAMES: dict[str, str] = {"AF": N_("Afghanistan"), "PK": N_("Pakistan")}

ROLE_LABELS: dict[str, str] = {
    "admin": N_("Administrator"),
    "mediator": N_("Mediator"),
    "party_liaison": N_("Party liaison"),
    "team_member": N_("Verification team member"),
    "field_monitor": N_("Field monitor"),
    "community_liaison": N_("Community liaison"),
    "community_reporter": N_("Community reporter"),
    "public": N_("Public"),
}


def role_label(role: str) -> str:
    """The English label of a role (translated by the page)."""
    return ROLE_LABELS.get(str(role), str(role))
