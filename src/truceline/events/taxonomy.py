"""Event types, actors, targets, precision codes and source grading.

Event types are ACLED sub-event types in snake_case, each under its ACLED
event type, plus ceasefire-specific types under ``ceasefire_violation``. To add
a type, add it to ``EVENT_TYPES``; the validators and exports pick it up.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum

ACLED_EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "battles": (
        "armed_clash",
        "government_regains_territory",
        "non_state_actor_overtakes_territory",
    ),
    "explosions_remote_violence": (
        "chemical_weapon",
        "air_drone_strike",
        "suicide_bomb",
        "shelling_artillery_missile_attack",
        "remote_explosive_landmine_ied",
        "grenade",
    ),
    "violence_against_civilians": (
        "sexual_violence",
        "attack",
        "abduction_forced_disappearance",
    ),
    "protests": (
        "peaceful_protest",
        "protest_with_intervention",
        "excessive_force_against_protesters",
    ),
    "riots": ("violent_demonstration", "mob_violence"),
    "strategic_developments": (
        "agreement",
        "arrests",
        "change_to_group_activity",
        "disrupted_weapons_use",
        "headquarters_or_base_established",
        "looting_property_destruction",
        "non_violent_transfer_of_territory",
        "other",
    ),
}

CEASEFIRE_EVENT_TYPES: tuple[str, ...] = (
    "cross_border_fire",
    "airspace_violation",
    "incursion",
    "obstruction_of_monitors",
    "crossing_closure",
    "military_buildup",
)

#: Every event type, mapped to its parent event category.
EVENT_TYPES: dict[str, str] = {
    sub: parent for parent, subs in ACLED_EVENT_TYPES.items() for sub in subs
} | {sub: "ceasefire_violation" for sub in CEASEFIRE_EVENT_TYPES}

#: Event types that use force (they can breach a no-targeting clause).
USE_OF_FORCE_TYPES: frozenset[str] = frozenset(
    sub
    for sub, parent in EVENT_TYPES.items()
    if parent in {"battles", "explosions_remote_violence", "violence_against_civilians"}
) | frozenset({"cross_border_fire", "incursion"})


def event_category(event_type: str) -> str:
    """The ACLED event type (or ``ceasefire_violation``) of a sub-event type."""
    try:
        return EVENT_TYPES[event_type]
    except KeyError:
        raise ValueError(f"unknown event type {event_type!r}") from None


def acled_label(snake: str) -> str:
    """ACLED's display label for a snake_case type, e.g. ``Air/drone strike``."""
    return ACLED_LABELS.get(snake, snake.replace("_", " ").capitalize())


ACLED_LABELS: dict[str, str] = {
    "battles": "Battles",
    "explosions_remote_violence": "Explosions/Remote violence",
    "violence_against_civilians": "Violence against civilians",
    "protests": "Protests",
    "riots": "Riots",
    "strategic_developments": "Strategic developments",
    "armed_clash": "Armed clash",
    "government_regains_territory": "Government regains territory",
    "non_state_actor_overtakes_territory": "Non-state actor overtakes territory",
    "chemical_weapon": "Chemical weapon",
    "air_drone_strike": "Air/drone strike",
    "suicide_bomb": "Suicide bomb",
    "shelling_artillery_missile_attack": "Shelling/artillery/missile attack",
    "remote_explosive_landmine_ied": "Remote explosive/landmine/IED",
    "grenade": "Grenade",
    "sexual_violence": "Sexual violence",
    "attack": "Attack",
    "abduction_forced_disappearance": "Abduction/forced disappearance",
    "peaceful_protest": "Peaceful protest",
    "protest_with_intervention": "Protest with intervention",
    "excessive_force_against_protesters": "Excessive force against protesters",
    "violent_demonstration": "Violent demonstration",
    "mob_violence": "Mob violence",
    "agreement": "Agreement",
    "arrests": "Arrests",
    "change_to_group_activity": "Change to group/activity",
    "disrupted_weapons_use": "Disrupted weapons use",
    "headquarters_or_base_established": "Headquarters or base established",
    "looting_property_destruction": "Looting/property destruction",
    "non_violent_transfer_of_territory": "Non-violent transfer of territory",
    "other": "Other",
}

