"""The one place where agreements reach the designations registry.

Adjudication needs the registry's armed-group ids (to tell a known group from
a typo) and a threat definition (which groups count as "groups attacking the
other side"). Both come from ``truceline.designations.definitions``.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from truceline.agreements.threat import StaticThreatDefinition, ThreatDefinition
from truceline.designations import definitions

DEFAULT_DEFINITION = "joint"


def known_group_ids(session: Session) -> frozenset[str]:
    """The armed-group ids a perpetrator may name."""
    return definitions.known_group_ids(session)


def definition_for(session: Session, spec: str = DEFAULT_DEFINITION) -> ThreatDefinition:
    """``joint``, ``AF``, ``PK`` (the list as of each incident's time) or a what-if spec."""
    return definitions.definition_for(session, spec)


def what_if_definition(name: str, group_ids: list[str], undecided: list[str]) -> ThreatDefinition:
    """A fixed list from a file (``--definition PATH``), the same at every instant."""
    return StaticThreatDefinition(
        name=name, group_ids=frozenset(group_ids), undecided=frozenset(undecided)
    )
