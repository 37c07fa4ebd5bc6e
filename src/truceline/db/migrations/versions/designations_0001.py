"""designations: armed groups, aliases, relations, listings, positions, criteria, evidence, alignment

Revision ID: designations_0001
Revises:
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import truceline.db.base

revision: str = "designations_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("designations",)
depends_on: str | Sequence[str] | None = "core_0001"


def upgrade() -> None:

    op.create_table(
        "armed_groups",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("founded_year", sa.Integer(), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("created_at", truceline.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_armed_groups")),
    )
    op.create_table(
        "designation_criteria",
        sa.Column("code", sa.String(length=48), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_designation_criteria")),
    )
    op.create_table(
        "alignment_processes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("group_id", sa.String(length=32), nullable=False),
        sa.Column("proposed_stance", sa.String(length=16), nullable=False),
        sa.Column("stage", sa.String(length=24), nullable=False),
        sa.Column("opened_at", truceline.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("opened_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["armed_groups.id"],
            name=op.f("fk_alignment_processes_group_id_armed_groups"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alignment_processes")),
    )
    with op.batch_alter_table("alignment_processes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_alignment_processes_group_id"), ["group_id"], unique=False
        )

    op.create_table(
        "criterion_evidence",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("group_id", sa.String(length=32), nullable=False),
        sa.Column("criterion_code", sa.String(length=48), nullable=False),
        sa.Column("asserted_by", sa.String(length=16), nullable=False),
        sa.Column("assessment", sa.String(length=16), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("observed_on", sa.Date(), nullable=True),
        sa.Column("incident_code", sa.String(length=64), nullable=True),
        sa.Column("recorded_at", truceline.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["criterion_code"],
            ["designation_criteria.code"],
            name=op.f("fk_criterion_evidence_criterion_code_designation_criteria"),
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["armed_groups.id"],
            name=op.f("fk_criterion_evidence_group_id_armed_groups"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_criterion_evidence")),
    )
    with op.batch_alter_table("criterion_evidence", schema=None) as batch_op:
        batch_op.create_index(
            "ix_criterion_evidence_group", ["group_id", "criterion_code"], unique=False
        )

    op.create_table(
        "group_aliases",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("group_id", sa.String(length=32), nullable=False),
        sa.Column("alias", sa.String(length=200), nullable=False),
        sa.Column("normalised", sa.String(length=200), nullable=False),
        sa.Column("script", sa.String(length=8), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("origin", sa.String(length=200), nullable=False),
        sa.Column("used_since", sa.Date(), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"], ["armed_groups.id"], name=op.f("fk_group_aliases_group_id_armed_groups")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_aliases")),
        sa.UniqueConstraint("group_id", "alias", name="uq_group_aliases_group_alias"),
    )
    with op.batch_alter_table("group_aliases", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_group_aliases_normalised"), ["normalised"], unique=False
        )

    op.create_table(
        "group_listings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("group_id", sa.String(length=32), nullable=False),
        sa.Column("list_name", sa.String(length=120), nullable=False),
        sa.Column("listed_by", sa.String(length=32), nullable=False),
        sa.Column("reference", sa.String(length=64), nullable=True),
        sa.Column("listed_on", sa.Date(), nullable=True),
        sa.Column("listed_year", sa.Integer(), nullable=True),
        sa.Column("delisted_on", sa.Date(), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"], ["armed_groups.id"], name=op.f("fk_group_listings_group_id_armed_groups")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_listings")),
        sa.UniqueConstraint("group_id", "list_name", name="uq_group_listings_list"),
    )
    with op.batch_alter_table("group_listings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_group_listings_group_id"), ["group_id"], unique=False)

    op.create_table(
        "group_relations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("subject_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("object_id", sa.String(length=32), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["object_id"],
            ["armed_groups.id"],
            name=op.f("fk_group_relations_object_id_armed_groups"),
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"],
            ["armed_groups.id"],
            name=op.f("fk_group_relations_subject_id_armed_groups"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_relations")),
        sa.UniqueConstraint(
            "subject_id", "kind", "object_id", "valid_from", name="uq_group_relations_span"
        ),
    )
    with op.batch_alter_table("group_relations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_group_relations_object_id"), ["object_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_group_relations_subject_id"), ["subject_id"], unique=False
        )

    op.create_table(
        "alignment_steps",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("process_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("party", sa.String(length=8), nullable=True),
        sa.Column("stance", sa.String(length=16), nullable=True),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("recorded_at", truceline.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["process_id"],
            ["alignment_processes.id"],
            name=op.f("fk_alignment_steps_process_id_alignment_processes"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alignment_steps")),
    )
    with op.batch_alter_table("alignment_steps", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_alignment_steps_process_id"), ["process_id"], unique=False
        )

    op.create_table(
        "designation_positions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("holder", sa.String(length=8), nullable=False),
        sa.Column("group_id", sa.String(length=32), nullable=False),
        sa.Column("stance", sa.String(length=16), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("date_precision", sa.String(length=8), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("criteria", sa.JSON(), nullable=False),
        sa.Column("supersedes_id", sa.Integer(), nullable=True),
        sa.Column("process_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", truceline.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["armed_groups.id"],
            name=op.f("fk_designation_positions_group_id_armed_groups"),
        ),
        sa.ForeignKeyConstraint(
            ["process_id"],
            ["alignment_processes.id"],
            name=op.f("fk_designation_positions_process_id_alignment_processes"),
        ),
        sa.ForeignKeyConstraint(
            ["supersedes_id"],
            ["designation_positions.id"],
            name=op.f("fk_designation_positions_supersedes_id_designation_positions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_designation_positions")),
    )
    with op.batch_alter_table("designation_positions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_designation_positions_holder_group",
            ["holder", "group_id", "effective_from"],
            unique=False,
        )


def downgrade() -> None:

    with op.batch_alter_table("designation_positions", schema=None) as batch_op:
        batch_op.drop_index("ix_designation_positions_holder_group")

    op.drop_table("designation_positions")
    with op.batch_alter_table("alignment_steps", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alignment_steps_process_id"))

    op.drop_table("alignment_steps")
    with op.batch_alter_table("group_relations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_group_relations_subject_id"))
        batch_op.drop_index(batch_op.f("ix_group_relations_object_id"))

    op.drop_table("group_relations")
    with op.batch_alter_table("group_listings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_group_listings_group_id"))

    op.drop_table("group_listings")
    with op.batch_alter_table("group_aliases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_group_aliases_normalised"))

    op.drop_table("group_aliases")
    with op.batch_alter_table("criterion_evidence", schema=None) as batch_op:
        batch_op.drop_index("ix_criterion_evidence_group")

    op.drop_table("criterion_evidence")
    with op.batch_alter_table("alignment_processes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alignment_processes_group_id"))

    op.drop_table("alignment_processes")
    op.drop_table("designation_criteria")
    op.drop_table("armed_groups")
