"""action_requests: a step's explanation kept as catalogue messages (to read in any language)

Revision ID: action_requests_0002_parts
Revises: action_requests_0001_requests
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "action_requests_0002_parts"
down_revision: str | Sequence[str] | None = "action_requests_0001_requests"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN (no table rebuild): the table's append-only triggers stay.
    op.add_column("action_request_events", sa.Column("explanation_parts", sa.JSON(), nullable=True))


def downgrade() -> None:
    op.drop_column("action_request_events", "explanation_parts")
