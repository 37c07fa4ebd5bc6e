"""intake: facts proposed from a report's text, and the analyst's reviews of them, append-only

The reader proposes facts (date, type, place, perpetrator, counts) with the spans
they were read from; an analyst accepts or corrects each, and the review is kept
as labelled data. Neither table may be changed or emptied.

Revision ID: intake_0003_fact_proposals
Revises: intake_0002_annotations
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import truceline.db.base

revision: str = "intake_0003_fact_proposals"
down_revision: str | Sequence[str] | None = "intake_0002_annotations"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("fact_proposals", "fact_reviews")


def upgrade() -> None:
    op.create_table(
        "fact_proposals",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("event_index", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(32), nullable=False),
        sa.Column("value", sa.JSON(), nullable=True),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("extractor", sa.String(64), nullable=False),
        sa.Column("created_at", truceline.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"], ["reports.id"], name="fk_fact_proposals_report_id_reports"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_fact_proposals"),
    )
    op.create_index("ix_fact_proposals_report_id", "fact_proposals", ["report_id"])
    op.create_table(
        "fact_reviews",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(32), nullable=False),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("proposed", sa.JSON(), nullable=True),
        sa.Column("value", sa.JSON(), nullable=True),
        sa.Column("reviewer", sa.String(64), nullable=False),
        sa.Column("reviewer_role", sa.String(32), nullable=False),
        sa.Column("created_at", truceline.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["fact_proposals.id"],
            name="fk_fact_reviews_proposal_id_fact_proposals",
        ),
        sa.ForeignKeyConstraint(
            ["report_id"], ["reports.id"], name="fk_fact_reviews_report_id_reports"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_fact_reviews"),
    )
    op.create_index("ix_fact_reviews_proposal_id", "fact_reviews", ["proposal_id"])
    op.create_index("ix_fact_reviews_report_id", "fact_reviews", ["report_id"])
    for table in TABLES:
        _append_only(table)


def _append_only(table: str) -> None:
    refusal = f"{table} is append-only: UPDATE and DELETE refused"
    if op.get_bind().dialect.name == "sqlite":
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} "
                f"ON {table} BEGIN SELECT RAISE(ABORT, '{refusal}'); END"
            )
        return
    op.execute(
        f"CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger AS $$ "
        f"BEGIN RAISE EXCEPTION '{refusal}'; END $$ LANGUAGE plpgsql"
    )
    op.execute(
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE "
        f"ON {table} FOR EACH ROW EXECUTE FUNCTION {table}_append_only()"
    )


def downgrade() -> None:
    for table in reversed(TABLES):
        if op.get_bind().dialect.name == "sqlite":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {table}_append_only()")
    op.drop_index("ix_fact_reviews_report_id", "fact_reviews")
    op.drop_index("ix_fact_reviews_proposal_id", "fact_reviews")
    op.drop_table("fact_reviews")
    op.drop_index("ix_fact_proposals_report_id", "fact_proposals")
    op.drop_table("fact_proposals")
