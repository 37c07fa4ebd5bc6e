"""What an incident amounts to, independent of any one agreement (pure).

``situation_key`` is the part of the facts that the rules depend on; two
incidents with the same key get the same verdict under the same agreement,
which is what lets adjudication memoise decisions. Whatever ``situation_of``
reads must be in the key.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from truceline.agreements.domain import PARTIES, Attribution, IncidentFacts
from truceline.events.taxonomy import USE_OF_FORCE_TYPES

TERRITORIAL_EVENT_TYPES = frozenset({"incursion", "airspace_violation"})
SUPPORT_EVENT_TYPES = frozenset({"headquarters_or_base_established", "change_to_group_activity"})
PROTECTED_TARGETS = {
    "security_forces": "targeting_security_forces",
    "civilians": "targeting_civilians",
    "critical_infrastructure": "targeting_critical_infrastructure",
}


@dataclass(frozen=True, slots=True)
class Situation:
    """The incident's facts as the rules need them, independent of any agreement."""

    perpetrator: str
    kind: str  # party | group | unknown
    force: bool
    territorial: bool
    support_event: bool
    targeting: frozenset[str]  # targeting_* acts, when force was used
    crossing: bool | None  # a party's force on the other's territory (None: not known)
    target_party: str | None
    links: tuple[Attribution, ...]
    cover: bool | None  # the threat definition's view of the perpetrator group
    definition_name: str
    location_known: bool

    @property
    def hostile(self) -> bool:
        return self.force or self.territorial or self.support_event


def perpetrator_kind(perpetrator: str) -> str:
    if perpetrator in PARTIES:
        return "party"
    return "unknown" if perpetrator == "unknown" else "group"


@lru_cache(maxsize=1024)
def _event_class(event_type: str) -> tuple[bool, bool, bool]:
    return (
        event_type in USE_OF_FORCE_TYPES,
        event_type in TERRITORIAL_EVENT_TYPES,
        event_type in SUPPORT_EVENT_TYPES,
    )


@lru_cache(maxsize=1024)
def _targeting(targets: tuple[str, ...]) -> tuple[frozenset[str], bool]:
    acts = frozenset(PROTECTED_TARGETS[t] for t in targets if t in PROTECTED_TARGETS)
    return acts, "territory" in targets


@lru_cache(maxsize=1024)
def _links(attribution: tuple[Attribution, ...]) -> tuple[Attribution, ...]:
    return tuple(a for a in attribution if a.link != "none")


def situation_key(facts: IncidentFacts) -> tuple[object, ...]:
    """Everything about the facts that a verdict depends on (besides time and place)."""
    force, territorial_event, support = _event_class(facts.event_type)
    targeting, territory_target = _targeting(facts.targets)
    territorial = territorial_event or territory_target
    perpetrator = facts.perpetrator
    crossing: bool | None = True if territorial else None
    if perpetrator in PARTIES and not territorial:
        if facts.country is not None:
            crossing = facts.country == ("PK" if perpetrator == "AF" else "AF")
        elif facts.target_party == perpetrator:
            crossing = False  # force against its own side's people stays on its own side
    return (
        perpetrator,
        force,
        territorial,
        support,
        targeting if (force or territorial) else frozenset(),
        crossing,
        facts.target_party,
        _links(facts.attribution),
        facts.lat is not None,
    )


def situation_of(key: tuple[object, ...], definition_name: str, cover: bool | None) -> Situation:
    """The rules' view of the facts, rebuilt from ``situation_key``."""
    perpetrator, force, territorial, support, targeting, crossing, target_party, links, located = (
        key
    )
    return Situation(
        perpetrator=str(perpetrator),
        kind=perpetrator_kind(str(perpetrator)),
        force=bool(force),
        territorial=bool(territorial),
        support_event=bool(support),
        targeting=targeting,  # type: ignore[arg-type]
        crossing=crossing,  # type: ignore[arg-type]
        target_party=target_party,  # type: ignore[arg-type]
        links=links,  # type: ignore[arg-type]
        cover=cover,
        definition_name=definition_name,
        location_known=bool(located),
    )
