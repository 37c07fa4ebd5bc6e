"""ORM model of the gazetteer in the database: the built-in places plus local additions.

``truceline init`` copies the shipped gazetteer into ``geo_places``
(``origin="builtin"``, see ``geo.profile``); monitors add the posts and villages
no source knows with ``geo.services.add_local_place`` (``origin="local"``),
and ``geo locate`` then finds those too.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Float, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from truceline.db.base import Base, utcnow


class GazetteerPlace(Base):
    """One named place, with where its name and position come from."""

    __tablename__ = "geo_places"
    __table_args__ = (Index("ix_geo_places_origin", "origin"),)

    id: Mapped[str] = mapped_column(String(160), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    country: Mapped[str] = mapped_column(String(2))
    admin1: Mapped[str | None] = mapped_column(String(120))
    admin2: Mapped[str | None] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(32))
    population: Mapped[int] = mapped_column(Integer, default=0)
    events: Mapped[int] = mapped_column(Integer, default=0)
    names: Mapped[list[str]] = mapped_column(JSON, default=list)
    sources: Mapped[list[str]] = mapped_column(JSON, default=list)
    origin: Mapped[str] = mapped_column(String(16), default="builtin")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(64), default="system")
