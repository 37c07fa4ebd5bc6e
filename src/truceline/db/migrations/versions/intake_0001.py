"""intake: idempotency tokens, report immutability, attachments, merges and splits

Adds to ``reports`` the client token (unique), the agreement and the claimed
perpetrator's label, and a one-successor rule for versions; to ``incidents`` the
``merged_into_id`` mark; the ``report_attachments`` and ``incident_operations``
tables; and triggers that make report content immutable on both back ends.

Revision ID: intake_0001
Revises:
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import truceline.db.base

revision: str = "intake_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("intake",)
depends_on: str | Sequence[str] | None = "core_0001"

#: Columns that hold what a source said; a correction is a new version, never an UPDATE.
REPORT_CONTENT_COLUMNS = (
    "code", "version", "supersedes_id", "channel", "source_type", "source_name",
    "source_party", "reliability", "credibility", "text", "language", "received_at",
    "occurred_at", "time_precision", "lat", "lon", "geo_precision", "place_text",
    "event_type", "claimed_perpetrator", "claimed_perpetrator_label", "claimed_targets",
    "casualties", "content_hash", "origin_dataset", "origin_event_id", "submitted_by",
    "client_token", "agreement_id", "created_at",
)  # fmt: skip
JSON_COLUMNS = frozenset({"claimed_targets", "casualties"})


def upgrade() -> None:
    _extend_reports()
    _add_merged_into()
    _create_attachments()
    _create_operations()
    _forbid_report_rewrites()


def _extend_reports() -> None:
    op.add_column(
        "reports",
        sa.Column("claimed_perpetrator_label", sa.String(300), nullable=False, server_default=""),
    )
    op.add_column("reports", sa.Column("client_token", sa.String(128), nullable=True))
    op.add_column("reports", sa.Column("agreement_id", sa.String(64), nullable=True))
    op.create_index("ix_reports_client_token", "reports", ["client_token"], unique=True)
    op.create_index("uq_reports_supersedes_id", "reports", ["supersedes_id"], unique=True)


def _add_merged_into() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # SQLite accepts a REFERENCES clause on ADD COLUMN; no table rebuild needed.
        op.execute(
            "ALTER TABLE incidents ADD COLUMN merged_into_id INTEGER REFERENCES incidents (id)"
        )
        return
    op.add_column("incidents", sa.Column("merged_into_id", sa.Integer(), nullable=True))
    op.create_foreign_key(
        "fk_incidents_merged_into_id_incidents",
        "incidents",
        "incidents",
        ["merged_into_id"],
        ["id"],
    )


def _create_attachments() -> None:
    op.create_table(
        "report_attachments",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("media_type", sa.String(100), nullable=False),
        sa.Column("original_filename", sa.String(255), nullable=False),
        sa.Column("obtained_by", sa.String(300), nullable=False),
        sa.Column("obtained_at", truceline.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("how_obtained", sa.Text(), nullable=False),
        sa.Column("added_by", sa.String(64), nullable=False),
        sa.Column("added_at", truceline.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"], ["reports.id"], name="fk_report_attachments_report_id_reports"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_report_attachments"),
        sa.UniqueConstraint("report_id", "sha256", name="uq_report_attachments_file"),
    )
    op.create_index("ix_report_attachments_report_id", "report_attachments", ["report_id"])
    op.create_index("ix_report_attachments_sha256", "report_attachments", ["sha256"])


def _create_operations() -> None:
    op.create_table(
        "incident_operations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("source_incident_id", sa.Integer(), nullable=False),
        sa.Column("target_incident_id", sa.Integer(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("performed_by", sa.String(64), nullable=False),
        sa.Column("performed_at", truceline.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("undoes_id", sa.Integer(), nullable=True),
        sa.Column("undone_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["source_incident_id"],
            ["incidents.id"],
            name="fk_incident_operations_source_incident_id_incidents",
        ),
        sa.ForeignKeyConstraint(
            ["target_incident_id"],
            ["incidents.id"],
            name="fk_incident_operations_target_incident_id_incidents",
        ),
        sa.ForeignKeyConstraint(
            ["undoes_id"],
            ["incident_operations.id"],
            name="fk_incident_operations_undoes_id_incident_operations",
        ),
        sa.ForeignKeyConstraint(
            ["undone_by_id"],
            ["incident_operations.id"],
            name="fk_incident_operations_undone_by_id_incident_operations",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_incident_operations"),
    )


def _forbid_report_rewrites() -> None:
    """Reports are immutable: the database refuses to change their content or delete them."""
    if op.get_bind().dialect.name == "sqlite":
        columns = ", ".join(REPORT_CONTENT_COLUMNS)
        op.execute(
            f"CREATE TRIGGER reports_content_immutable BEFORE UPDATE OF {columns} ON reports "
            "BEGIN SELECT RAISE(ABORT, 'reports are immutable: UPDATE of report content "
            "refused; submit a correction as a new version'); END"
        )
        op.execute(
            "CREATE TRIGGER reports_no_delete BEFORE DELETE ON reports "
            "BEGIN SELECT RAISE(ABORT, 'reports are immutable: DELETE refused'); END"
        )
        return
    changed = " OR ".join(_pg_changed(column) for column in REPORT_CONTENT_COLUMNS)
    op.execute(
        f"""
        CREATE OR REPLACE FUNCTION reports_immutable() RETURNS trigger AS $$
        BEGIN
          IF TG_OP = 'DELETE' THEN
            RAISE EXCEPTION 'reports are immutable: DELETE refused';
          END IF;
          IF {changed} THEN
            RAISE EXCEPTION 'reports are immutable: UPDATE of report content refused; '
              'submit a correction as a new version';
          END IF;
          RETURN NEW;
        END $$ LANGUAGE plpgsql
        """
    )
    op.execute(
        "CREATE TRIGGER reports_immutable BEFORE UPDATE OR DELETE ON reports "
        "FOR EACH ROW EXECUTE FUNCTION reports_immutable()"
    )


def _pg_changed(column: str) -> str:
    # json has no equality operator: compare its text form.
    if column in JSON_COLUMNS:
        return f"OLD.{column}::text IS DISTINCT FROM NEW.{column}::text"
    return f"OLD.{column} IS DISTINCT FROM NEW.{column}"


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS reports_content_immutable")
        op.execute("DROP TRIGGER IF EXISTS reports_no_delete")
    else:
        op.execute("DROP TRIGGER IF EXISTS reports_immutable ON reports")
        op.execute("DROP FUNCTION IF EXISTS reports_immutable()")
    op.drop_table("incident_operations")
    op.drop_index("ix_report_attachments_sha256", "report_attachments")
    op.drop_index("ix_report_attachments_report_id", "report_attachments")
    op.drop_table("report_attachments")
    with op.batch_alter_table("incidents") as batch:
        batch.drop_column("merged_into_id")
    op.drop_index("uq_reports_supersedes_id", "reports")
    op.drop_index("ix_reports_client_token", "reports")
    with op.batch_alter_table("reports") as batch:
        batch.drop_column("agreement_id")
        batch.drop_column("client_token")
        batch.drop_column("claimed_perpetrator_label")
