"""The port through which adjudication asks which armed groups a clause covers.

A "no support to groups attacking the other side" clause is only as precise as
the list of such groups, and that list is exactly what the parties dispute. The
adjudication core therefore takes a ``ThreatDefinition``: the joint list, one
party's list, or a what-if list. ``truceline.designations.definitions`` builds
them from the registry; ``StaticThreatDefinition`` serves tests and replays.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol


class ThreatDefinition(Protocol):
    """Which groups count as groups attacking a party, at a given instant."""

    @property
    def name(self) -> str:
        """A label for explanations, e.g. ``joint list as of 2025-10-20``."""
        ...

    def covers(self, group_id: str, *, at: datetime) -> bool | None:
        """True if covered at ``at``, False if not, None if the definition is silent or disputed."""
        ...


@dataclass(frozen=True)
class StaticThreatDefinition:
    """A fixed list of group ids, the same at every instant (what-if lists, tests)."""

    name: str
    group_ids: frozenset[str] = field(default_factory=frozenset)
    undecided: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def of(cls, name: str, group_ids: Collection[str]) -> StaticThreatDefinition:
        return cls(name=name, group_ids=frozenset(group_ids))

    def covers(self, group_id: str, *, at: datetime) -> bool | None:
        if group_id in self.undecided:
            return None
        return group_id in self.group_ids
