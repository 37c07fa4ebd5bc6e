"""verification: cases, transitions, teams, tasks, replies, views, determinations, evidence

Revision ID: verification_0001
Revises:
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import truceline.db.base

revision: str = "verification_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("verification",)
depends_on: str | Sequence[str] | None = "core_0001"


def upgrade() -> None:
    op.create_table(
        "verification_cases",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.String(length=64), nullable=True),
        sa.Column("alleging_party", sa.String(length=2), nullable=True),
        sa.Column("accused_party", sa.String(length=2), nullable=True),
        sa.Column("reply_opened_at", truceline.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("reply_due", truceline.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("opened_by", sa.String(length=64), nullable=False),
        sa.Column("opened_at", truceline.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_verification_cases_incident_id_incidents"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verification_cases")),
        sa.UniqueConstraint("incident_id", name=op.f("uq_verification_cases_incident_id")),
    )
    op.create_table(
        "evidence_items",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("obtained_by", sa.String(length=300), nullable=False),
        sa.Column("obtained_at", truceline.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("how_obtained", sa.Text(), nullable=False),
        sa.Column("submitted_party", sa.String(length=2), nullable=True),
        sa.Column("added_by", sa.String(length=64), nullable=False),
        sa.Column("added_at", truceline.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("derived_from_id", sa.Integer(), nullable=True),
        sa.Column("redaction_note", sa.Text(), nullable=False),
        sa.Column("disclosed", sa.Boolean(), nullable=False),
        sa.Column("released", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["verification_cases.id"],
            name=op.f("fk_evidence_items_case_id_verification_cases"),
        ),
        sa.ForeignKeyConstraint(
            ["derived_from_id"],
            ["evidence_items.id"],
            name=op.f("fk_evidence_items_derived_from_id_evidence_items"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_items")),
    )
    with op.batch_alter_table("evidence_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evidence_items_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_evidence_items_sha256"), ["sha256"], unique=False)

    op.create_table(
        "verification_determinations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("perpetrator", sa.String(length=64), nullable=False),
        sa.Column("attribution", sa.JSON(), nullable=False),
        sa.Column("targets", sa.JSON(), nullable=False),
        sa.Column("casualties", sa.JSON(), nullable=False),
        sa.Column("confidence", sa.String(length=16), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("finding_ids", sa.JSON(), nullable=False),
        sa.Column("findings", sa.JSON(), nullable=False),
        sa.Column("determined_by", sa.String(length=64), nullable=False),
        sa.Column("determined_at", truceline.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["verification_cases.id"],
            name=op.f("fk_verification_determinations_case_id_verification_cases"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verification_determinations")),
        sa.UniqueConstraint("case_id", name=op.f("uq_verification_determinations_case_id")),
    )
    op.create_table(
        "verification_member_views",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("member", sa.String(length=64), nullable=False),
        sa.Column("nominated_by", sa.String(length=2), nullable=True),
        sa.Column("position", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("supersedes_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", truceline.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["verification_cases.id"],
            name=op.f("fk_verification_member_views_case_id_verification_cases"),
        ),
        sa.ForeignKeyConstraint(
            ["supersedes_id"],
            ["verification_member_views.id"],
            name=op.f("fk_verification_member_views_supersedes_id_verification_member_views"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verification_member_views")),
        sa.UniqueConstraint(
            "supersedes_id", name=op.f("uq_verification_member_views_supersedes_id")
        ),
    )
    with op.batch_alter_table("verification_member_views", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_verification_member_views_case_id"), ["case_id"], unique=False
        )

    op.create_table(
        "verification_replies",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("party", sa.String(length=2), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("submitted_by", sa.String(length=64), nullable=False),
        sa.Column("submitted_at", truceline.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["verification_cases.id"],
            name=op.f("fk_verification_replies_case_id_verification_cases"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verification_replies")),
    )
    with op.batch_alter_table("verification_replies", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_verification_replies_case_id"), ["case_id"], unique=False
        )

    op.create_table(
        "verification_tasks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("assignee", sa.String(length=64), nullable=True),
        sa.Column("requested_from", sa.String(length=2), nullable=True),
        sa.Column("due_at", truceline.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", truceline.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("started_at", truceline.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("blocked_reason", sa.String(length=32), nullable=True),
        sa.Column("blocked_note", sa.Text(), nullable=False),
        sa.Column("done_at", truceline.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("done_by", sa.String(length=64), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["verification_cases.id"],
            name=op.f("fk_verification_tasks_case_id_verification_cases"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verification_tasks")),
    )
    with op.batch_alter_table("verification_tasks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_verification_tasks_case_id"), ["case_id"], unique=False
        )
        batch_op.create_index("ix_verification_tasks_open_due", ["done_at", "due_at"], unique=False)

    op.create_table(
        "verification_team_members",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("nominated_by", sa.String(length=2), nullable=True),
        sa.Column("assigned_by", sa.String(length=64), nullable=False),
        sa.Column("assigned_at", truceline.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("released_at", truceline.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["verification_cases.id"],
            name=op.f("fk_verification_team_members_case_id_verification_cases"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verification_team_members")),
    )
    with op.batch_alter_table("verification_team_members", schema=None) as batch_op:
        batch_op.create_index(
            "ix_verification_team_active", ["case_id", "released_at"], unique=False
        )

    op.create_table(
        "verification_transitions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("from_state", sa.String(length=32), nullable=False),
        sa.Column("to_state", sa.String(length=32), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("actor_role", sa.String(length=32), nullable=False),
        sa.Column("actor_party", sa.String(length=2), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("at", truceline.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["verification_cases.id"],
            name=op.f("fk_verification_transitions_case_id_verification_cases"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verification_transitions")),
    )
    with op.batch_alter_table("verification_transitions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_verification_transitions_case_id"), ["case_id"], unique=False
        )

    op.create_table(
        "evidence_custody",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("evidence_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("holder", sa.String(length=300), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("sha256_checked", sa.String(length=64), nullable=True),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.Column("recorded_at", truceline.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["evidence_id"],
            ["evidence_items.id"],
            name=op.f("fk_evidence_custody_evidence_id_evidence_items"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_custody")),
    )
    with op.batch_alter_table("evidence_custody", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_evidence_custody_evidence_id"), ["evidence_id"], unique=False
        )

    op.create_table(
        "verification_obstructions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=True),
        sa.Column("obstructing_party", sa.String(length=2), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.Column("recorded_at", truceline.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["verification_cases.id"],
            name=op.f("fk_verification_obstructions_case_id_verification_cases"),
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_verification_obstructions_incident_id_incidents"),
        ),
        sa.ForeignKeyConstraint(
            ["task_id"],
            ["verification_tasks.id"],
            name=op.f("fk_verification_obstructions_task_id_verification_tasks"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verification_obstructions")),
        sa.UniqueConstraint("incident_id", name=op.f("uq_verification_obstructions_incident_id")),
    )
    with op.batch_alter_table("verification_obstructions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_verification_obstructions_case_id"), ["case_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("verification_obstructions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_verification_obstructions_case_id"))

    op.drop_table("verification_obstructions")
    with op.batch_alter_table("evidence_custody", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_custody_evidence_id"))

    op.drop_table("evidence_custody")
    with op.batch_alter_table("verification_transitions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_verification_transitions_case_id"))

    op.drop_table("verification_transitions")
    with op.batch_alter_table("verification_team_members", schema=None) as batch_op:
        batch_op.drop_index("ix_verification_team_active")

    op.drop_table("verification_team_members")
    with op.batch_alter_table("verification_tasks", schema=None) as batch_op:
        batch_op.drop_index("ix_verification_tasks_open_due")
        batch_op.drop_index(batch_op.f("ix_verification_tasks_case_id"))

    op.drop_table("verification_tasks")
    with op.batch_alter_table("verification_replies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_verification_replies_case_id"))

    op.drop_table("verification_replies")
    with op.batch_alter_table("verification_member_views", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_verification_member_views_case_id"))

    op.drop_table("verification_member_views")
    op.drop_table("verification_determinations")
    with op.batch_alter_table("evidence_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_items_sha256"))
        batch_op.drop_index(batch_op.f("ix_evidence_items_case_id"))

    op.drop_table("evidence_items")
    op.drop_table("verification_cases")
