"""How incidents are labelled and coloured on pages and maps, in one place.

Labels are English source strings marked with ``N_`` for extraction and
translated at render time. Colours are chosen to stay distinguishable for the
common forms of colour blindness and are repeated in the map legend.
Verification states are the verification context's ``State``; a unit test
checks that each has a label and a colour here.
"""

from __future__ import annotations

from truceline.events.taxonomy import PlacePrecision, acled_label
from truceline.verification.domain import State


def N_(message: str) -> str:
    """Marks a string for the catalogues without translating it here."""
    return message


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
}

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

PRECISION_LABELS: dict[int, str] = {
    PlacePrecision.EXACT: N_("Exact place"),
    PlacePrecision.NEAR_25KM: N_("Within about 25 km"),
    PlacePrecision.DISTRICT: N_("District"),
    PlacePrecision.PROVINCE: N_("Province"),
    PlacePrecision.LINEAR_OR_BORDER_AREA: N_("Border area or route"),
    PlacePrecision.COUNTRY: N_("Country only"),
    PlacePrecision.AIRSPACE_OR_WATERS: N_("Airspace"),
}

#: Radius (m) of the uncertainty circle drawn around a point of each precision.
PRECISION_RADIUS_M: dict[int, int] = {1: 1_000, 2: 25_000, 3: 30_000, 4: 80_000, 5: 50_000}

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

#: Event type labels (``events.taxonomy.ACLED_LABELS``), for the catalogues; a test checks
#: that every label is listed here.
EVENT_TYPE_WORDS = (
    N_("Battles"),
    N_("Explosions/Remote violence"),
    N_("Violence against civilians"),
    N_("Protests"),
    N_("Riots"),
    N_("Strategic developments"),
    N_("Armed clash"),
    N_("Government regains territory"),
    N_("Non-state actor overtakes territory"),
    N_("Chemical weapon"),
    N_("Air/drone strike"),
    N_("Suicide bomb"),
    N_("Shelling/artillery/missile attack"),
    N_("Remote explosive/landmine/IED"),
    N_("Grenade"),
    N_("Sexual violence"),
    N_("Attack"),
    N_("Abduction/forced disappearance"),
    N_("Peaceful protest"),
    N_("Protest with intervention"),
    N_("Excessive force against protesters"),
    N_("Violent demonstration"),
    N_("Mob violence"),
    N_("Agreement"),
    N_("Arrests"),
    N_("Change to group/activity"),
    N_("Disrupted weapons use"),
    N_("Headquarters or base established"),
    N_("Looting/property destruction"),
    N_("Non-violent transfer of territory"),
    N_("Other"),
)

PARTY_NAMES: dict[str, str] = {"AF": N_("Afghanistan"), "PK": N_("Pakistan")}
NEUTRAL_GREY = "#6b7280"


def state_label(state: str) -> str:
    return STATE_LABELS.get(state, state.replace("_", " ").capitalize())


def finding_label(finding: str) -> str:
    return FINDING_LABELS.get(finding, finding.replace("_", " ").capitalize())


def marker_colour(state: str, finding: str | None = None) -> str:
    """A finding, once made, colours the incident; before that its verification state does."""
    if finding:
        return FINDING_COLOURS.get(finding, NEUTRAL_GREY)
    return STATE_COLOURS.get(state, NEUTRAL_GREY)


def event_type_label(event_type: str) -> str:
    return acled_label(event_type)


def precision_label(precision: int) -> str:
    return PRECISION_LABELS.get(precision, N_("Approximate"))


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