#: ACLED label -> snake_case, for imports.
ACLED_LABEL_TO_TYPE: dict[str, str] = {label.lower(): key for key, label in ACLED_LABELS.items()}


class Party(StrEnum):
    """Signatories of the agreements in the built-in profile."""

    AF = "AF"
    PK = "PK"

    @property
    def other(self) -> Party:
        return Party.PK if self is Party.AF else Party.AF


PARTY_CODES: frozenset[str] = frozenset(p.value for p in Party)


class ActorKind(StrEnum):
    PARTY_FORCES = "party_forces"
    ARMED_GROUP = "armed_group"
    CIVILIANS = "civilians"
    MEDIATOR = "mediator"
    UNKNOWN = "unknown"


UNKNOWN_ACTOR = "unknown"


class Target(StrEnum):
    SECURITY_FORCES = "security_forces"
    CIVILIANS = "civilians"
    CRITICAL_INFRASTRUCTURE = "critical_infrastructure"
    TERRITORY = "territory"
    MILITANTS = "militants"


class CasualtyCategory(StrEnum):
    CIVILIANS = "civilians"
    SECURITY_FORCES = "security_forces"
    MILITANTS = "militants"
    UNKNOWN = "unknown"


class AttributionLink(StrEnum):
    """How a non-party perpetrator is linked to a party (strongest first)."""

    DIRECTED = "directed"
    FACILITATED = "facilitated"
    SANCTIONED = "sanctioned"
    TOLERATED = "tolerated"
    NONE = "none"


class TimePrecision(IntEnum):
    """How precisely the time is known (UCDP ``date_prec`` 1-5, plus 0 for a known hour)."""

    HOUR = 0
    DAY = 1
    DAYS_2_TO_6 = 2
    MONTH = 3
    YEAR = 4
    LONGER = 5

    def acled(self) -> int:
        """ACLED ``time_precision``: 1 day, 2 week, 3 month or coarser."""
        return {0: 1, 1: 1, 2: 2}.get(int(self), 3)

    @classmethod
    def from_acled(cls, value: int) -> TimePrecision:
        return {1: cls.DAY, 2: cls.DAYS_2_TO_6}.get(value, cls.MONTH)


class PlacePrecision(IntEnum):
    """How precisely the place is known (UCDP ``where_prec`` 1-7)."""

    EXACT = 1
    NEAR_25KM = 2
    DISTRICT = 3
    PROVINCE = 4
    LINEAR_OR_BORDER_AREA = 5
    COUNTRY = 6
    AIRSPACE_OR_WATERS = 7

    def acled(self) -> int:
        """ACLED ``geo_precision``: 1 the town, 2 near it or part of a region, 3 a larger region."""
        return {1: 1, 2: 2, 3: 2}.get(int(self), 3)

    @classmethod
    def from_acled(cls, value: int) -> PlacePrecision:
        return {1: cls.EXACT, 2: cls.NEAR_25KM}.get(value, cls.PROVINCE)


class SourceType(StrEnum):
    PARTY_LIAISON = "party_liaison"
    FIELD_MONITOR = "field_monitor"
    COMMUNITY_REPORTER = "community_reporter"
    MEDIA = "media"
    DATASET = "dataset"
    OTHER = "other"


class Reliability(StrEnum):
    """Admiralty/NATO source reliability, A (completely reliable) to F (cannot be judged)."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"
    E = "E"
    F = "F"


class Credibility(IntEnum):
    """Admiralty/NATO information credibility, 1 (confirmed) to 6 (cannot be judged)."""

    CONFIRMED = 1
    PROBABLY_TRUE = 2
    POSSIBLY_TRUE = 3
    DOUBTFUL = 4
    IMPROBABLE = 5
    CANNOT_BE_JUDGED = 6


def grade_label(reliability: Reliability | str, credibility: Credibility | int) -> str:
    """The compact grade, e.g. ``B2``."""
    rel = reliability.value if isinstance(reliability, Reliability) else str(reliability)
    return f"{rel}{int(credibility)}"
