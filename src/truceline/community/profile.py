"""The community part of the built-in profile: the border district registry."""

from __future__ import annotations

from sqlalchemy.orm import Session

from truceline.community.registry import load_border_districts


def load_profile(session: Session) -> dict[str, int]:
    """Store the computed border districts the database lacks (idempotent)."""
    return {"border_districts": load_border_districts(session)}
