"""action_requests: requests for action, their history, sealed intelligence, findings

Revision ID: action_requests_0001_requests
Revises:
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import truceline.db.base

revision: str = "action_requests_0001_requests"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("action_requests",)
depends_on: str | Sequence[str] | None = "core_0001"


def upgrade() -> None:
    op.create_table(
        "action_request_findings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("group_id", sa.String(length=32), nullable=False),
        sa.Column("addressed_party", sa.String(length=2), nullable=False),
        sa.Column("agreement_id", sa.String(length=64), nullable=False),
        sa.Column("clause_id", sa.String(length=80), nullable=False),
        sa.Column("finding", sa.String(length=24), nullable=False),
        sa.Column("violating_party", sa.String(length=2), nullable=True),
        sa.Column("basis", sa.String(length=16), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("request_codes", sa.JSON(), nullable=False),
        sa.Column("rules_version", sa.String(length=40), nullable=False),
        sa.Column("determined_by", sa.String(length=64), nullable=False),
        sa.Column("determined_at", truceline.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_request_findings")),
    )
    with op.batch_alter_table("action_request_findings", schema=None) as batch_op:
        batch_op.create_index(
            "ix_action_request_findings_group", ["group_id", "addressed_party"], unique=False
        )

    op.create_table(
        "action_requests",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("requesting_party", sa.String(length=2), nullable=False),
        sa.Column("addressed_party", sa.String(length=2), nullable=False),
        sa.Column("group_id", sa.String(length=32), nullable=False),
        sa.Column("group_name_given", sa.String(length=200), nullable=False),
        sa.Column("asked_action", sa.String(length=32), nullable=False),
        sa.Column("target_kind", sa.String(length=32), nullable=False),
        sa.Column("target_detail", sa.Text(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("agreement_id", sa.String(length=64), nullable=False),
        sa.Column("clause_id", sa.String(length=80), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("tlp", sa.String(length=8), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("delivered", sa.Boolean(), nullable=False),
        sa.Column("provenance", sa.String(length=24), nullable=False),
        sa.Column("source_note", sa.Text(), nullable=False),
        sa.Column("submitted_by", sa.String(length=64), nullable=False),
        sa.Column("submitted_at", truceline.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("deadline_at", truceline.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("window_basis", sa.Text(), nullable=False),
        sa.Column("return_reason", sa.String(length=32), nullable=True),
        sa.Column("return_text", sa.Text(), nullable=False),
        sa.Column("delivered_at", truceline.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_at", truceline.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("responded_at", truceline.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("response_kind", sa.String(length=16), nullable=True),
        sa.Column("response_text", sa.Text(), nullable=False),
        sa.Column("dispute_reason", sa.String(length=32), nullable=True),
        sa.Column("verification_outcome", sa.String(length=16), nullable=True),
        sa.Column("verification_text", sa.Text(), nullable=False),
        sa.Column("verified_by", sa.String(length=64), nullable=True),
        sa.Column("verified_at", truceline.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("closed_at", truceline.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_requests")),
        sa.UniqueConstraint("code", name=op.f("uq_action_requests_code")),
    )
    with op.batch_alter_table("action_requests", schema=None) as batch_op:
        batch_op.create_index(
            "ix_action_requests_group", ["group_id", "addressed_party"], unique=False
        )
        batch_op.create_index(
            "ix_action_requests_inbox",
            ["addressed_party", "delivered", "submitted_at", "requesting_party"],
            unique=False,
        )
        batch_op.create_index(
            "ix_action_requests_outbox", ["requesting_party", "submitted_at"], unique=False
        )
        batch_op.create_index("ix_action_requests_state", ["state"], unique=False)

    op.create_table(
        "action_request_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=16), nullable=False),
        sa.Column("from_state", sa.String(length=16), nullable=True),
        sa.Column("to_state", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("party", sa.String(length=2), nullable=True),
        sa.Column("at", truceline.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["action_requests.id"],
            name=op.f("fk_action_request_events_request_id_action_requests"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_request_events")),
    )
    with op.batch_alter_table("action_request_events", schema=None) as batch_op:
        batch_op.create_index(
            "ix_action_request_events_request", ["request_id", "id"], unique=False
        )

    op.create_table(
        "intelligence_packages",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("submitting_party", sa.String(length=2), nullable=True),
        sa.Column("tlp", sa.String(length=8), nullable=False),
        sa.Column("audience", sa.String(length=24), nullable=False),
        sa.Column("for_monitors", sa.Boolean(), nullable=False),
        sa.Column("released", sa.Boolean(), nullable=False),
        sa.Column("released_by", sa.String(length=64), nullable=True),
        sa.Column("released_at", truceline.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("media_type", sa.String(length=64), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", truceline.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["action_requests.id"],
            name=op.f("fk_intelligence_packages_request_id_action_requests"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intelligence_packages")),
        sa.UniqueConstraint("code", name=op.f("uq_intelligence_packages_code")),
    )
    with op.batch_alter_table("intelligence_packages", schema=None) as batch_op:
        batch_op.create_index("ix_intelligence_packages_request", ["request_id"], unique=False)

    op.create_table(
        "intelligence_seals",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("package_id", sa.Integer(), nullable=False),
        sa.Column("reader", sa.String(length=16), nullable=False),
        sa.Column("key_id", sa.String(length=16), nullable=False),
        sa.Column("ciphertext", sa.LargeBinary(), nullable=False),
        sa.Column("sealed_at", truceline.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["package_id"],
            ["intelligence_packages.id"],
            name=op.f("fk_intelligence_seals_package_id_intelligence_packages"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intelligence_seals")),
        sa.UniqueConstraint("package_id", "reader", name="uq_intelligence_seals"),
    )


def downgrade() -> None:
    op.drop_table("intelligence_seals")
    with op.batch_alter_table("intelligence_packages", schema=None) as batch_op:
        batch_op.drop_index("ix_intelligence_packages_request")

    op.drop_table("intelligence_packages")
    with op.batch_alter_table("action_request_events", schema=None) as batch_op:
        batch_op.drop_index("ix_action_request_events_request")

    op.drop_table("action_request_events")
    with op.batch_alter_table("action_requests", schema=None) as batch_op:
        batch_op.drop_index("ix_action_requests_state")
        batch_op.drop_index("ix_action_requests_outbox")
        batch_op.drop_index("ix_action_requests_inbox")
        batch_op.drop_index("ix_action_requests_group")

    op.drop_table("action_requests")
    with op.batch_alter_table("action_request_findings", schema=None) as batch_op:
        batch_op.drop_index("ix_action_request_findings_group")

    op.drop_table("action_request_findings")
