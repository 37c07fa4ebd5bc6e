"""verification: proposed findings (draft facts and findings) and incident versions

Revision ID: verification_0003_history
Revises: verification_0002_allegations
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import truceline.db.base

revision: str = "verification_0003_history"
down_revision: str | Sequence[str] | None = "verification_0002_allegations"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "verification_proposals",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.Column("findings", sa.JSON(), nullable=False),
        sa.Column("proposed_by", sa.String(length=64), nullable=False),
        sa.Column("proposed_at", truceline.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["verification_cases.id"],
            name=op.f("fk_verification_proposals_case_id_verification_cases"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verification_proposals")),
    )
    with op.batch_alter_table("verification_proposals", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_verification_proposals_case_id"), ["case_id"], unique=False
        )
    op.create_table(
        "incident_versions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("changed_by", sa.String(length=64), nullable=False),
        sa.Column("changed_at", truceline.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_incident_versions_incident_id_incidents"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_versions")),
        sa.UniqueConstraint(
            "incident_id", "version", name=op.f("uq_incident_versions_incident_id")
        ),
    )
    with op.batch_alter_table("incident_versions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_incident_versions_incident_id"), ["incident_id"], unique=False
        )
    _append_only("incident_versions")
    _append_only("verification_proposals")


def _append_only(table: str) -> None:
    """History is never rewritten: refuse UPDATE and DELETE on the table."""
    message = f"{table} is append-only; add a new row instead"
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE FUNCTION {table}_append_only() RETURNS trigger AS $$ BEGIN "
            f"RAISE EXCEPTION '{message}'; END $$ LANGUAGE plpgsql"
        )
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()"
        )
        return
    for verb in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
        )


def downgrade() -> None:
    for table in ("incident_versions", "verification_proposals"):
        if op.get_bind().dialect.name == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {table}_append_only()")
    with op.batch_alter_table("incident_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incident_versions_incident_id"))
    op.drop_table("incident_versions")
    with op.batch_alter_table("verification_proposals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_verification_proposals_case_id"))
    op.drop_table("verification_proposals")
