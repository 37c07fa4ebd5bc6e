"""core: what kind of statement a report is and where its information comes from

Adds ``reports.kind`` (allegation, denial, account), ``origin`` (witnessed,
official_statement, relayed, unknown), ``relayed_from``, ``relayed_from_party``
and ``origin_note``. Existing rows get what intake would give them today
without their text (``events.provenance``): a party liaison's report is its
allegation, or its denial when it names its own forces; its origin is an
official statement; monitors' and community reporters' reports are witnessed;
the rest unknown.

Revision ID: core_0002_report_provenance
Revises: core_0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "core_0002_report_provenance"
down_revision: str | Sequence[str] | None = "core_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=16), server_default="account", nullable=False)
        )
        batch_op.add_column(
            sa.Column("origin", sa.String(length=24), server_default="unknown", nullable=False)
        )
        batch_op.add_column(
            sa.Column("relayed_from", sa.String(length=300), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("relayed_from_party", sa.String(length=2), nullable=True))
        batch_op.add_column(
            sa.Column("origin_note", sa.String(length=300), server_default="", nullable=False)
        )
    op.execute(
        "UPDATE reports SET kind = CASE WHEN claimed_perpetrator = source_party "
        "THEN 'denial' ELSE 'allegation' END, origin = 'official_statement', "
        "origin_note = 'default for a party liaison' "
        "WHERE source_type = 'party_liaison' AND source_party IN ('AF', 'PK')"
    )
    op.execute(
        "UPDATE reports SET origin = 'witnessed', origin_note = 'default for a ' || "
        "REPLACE(source_type, '_', ' ') "
        "WHERE source_type IN ('field_monitor', 'community_reporter')"
    )


def downgrade() -> None:
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.drop_column("origin_note")
        batch_op.drop_column("relayed_from_party")
        batch_op.drop_column("relayed_from")
        batch_op.drop_column("origin")
        batch_op.drop_column("kind")
