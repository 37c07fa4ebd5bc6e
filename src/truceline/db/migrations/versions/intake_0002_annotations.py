"""intake: annotations of reports, in the annotator's name, append-only

A mediator or monitor annotates a party's allegation instead of rewriting it;
the annotation is a row of its own that the database refuses to change or delete.

Revision ID: intake_0002_annotations
Revises: intake_0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import truceline.db.base

revision: str = "intake_0002_annotations"
down_revision: str | Sequence[str] | None = "intake_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REFUSAL = "report annotations are append-only: UPDATE and DELETE refused"


def upgrade() -> None:
    op.create_table(
        "report_annotations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("author", sa.String(64), nullable=False),
        sa.Column("author_role", sa.String(32), nullable=False),
        sa.Column("author_party", sa.String(2), nullable=True),
        sa.Column("created_at", truceline.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"], ["reports.id"], name="fk_report_annotations_report_id_reports"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_report_annotations"),
    )
    op.create_index("ix_report_annotations_report_id", "report_annotations", ["report_id"])
    if op.get_bind().dialect.name == "sqlite":
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER report_annotations_no_{event.lower()} BEFORE {event} "
                f"ON report_annotations BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"
            )
        return
    op.execute(
        "CREATE OR REPLACE FUNCTION report_annotations_append_only() RETURNS trigger AS $$ "
        f"BEGIN RAISE EXCEPTION '{REFUSAL}'; END $$ LANGUAGE plpgsql"
    )
    op.execute(
        "CREATE TRIGGER report_annotations_append_only BEFORE UPDATE OR DELETE "
        "ON report_annotations FOR EACH ROW EXECUTE FUNCTION report_annotations_append_only()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS report_annotations_no_update")
        op.execute("DROP TRIGGER IF EXISTS report_annotations_no_delete")
    else:
        op.execute("DROP TRIGGER IF EXISTS report_annotations_append_only ON report_annotations")
        op.execute("DROP FUNCTION IF EXISTS report_annotations_append_only()")
    op.drop_index("ix_report_annotations_report_id", "report_annotations")
    op.drop_table("report_annotations")
