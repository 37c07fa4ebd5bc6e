"""core: indexes for the dashboard at a million incidents

Revision ID: core_0004_dashboard_indexes
Revises: core_0003_worker_leases

- ``ix_incidents_summary``: the period's counts (per day, actor series and
  verification state, and the determined incidents whose findings are counted)
  and the map's clusters of the period (count and grid cell) are read from this
  index alone. Through ``ix_incidents_occurred_at`` each counted incident cost a
  read of its row, scattered over the table: 0.05–0.1 s per query for a 30-day
  period at 1,000,000 incidents on SQLite.
- ``ix_incidents_perpetrator_time``: the actor menu skips from one actor to the
  next on it (``SELECT DISTINCT`` read every incident: 0.7 s at 1,000,000), and a
  list filtered by actor reads that actor's incidents newest first.
- ``ix_reports_source_received``: the allegations per party in a period (reports
  from party liaisons by date received), which otherwise read every report.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "core_0004_dashboard_indexes"
down_revision: str | Sequence[str] | None = "core_0003_worker_leases"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SUMMARY_COLUMNS = [
    "occurred_at",
    "verification_state",
    "perpetrator",
    "target_actor",
    "event_type",
    "released",
    "lat",
    "lon",
]


def upgrade() -> None:
    op.create_index("ix_incidents_summary", "incidents", SUMMARY_COLUMNS)
    op.create_index("ix_incidents_perpetrator_time", "incidents", ["perpetrator", "occurred_at"])
    op.create_index("ix_reports_source_received", "reports", ["source_type", "received_at"])


def downgrade() -> None:
    op.drop_index("ix_reports_source_received", table_name="reports")
    op.drop_index("ix_incidents_perpetrator_time", table_name="incidents")
    op.drop_index("ix_incidents_summary", table_name="incidents")
