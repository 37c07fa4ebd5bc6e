"""verification: the allegation a case's parties come from, and mediators' corrections

Adds ``verification_cases.allegation_report_id`` and the table
``verification_party_corrections`` (who alleges against whom, corrected by a
mediator with a reason).

Revision ID: verification_0002_allegations
Revises: verification_0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import truceline.db.base

revision: str = "verification_0002_allegations"
down_revision: str | Sequence[str] | None = "verification_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("verification_cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("allegation_report_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_verification_cases_allegation_report_id_reports"),
            "reports",
            ["allegation_report_id"],
            ["id"],
        )
    op.create_table(
        "verification_party_corrections",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("alleging_before", sa.String(length=2), nullable=True),
        sa.Column("accused_before", sa.String(length=2), nullable=True),
        sa.Column("alleging_after", sa.String(length=2), nullable=False),
        sa.Column("accused_after", sa.String(length=2), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("corrected_by", sa.String(length=64), nullable=False),
        sa.Column("corrected_at", truceline.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["verification_cases.id"],
            name=op.f("fk_verification_party_corrections_case_id_verification_cases"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verification_party_corrections")),
    )
    with op.batch_alter_table("verification_party_corrections", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_verification_party_corrections_case_id"), ["case_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("verification_party_corrections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_verification_party_corrections_case_id"))
    op.drop_table("verification_party_corrections")
    with op.batch_alter_table("verification_cases", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_verification_cases_allegation_report_id_reports"), type_="foreignkey"
        )
        batch_op.drop_column("allegation_report_id")
