"""The geo part of the built-in Afghanistan–Pakistan profile: the gazetteer."""

from __future__ import annotations

from sqlalchemy.orm import Session

from truceline.geo.services import load_builtin_places


def load_profile(session: Session) -> dict[str, int]:
    """Copy the shipped gazetteer into the database (idempotent)."""
    return {"gazetteer_places": load_builtin_places(session)}
