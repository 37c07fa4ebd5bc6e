"""warning: stored district risk forecasts and mediators' risk thresholds

Revision ID: warning_0002_district_risk
Revises: warning_0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import truceline.db.base

revision: str = "warning_0002_district_risk"
down_revision: str | Sequence[str] | None = "warning_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "warning_risk_forecasts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("forecast_date", truceline.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("horizon_days", sa.Integer(), nullable=False),
        sa.Column("model", sa.JSON(), nullable=False),
        sa.Column("backtest", sa.JSON(), nullable=True),
        sa.Column("districts", sa.JSON(), nullable=False),
        sa.Column("computed_at", truceline.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("computed_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_warning_risk_forecasts")),
    )
    with op.batch_alter_table("warning_risk_forecasts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_warning_risk_forecasts_computed_at", ["computed_at"], unique=False
        )
    op.create_table(
        "warning_risk_thresholds",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_name", sa.String(length=64), nullable=False),
        sa.Column("unit_key", sa.String(length=120), nullable=True),
        sa.Column("probability", sa.Float(), nullable=False),
        sa.Column("fatal", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", truceline.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_warning_risk_thresholds")),
    )
    with op.batch_alter_table("warning_risk_thresholds", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_warning_risk_thresholds_user_name"), ["user_name"], unique=False
        )


def downgrade() -> None:
    op.drop_table("warning_risk_thresholds")
    op.drop_table("warning_risk_forecasts")
