"""warning: cooling-off clocks, flags, notifications, outbox

Revision ID: warning_0001
Revises:
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import truceline.db.base

revision: str = "warning_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("warning",)
depends_on: str | Sequence[str] | None = "core_0001"


def upgrade() -> None:
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("recipient", sa.String(length=64), nullable=False),
        sa.Column("audience", sa.String(length=16), nullable=False),
        sa.Column("event", sa.String(length=64), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("object_type", sa.String(length=32), nullable=False),
        sa.Column("object_id", sa.String(length=64), nullable=False),
        sa.Column("created_at", truceline.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("read_at", truceline.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
    )
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.create_index(
            "ix_notifications_recipient_read", ["recipient", "read_at"], unique=False
        )

    op.create_table(
        "warning_subscriptions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("target", sa.String(length=500), nullable=False),
        sa.Column("audience", sa.String(length=16), nullable=False),
        sa.Column("secret", sa.String(length=200), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", truceline.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_warning_subscriptions")),
    )
    op.create_table(
        "cooling_off_clocks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("report_code", sa.String(length=64), nullable=False),
        sa.Column("agreement_id", sa.String(length=64), nullable=True),
        sa.Column("alleging_party", sa.String(length=8), nullable=False),
        sa.Column("accused_party", sa.String(length=8), nullable=False),
        sa.Column("hours", sa.Integer(), nullable=False),
        sa.Column("started_at", truceline.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ends_at", truceline.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_at", truceline.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"], ["reports.id"], name=op.f("fk_cooling_off_clocks_report_id_reports")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cooling_off_clocks")),
        sa.UniqueConstraint("report_id", name=op.f("uq_cooling_off_clocks_report_id")),
    )
    with op.batch_alter_table("cooling_off_clocks", schema=None) as batch_op:
        batch_op.create_index("ix_cooling_off_clocks_ends_at", ["ends_at"], unique=False)

    op.create_table(
        "warning_outbox",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("target", sa.String(length=500), nullable=False),
        sa.Column("event", sa.String(length=64), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", truceline.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("claimed_until", truceline.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("created_at", truceline.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("delivered_at", truceline.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["warning_subscriptions.id"],
            name=op.f("fk_warning_outbox_subscription_id_warning_subscriptions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_warning_outbox")),
    )
    with op.batch_alter_table("warning_outbox", schema=None) as batch_op:
        batch_op.create_index("ix_warning_outbox_due", ["status", "next_attempt_at"], unique=False)

    op.create_table(
        "cooling_off_flags",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("clock_id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("incident_code", sa.String(length=64), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("flagged_at", truceline.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["clock_id"],
            ["cooling_off_clocks.id"],
            name=op.f("fk_cooling_off_flags_clock_id_cooling_off_clocks"),
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_cooling_off_flags_incident_id_incidents"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cooling_off_flags")),
        sa.UniqueConstraint("clock_id", "incident_id", name="uq_cooling_off_flag"),
    )
    with op.batch_alter_table("cooling_off_flags", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_cooling_off_flags_clock_id"), ["clock_id"], unique=False
        )

    op.create_table(
        "warning_delivery_attempts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("attempted_at", truceline.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["warning_outbox.id"],
            name=op.f("fk_warning_delivery_attempts_message_id_warning_outbox"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_warning_delivery_attempts")),
    )
    with op.batch_alter_table("warning_delivery_attempts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_warning_delivery_attempts_message_id"), ["message_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("warning_delivery_attempts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_warning_delivery_attempts_message_id"))

    op.drop_table("warning_delivery_attempts")
    with op.batch_alter_table("cooling_off_flags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cooling_off_flags_clock_id"))

    op.drop_table("cooling_off_flags")
    with op.batch_alter_table("warning_outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_warning_outbox_due")

    op.drop_table("warning_outbox")
    with op.batch_alter_table("cooling_off_clocks", schema=None) as batch_op:
        batch_op.drop_index("ix_cooling_off_clocks_ends_at")

    op.drop_table("cooling_off_clocks")
    op.drop_table("warning_subscriptions")
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_index("ix_notifications_recipient_read")

    op.drop_table("notifications")
