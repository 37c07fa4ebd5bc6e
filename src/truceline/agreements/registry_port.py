"""The port through which agreements reach an armed-group registry, without importing one.

Adjudication needs the registry's armed-group ids (to tell a known group from
a typo) and a threat definition (which groups count as "groups attacking the
other side", ``agreements.threat.ThreatDefinition``). Agreements declares what
it needs as the ``ThreatRegistry`` protocol; the designations context provides
it (``truceline.designations.definitions``), and the composition is made at
start-up (``truceline.startup.wire`` calls ``connect``). So agreements depends
on no registry, and designations builds on agreements.
"""

from __future__ import annotations

from typing import Protocol

from sqlalchemy.orm import Session

from truceline.agreements.threat import StaticThreatDefinition, ThreatDefinition

DEFAULT_DEFINITION = "joint"


class ThreatRegistry(Protocol):
    """What adjudication asks of an armed-group registry."""

    def known_group_ids(self, session: Session) -> frozenset[str]:
        """The armed-group ids a perpetrator may name."""
        ...

    def definition_for(self, session: Session, spec: str) -> ThreatDefinition:
        """``joint``, ``AF``, ``PK`` (the list as of each incident's time) or a what-if spec."""
        ...


_connected: list[ThreatRegistry] = []


def connect(registry: ThreatRegistry) -> None:
    """Use ``registry`` for every adjudication from now on (start-up; idempotent)."""
    _connected[:] = [registry]


def registry() -> ThreatRegistry:
    """The connected registry; a clear error when start-up did not connect one."""
    if not _connected:
        raise RuntimeError(
            "no armed-group registry is connected: call truceline.startup.wire() at start-up"
        )
    return _connected[0]


def known_group_ids(session: Session) -> frozenset[str]:
    """The armed-group ids a perpetrator may name."""
    return registry().known_group_ids(session)


def definition_for(session: Session, spec: str = DEFAULT_DEFINITION) -> ThreatDefinition:
    """``joint``, ``AF``, ``PK`` (the list as of each incident's time) or a what-if spec."""
    return registry().definition_for(session, spec)


def what_if_definition(name: str, group_ids: list[str], undecided: list[str]) -> ThreatDefinition:
    """A fixed list from a file (``--definition PATH``), the same at every instant."""
    return StaticThreatDefinition(
        name=name, group_ids=frozenset(group_ids), undecided=frozenset(undecided)
    )
