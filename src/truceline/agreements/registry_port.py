"""The one place where agreements reach the designations registry.

Adjudication needs the registry's armed-group ids (to tell a known group from
a typo) and a threat definition (which groups count as "groups attacking the
other side"). Both come from ``truceline.designations.definitions``.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from truceline.agreements.threat import StaticThreatDefinition, ThreatDefinition

# --- FALLBACK: remove after the designations branch is merged. ----------------
# Until ``truceline.designations.definitions`` exists on main, use the
# registry's stable group ids and a joint definition that lists nobody and
# leaves TTP, BLA and BLF undecided (the disputed groups).
FALLBACK_GROUP_IDS = frozenset({"TTP", "ISKP", "BLA", "BLF", "HGB", "JUA", "LEI", "TTA"})
FALLBACK_JOINT = StaticThreatDefinition(
    name="the joint list (built-in fallback)",
    group_ids=frozenset(),
    undecided=frozenset({"TTP", "BLA", "BLF"}),
)
# ------------------------------------------------------------------------------

DEFAULT_DEFINITION = "joint"


def known_group_ids(session: Session) -> frozenset[str]:
    """The armed-group ids a perpetrator may name."""
    try:
        from truceline.designations import definitions
    except ImportError:  # FALLBACK: see above
        return FALLBACK_GROUP_IDS
    return definitions.known_group_ids(session)


def definition_for(session: Session, spec: str = DEFAULT_DEFINITION) -> ThreatDefinition:
    """``joint``, ``AF``, ``PK`` (the list as of each incident's time) or a what-if spec."""
    try:
        from truceline.designations import definitions
    except ImportError:  # FALLBACK: see above
        return _fallback_definition(spec)
    return definitions.definition_for(session, spec)


def _fallback_definition(spec: str) -> ThreatDefinition:
    if spec.strip().lower() == DEFAULT_DEFINITION:
        return FALLBACK_JOINT
    raise LookupError(
        f"threat definition {spec!r} needs the designations registry, which is not installed"
    )


def what_if_definition(name: str, group_ids: list[str], undecided: list[str]) -> ThreatDefinition:
    """A fixed list from a file (``--definition PATH``), the same at every instant."""
    return StaticThreatDefinition(
        name=name, group_ids=frozenset(group_ids), undecided=frozenset(undecided)
    )
