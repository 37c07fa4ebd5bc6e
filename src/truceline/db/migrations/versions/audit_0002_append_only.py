"""audit: append-only triggers on the published keys and the verification record

Revision ID: audit_0002_append_only
Revises: audit_0001

The audit log's own tables were already append-only. These tables are also a
record that must only grow: the parties' replies, the members' views, state
transitions, determinations, obstructions and the custody chain of evidence.
Published keys may not be deleted or rewritten; a key's validity window may be
closed once (``not_after`` from empty to a time), which is how a key is retired.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "audit_0002_append_only"
down_revision: str | Sequence[str] | None = "audit_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = "verification_0001"

#: Rows are only ever inserted: UPDATE and DELETE are refused.
APPEND_ONLY = (
    "verification_replies",
    "verification_member_views",
    "verification_transitions",
    "verification_determinations",
    "verification_obstructions",
    "evidence_custody",
)
KEYS = "audit_public_keys"
KEY_IDENTITY = ("name", "role", "vkey", "not_before")


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in APPEND_ONLY:
        _sqlite_append_only(table) if sqlite else _postgres_append_only(table)
    _sqlite_keys() if sqlite else _postgres_keys()


def _sqlite_append_only(table: str) -> None:
    for verb in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {verb} refused'); END"
        )


def _postgres_append_only(table: str) -> None:
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


def _sqlite_keys() -> None:
    op.execute(
        f"CREATE TRIGGER {KEYS}_no_delete BEFORE DELETE ON {KEYS} "
        f"BEGIN SELECT RAISE(ABORT, '{KEYS} is append-only: DELETE refused'); END"
    )
    op.execute(
        f"CREATE TRIGGER {KEYS}_no_rewrite BEFORE UPDATE OF {', '.join(KEY_IDENTITY)} ON {KEYS} "
        f"BEGIN SELECT RAISE(ABORT, '{KEYS} is append-only: a published key is never rewritten'); END"
    )
    op.execute(
        f"CREATE TRIGGER {KEYS}_window_closed_once BEFORE UPDATE OF not_after ON {KEYS} "
        "WHEN OLD.not_after IS NOT NULL AND "
        "(NEW.not_after IS NULL OR NEW.not_after != OLD.not_after) "
        f"BEGIN SELECT RAISE(ABORT, '{KEYS}: a retired key''s not_after is never changed'); END"
    )


def _postgres_keys() -> None:
    changed = " OR ".join(f"NEW.{column} IS DISTINCT FROM OLD.{column}" for column in KEY_IDENTITY)
    op.execute(
        f"""
        CREATE OR REPLACE FUNCTION {KEYS}_append_only() RETURNS trigger AS $$
        BEGIN
          IF TG_OP <> 'UPDATE' THEN
            RAISE EXCEPTION '{KEYS} is append-only: % refused', TG_OP;
          END IF;
          IF {changed} THEN
            RAISE EXCEPTION '{KEYS} is append-only: a published key is never rewritten';
          END IF;
          IF OLD.not_after IS NOT NULL AND NEW.not_after IS DISTINCT FROM OLD.not_after THEN
            RAISE EXCEPTION '{KEYS}: a retired key''s not_after is never changed';
          END IF;
          RETURN NEW;
        END $$ LANGUAGE plpgsql
        """
    )
    op.execute(
        f"CREATE TRIGGER {KEYS}_append_only BEFORE UPDATE OR DELETE ON {KEYS} "
        f"FOR EACH ROW EXECUTE FUNCTION {KEYS}_append_only()"
    )
    op.execute(
        f"CREATE TRIGGER {KEYS}_no_truncate BEFORE TRUNCATE ON {KEYS} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {KEYS}_append_only()"
    )


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in APPEND_ONLY:
        if sqlite:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {table}_append_only()")
    if sqlite:
        for name in ("no_delete", "no_rewrite", "window_closed_once"):
            op.execute(f"DROP TRIGGER IF EXISTS {KEYS}_{name}")
    else:
        op.execute(f"DROP TRIGGER IF EXISTS {KEYS}_append_only ON {KEYS}")
        op.execute(f"DROP TRIGGER IF EXISTS {KEYS}_no_truncate ON {KEYS}")
        op.execute(f"DROP FUNCTION IF EXISTS {KEYS}_append_only()")
