"""audit: state digests of every audited record, committed to by the log

Revision ID: audit_0003_state
Revises: audit_0002_append_only
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "audit_0003_state"
down_revision: str | Sequence[str] | None = "audit_0002_append_only"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Both tables only ever grow, like the log whose entries commit to them.
APPEND_ONLY = ("audit_state_schemas", "audit_state_digests")


def upgrade() -> None:
    op.create_table(
        "audit_state_schemas",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("table_name", sa.String(length=64), nullable=False),
        sa.Column("columns", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_state_schemas")),
        sa.UniqueConstraint("table_name", "columns", name="uq_audit_state_schemas"),
    )
    op.create_table(
        "audit_state_digests",
        sa.Column("table_name", sa.String(length=64), nullable=False),
        sa.Column("row_key", sa.String(length=160), nullable=False),
        sa.Column(
            "seq",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("schema_id", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["schema_id"],
            ["audit_state_schemas.id"],
            name=op.f("fk_audit_state_digests_schema_id_audit_state_schemas"),
        ),
        sa.PrimaryKeyConstraint(
            "table_name", "row_key", "seq", name=op.f("pk_audit_state_digests")
        ),
    )
    with op.batch_alter_table("audit_state_digests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_state_digests_seq"), ["seq"], unique=False)
    for table in APPEND_ONLY:
        _forbid_rewrites(table)


def _forbid_rewrites(table: str) -> None:
    """Triggers on SQLite; trigger plus REVOKE on PostgreSQL (as for ``audit_entries``)."""
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {verb} refused'); END"
            )
        return
    op.execute(
        f"""
        CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger AS $$
        BEGIN
          RAISE EXCEPTION '{table} is append-only: % refused', TG_OP;
        END $$ LANGUAGE plpgsql
        """
    )
    op.execute(
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE OR TRUNCATE "
        f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {table}_append_only()"
    )
    op.execute(f"REVOKE UPDATE, DELETE, TRUNCATE ON {table} FROM PUBLIC")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in APPEND_ONLY:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {table}_append_only()")
    with op.batch_alter_table("audit_state_digests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_state_digests_seq"))
    op.drop_table("audit_state_digests")
    op.drop_table("audit_state_schemas")
