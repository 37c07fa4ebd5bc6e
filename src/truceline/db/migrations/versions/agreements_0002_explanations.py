"""agreements: findings keep their explanation as catalogue messages (to render in any language)

Revision ID: agreements_0002_explanations
Revises: agreements_0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "agreements_0002_explanations"
down_revision: str | Sequence[str] | None = "agreements_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("explanation_parts", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.drop_column("explanation_parts")
