"""ORM models of district risk: stored forecasts and the thresholds mediators set.

A forecast is stored whole (one row a run, the districts as JSON) because it is
read whole: the dashboard's risk layer, the incident page and the restricted
report all show the latest run, and a run is never edited. The backtest
summary stored with a run is what the report quotes as its score.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from truceline.db.base import Base, utcnow


class RiskForecast(Base):
    """One run of ``truceline warning risk --store`` (or the scheduled job)."""

    __tablename__ = "warning_risk_forecasts"
    __table_args__ = (Index("ix_warning_risk_forecasts_computed_at", "computed_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    forecast_date: Mapped[datetime]
    horizon_days: Mapped[int] = mapped_column(Integer)
    model: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    backtest: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    districts: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)
    computed_by: Mapped[str] = mapped_column(String(64), default="system")


class RiskThreshold(Base):
    """ "Tell me when a district's risk reaches this probability" (one district, or any)."""

    __tablename__ = "warning_risk_thresholds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_name: Mapped[str] = mapped_column(String(64), index=True)
    unit_key: Mapped[str | None] = mapped_column(String(120))
    probability: Mapped[float] = mapped_column(Float)
    fatal: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
