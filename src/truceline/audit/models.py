"""ORM model of audit log entries. The table is append-only (triggers refuse UPDATE/DELETE)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from truceline.db.base import Base


class AuditEntry(Base):
    """One recorded state change. ``leaf_hash`` is the RFC 6962 leaf hash of ``canonical``."""

    __tablename__ = "audit_entries"

    seq: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=False
    )
    recorded_at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(32))
    party: Mapped[str | None] = mapped_column(String(8))
    action: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str] = mapped_column(String(64))
    object_id: Mapped[str] = mapped_column(String(128))
    before_hash: Mapped[str | None] = mapped_column(String(64))
    after_hash: Mapped[str | None] = mapped_column(String(64))
    canonical: Mapped[str] = mapped_column(Text)
    leaf_hash: Mapped[str] = mapped_column(String(64))


class AuditTreeNode(Base):
    """A stored interior node of the Merkle tree (only levels that are multiples of ``STRIDE``).

    Nodes are written when a checkpoint integrates new entries; levels in
    between are recomputed from at most ``2**(STRIDE-1)`` stored hashes, so the
    table holds about one row per 15 entries and proofs still read O(log n) rows.
    """

    __tablename__ = "audit_tree_nodes"

    level: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    idx: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=False
    )
    hash: Mapped[str] = mapped_column(String(64))


class AuditCheckpoint(Base):
    """A signed checkpoint: the tree size, its root hash and the signed note (log signatures)."""

    __tablename__ = "audit_checkpoints"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tree_size: Mapped[int] = mapped_column(BigInteger, index=True)
    root_hash: Mapped[str] = mapped_column(String(64))
    origin: Mapped[str] = mapped_column(String(200))
    signed_at: Mapped[datetime]
    note: Mapped[str] = mapped_column(Text)


class AuditCosignature(Base):
    """A witness's cosignature line on a checkpoint (C2SP tlog-cosignature/v1)."""

    __tablename__ = "audit_cosignatures"
    __table_args__ = (UniqueConstraint("checkpoint_id", "witness", name="uq_audit_cosignatures"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    checkpoint_id: Mapped[int] = mapped_column(ForeignKey("audit_checkpoints.id"))
    witness: Mapped[str] = mapped_column(String(200))
    signature_line: Mapped[str] = mapped_column(Text)
    cosigned_at: Mapped[datetime]


class AuditPublicKey(Base):
    """A published verifier key of the log or of a witness, with its validity window."""

    __tablename__ = "audit_public_keys"
    __table_args__ = (UniqueConstraint("vkey", name="uq_audit_public_keys_vkey"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    vkey: Mapped[str] = mapped_column(String(300))
    not_before: Mapped[datetime]
    not_after: Mapped[datetime | None]


class AuditStateSchema(Base):
    """The columns a state digest covers, per table (a new column joins the next digests only)."""

    __tablename__ = "audit_state_schemas"
    __table_args__ = (UniqueConstraint("table_name", "columns", name="uq_audit_state_schemas"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    table_name: Mapped[str] = mapped_column(String(64))
    columns: Mapped[str] = mapped_column(Text)


class AuditStateDigest(Base):
    """The digest a record must have after the change committed by audit entry ``seq``.

    ``digest`` is the SHA-256 of the canonical JSON array of the row's values,
    in the order of its schema's columns, or null when the application deleted the row. The digests
    written in one transaction are committed to by that transaction's
    ``audit.state`` entry (its ``after_hash``), so this table is as
    tamper-evident as the log itself; ``truceline audit check-state`` compares
    the latest digest of every (table, key) with the database.
    """

    __tablename__ = "audit_state_digests"

    table_name: Mapped[str] = mapped_column(String(64), primary_key=True)
    row_key: Mapped[str] = mapped_column(String(160), primary_key=True)
    seq: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"),
        primary_key=True,
        autoincrement=False,
        index=True,
    )
    schema_id: Mapped[int] = mapped_column(ForeignKey("audit_state_schemas.id"))
    digest: Mapped[str | None] = mapped_column(String(64))
