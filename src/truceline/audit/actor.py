"""Who made a change (pure: no database, so pure domain modules can name it).

Every audit entry records an ``Actor``; ``accounts.roles.Principal.as_actor``
turns the person or token acting into one. It lives apart from ``audit.log``
(which needs SQLAlchemy) so that importing a context's ``domain`` never loads
the database layer.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    """Who made a change: a user (or ``system``), their role and party."""

    name: str
    role: str
    party: str | None = None


#: The mechanism itself (profile loading, background jobs, imports).
SYSTEM = Actor(name="system", role="system")
