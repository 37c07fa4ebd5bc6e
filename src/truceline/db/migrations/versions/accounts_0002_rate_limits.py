"""accounts: rate-limit buckets shared by every serve worker

Revision ID: accounts_0002_rate_limits
Revises: accounts_0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "accounts_0002_rate_limits"
down_revision: str | Sequence[str] | None = "accounts_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rate_limit_buckets",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("tokens", sa.Float(), nullable=False),
        sa.Column("updated", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_rate_limit_buckets")),
    )
    op.create_index(
        op.f("ix_rate_limit_buckets_updated"), "rate_limit_buckets", ["updated"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_rate_limit_buckets_updated"), table_name="rate_limit_buckets")
    op.drop_table("rate_limit_buckets")
