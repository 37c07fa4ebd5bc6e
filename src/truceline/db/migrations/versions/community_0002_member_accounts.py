"""community: a committee member may sign in (the account an elder uses)

A member stays known by pseudonym; ``account`` names the user account (role
``elder``) through which that member reads and records the committee's work.

Revision ID: community_0002_member_accounts
Revises: community_0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "community_0002_member_accounts"
down_revision: str | Sequence[str] | None = "community_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("community_committee_members") as batch_op:
        batch_op.add_column(sa.Column("account", sa.String(length=64), nullable=True))
        batch_op.create_index("ix_committee_members_account", ["account"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("community_committee_members") as batch_op:
        batch_op.drop_index("ix_committee_members_account")
        batch_op.drop_column("account")
