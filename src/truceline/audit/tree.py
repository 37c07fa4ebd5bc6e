"""The Merkle tree of the audit log as stored in the database.

Leaves are ``audit_entries.leaf_hash``. Interior nodes are kept sparsely in
``audit_tree_nodes``: only levels that are multiples of ``STRIDE`` (16, 256, …
leaves), about one row per 15 entries. A node at another level is recomputed
from at most ``2**(STRIDE-1)`` stored hashes of the level below it, so any
proof reads O(log n) small index ranges.

``integrate`` extends the stored tree from the last checkpointed size to a new
size: it rebuilds the right edge (``Frontier``) from O(log n) nodes, hashes only
the new entries (checking each stored leaf hash against its canonical text)
and inserts the nodes they complete. Nothing older is ever rehashed.
"""

from __future__ import annotations

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from truceline.audit.hashing import leaf_hash, node_hash
from truceline.audit.merkle import Frontier
from truceline.audit.models import AuditCheckpoint, AuditEntry, AuditTreeNode

STRIDE = 4
BATCH = 5000


class TreeError(RuntimeError):
    """The stored log does not form the tree it should (gap, bad leaf hash, missing nodes)."""


class DatabaseNodes:
    """``NodeSource`` over the stored tree; valid for subtrees inside the integrated size."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._cache: dict[tuple[int, int], bytes] = {}

    def node(self, level: int, index: int) -> bytes:
        cached = self._cache.get((level, index))
        if cached is not None:
            return cached
        base = level - level % STRIDE
        width = 1 << (level - base)
        hashes = self._stored_range(base, index * width, (index + 1) * width)
        while len(hashes) > 1:
            hashes = [node_hash(hashes[i], hashes[i + 1]) for i in range(0, len(hashes), 2)]
        self._cache[(level, index)] = hashes[0]
        return hashes[0]

    def _stored_range(self, level: int, start: int, end: int) -> list[bytes]:
        if level == 0:
            query = (
                select(AuditEntry.leaf_hash)
                .where(AuditEntry.seq >= start, AuditEntry.seq < end)
                .order_by(AuditEntry.seq)
            )
        else:
            query = (
                select(AuditTreeNode.hash)
                .where(
                    AuditTreeNode.level == level,
                    AuditTreeNode.idx >= start,
                    AuditTreeNode.idx < end,
                )
                .order_by(AuditTreeNode.idx)
            )
        hashes = [bytes.fromhex(value) for value in self._session.scalars(query)]
        if len(hashes) != end - start:
            raise TreeError(
                f"tree level {level} has {len(hashes)} of the nodes {start}..{end - 1}: "
                "the log has gaps or was not integrated this far"
            )
        return hashes


def integrated_size(session: Session) -> int:
    """The size up to which nodes are stored: that of the latest checkpoint."""
    size = session.scalar(select(func.max(AuditCheckpoint.tree_size)))
    return int(size or 0)


def log_size(session: Session) -> int:
    """Number of entries (sequence numbers start at 0 and have no gaps)."""
    top = session.scalar(select(func.max(AuditEntry.seq)))
    return 0 if top is None else int(top) + 1


def integrate(session: Session, new_size: int) -> Frontier:
    """Store the nodes completed by entries up to ``new_size``; return the tree's right edge."""
    old_size = integrated_size(session)
    if new_size < old_size:
        raise TreeError(f"cannot shrink the tree from {old_size} to {new_size} entries")
    frontier = Frontier.from_source(DatabaseNodes(session), old_size)
    for start in range(old_size, new_size, BATCH):
        end = min(start + BATCH, new_size)
        nodes: list[dict[str, object]] = []
        for leaf in _checked_leaves(session, start, end):
            for level, index, digest in frontier.append(leaf):
                if level % STRIDE == 0:
                    nodes.append({"level": level, "idx": index, "hash": digest.hex()})
        if nodes:
            session.execute(insert(AuditTreeNode), nodes)
    return frontier


def _checked_leaves(session: Session, start: int, end: int) -> list[bytes]:
    rows = session.execute(
        select(AuditEntry.seq, AuditEntry.canonical, AuditEntry.leaf_hash)
        .where(AuditEntry.seq >= start, AuditEntry.seq < end)
        .order_by(AuditEntry.seq)
    ).all()
    leaves = []
    for expected, (seq, canonical, stored) in enumerate(rows, start=start):
        if seq != expected:
            raise TreeError(f"audit entry seq {expected} is missing (next stored is {seq})")
        digest = leaf_hash(canonical.encode())
        if digest.hex() != stored:
            raise TreeError(f"audit entry seq {seq}: stored leaf hash does not match its content")
        leaves.append(digest)
    if len(leaves) != end - start:
        raise TreeError(f"audit entries {start + len(leaves)}..{end - 1} are missing")
    return leaves
