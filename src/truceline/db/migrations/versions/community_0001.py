"""community: border districts, committees, reporters, messages

Revision ID: community_0001
Revises:
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import truceline.db.base

revision: str = "community_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("community",)
depends_on: str | Sequence[str] | None = "core_0001"


def upgrade() -> None:
    op.create_table(
        "community_border_districts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("admin1", sa.String(length=120), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("border_distance_km", sa.Float(), nullable=False),
        sa.Column("gazetteer_id", sa.String(length=120), nullable=True),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("names", sa.JSON(), nullable=False),
        sa.Column("crossings", sa.JSON(), nullable=False),
        sa.Column("posts", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_community_border_districts")),
        sa.UniqueConstraint("key", name=op.f("uq_community_border_districts_key")),
    )
    op.create_table(
        "community_committees",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", truceline.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["district_id"],
            ["community_border_districts.id"],
            name=op.f("fk_community_committees_district_id_community_border_districts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_community_committees")),
        sa.UniqueConstraint("code", name=op.f("uq_community_committees_code")),
    )
    op.create_table(
        "community_committee_members",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("committee_id", sa.Integer(), nullable=False),
        sa.Column("pseudonym", sa.String(length=32), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("term_start", sa.Date(), nullable=False),
        sa.Column("term_end", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("suspended_at", truceline.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("suspension_reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["committee_id"],
            ["community_committees.id"],
            name=op.f("fk_community_committee_members_committee_id_community_committees"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_community_committee_members")),
        sa.UniqueConstraint("pseudonym", name=op.f("uq_community_committee_members_pseudonym")),
    )
    with op.batch_alter_table("community_committee_members", schema=None) as batch_op:
        batch_op.create_index("ix_committee_members_committee", ["committee_id"], unique=False)

    op.create_table(
        "community_meetings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("committee_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("held_at", truceline.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("attendees", sa.JSON(), nullable=False),
        sa.Column("other_attendees", sa.Integer(), nullable=False),
        sa.Column("issues", sa.JSON(), nullable=False),
        sa.Column("agreements", sa.JSON(), nullable=False),
        sa.Column("incident_ids", sa.JSON(), nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", truceline.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["committee_id"],
            ["community_committees.id"],
            name=op.f("fk_community_meetings_committee_id_community_committees"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_community_meetings")),
    )
    with op.batch_alter_table("community_meetings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_community_meetings_committee_id"), ["committee_id"], unique=False
        )

    op.create_table(
        "community_reporters",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("pseudonym", sa.String(length=32), nullable=False),
        sa.Column("committee_id", sa.Integer(), nullable=True),
        sa.Column("registered_by", sa.String(length=64), nullable=False),
        sa.Column("phone_digest", sa.String(length=64), nullable=False),
        sa.Column("phone_sealed", sa.LargeBinary(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", truceline.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["committee_id"],
            ["community_committees.id"],
            name=op.f("fk_community_reporters_committee_id_community_committees"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_community_reporters")),
        sa.UniqueConstraint("phone_digest", name=op.f("uq_community_reporters_phone_digest")),
        sa.UniqueConstraint("pseudonym", name=op.f("uq_community_reporters_pseudonym")),
    )
    op.create_table(
        "community_follow_ups",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(length=120), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("done_at", truceline.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["community_meetings.id"],
            name=op.f("fk_community_follow_ups_meeting_id_community_meetings"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_community_follow_ups")),
    )
    with op.batch_alter_table("community_follow_ups", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_community_follow_ups_meeting_id"), ["meeting_id"], unique=False
        )

    op.create_table(
        "community_inbound_messages",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("dedup_key", sa.String(length=64), nullable=False),
        sa.Column("gateway", sa.String(length=64), nullable=False),
        sa.Column("gateway_message_id", sa.String(length=128), nullable=True),
        sa.Column("sender_digest", sa.String(length=64), nullable=False),
        sa.Column("sender_sealed", sa.LargeBinary(), nullable=False),
        sa.Column("reporter_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("received_at", truceline.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("parsed", sa.JSON(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=True),
        sa.Column("confirmation_code", sa.String(length=16), nullable=True),
        sa.Column("reply", sa.Text(), nullable=False),
        sa.Column("reviewed_by", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["reports.id"],
            name=op.f("fk_community_inbound_messages_report_id_reports"),
        ),
        sa.ForeignKeyConstraint(
            ["reporter_id"],
            ["community_reporters.id"],
            name=op.f("fk_community_inbound_messages_reporter_id_community_reporters"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_community_inbound_messages")),
        sa.UniqueConstraint("dedup_key", name=op.f("uq_community_inbound_messages_dedup_key")),
    )
    with op.batch_alter_table("community_inbound_messages", schema=None) as batch_op:
        batch_op.create_index("ix_inbound_sender_status", ["sender_digest", "status"], unique=False)

    op.create_table(
        "community_local_decisions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("committee_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("decided_by", sa.String(length=64), nullable=False),
        sa.Column("decided_at", truceline.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["committee_id"],
            ["community_committees.id"],
            name=op.f("fk_community_local_decisions_committee_id_community_committees"),
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_community_local_decisions_incident_id_incidents"),
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["community_meetings.id"],
            name=op.f("fk_community_local_decisions_meeting_id_community_meetings"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_community_local_decisions")),
    )
    with op.batch_alter_table("community_local_decisions", schema=None) as batch_op:
        batch_op.create_index("ix_local_decisions_incident", ["incident_id"], unique=False)

    op.create_table(
        "community_outbound_messages",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("reporter_id", sa.Integer(), nullable=True),
        sa.Column("to_sealed", sa.LargeBinary(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("notice_key", sa.String(length=120), nullable=True),
        sa.Column("created_at", truceline.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", truceline.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["reporter_id"],
            ["community_reporters.id"],
            name=op.f("fk_community_outbound_messages_reporter_id_community_reporters"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_community_outbound_messages")),
        sa.UniqueConstraint("notice_key", name=op.f("uq_community_outbound_messages_notice_key")),
    )


def downgrade() -> None:
    op.drop_table("community_outbound_messages")
    with op.batch_alter_table("community_local_decisions", schema=None) as batch_op:
        batch_op.drop_index("ix_local_decisions_incident")

    op.drop_table("community_local_decisions")
    with op.batch_alter_table("community_inbound_messages", schema=None) as batch_op:
        batch_op.drop_index("ix_inbound_sender_status")

    op.drop_table("community_inbound_messages")
    with op.batch_alter_table("community_follow_ups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_community_follow_ups_meeting_id"))

    op.drop_table("community_follow_ups")
    op.drop_table("community_reporters")
    with op.batch_alter_table("community_meetings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_community_meetings_committee_id"))

    op.drop_table("community_meetings")
    with op.batch_alter_table("community_committee_members", schema=None) as batch_op:
        batch_op.drop_index("ix_committee_members_committee")

    op.drop_table("community_committee_members")
    op.drop_table("community_committees")
    op.drop_table("community_border_districts")
