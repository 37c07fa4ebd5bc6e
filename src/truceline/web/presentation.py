"""How incidents are labelled and coloured on pages and maps, in one place.

Labels are English source strings marked with ``N_`` for extraction and
translated at render time. Colours are chosen to stay distinguishable for the
common forms of colour blindness and are repeated in the map legend.
A verification state's colour and label are the verification pages'
(``verification.pages.labels``), a finding's the agreements pages'
(``agreements.pages.labels``); this module adds places and the marker colour.
"""

from __future__ import annotations

from truceline.agreements.pages.labels import FINDING_COLOURS
from truceline.events.taxonomy import PlacePrecision, acled_label
from truceline.http.i18n import N_
from truceline.verification.pages.labels import STATE_COLOURS

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

NEUTRAL_GREY = "#6b7280"


def marker_colour(state: str, finding: str | None = None) -> str:
    """A finding, once made, colours the incident; before that its verification state does."""
    if finding:
        return FINDING_COLOURS.get(finding, NEUTRAL_GREY)
    return STATE_COLOURS.get(state, NEUTRAL_GREY)


def event_type_label(event_type: str) -> str:
    return acled_label(event_type)


def precision_label(precision: int) -> str:
    return PRECISION_LABELS.get(precision, N_("Approximate"))
