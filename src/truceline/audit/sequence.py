"""Finding stray or out-of-sequence rows in ``audit_entries`` before building on them.

The application numbers entries 0, 1, 2, … with no gaps, and the triggers refuse
UPDATE and DELETE, but nothing stops someone with database access from
INSERTing a row. One such row (a sequence number far past the end, a negative
one, or a row whose leaf hash does not match its content) used to surface as a
traceback from ``audit checkpoint`` and ``audit export``. ``sequence_problems``
names each stray entry by its sequence number and what it claims to record, in
a few indexed queries (no full scan); ``TreeError`` carries them to the caller,
which reports them (exit 1, JSON under ``--json``, 409 over HTTP).
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from truceline.audit.models import AuditEntry
from truceline.audit.tree import TreeError

#: Gaps described in one report; past these the message says how many more.
MAX_REPORTED = 10


class StrayEntries(TreeError):
    """``audit_entries`` holds rows the application did not write in sequence."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def sequence_problems(session: Session) -> list[str]:
    """Sentences naming each out-of-sequence entry (empty when 0..n-1 are all there)."""
    low, high, count = session.execute(
        select(func.min(AuditEntry.seq), func.max(AuditEntry.seq), func.count())
    ).one()
    if count == 0 or (low == 0 and high == count - 1):
        return []
    problems = [
        f"audit entry seq {seq} ({_what(session, seq)}) is out of sequence: sequence numbers "
        "start at 0"
        for seq in session.scalars(
            select(AuditEntry.seq).where(AuditEntry.seq < 0).order_by(AuditEntry.seq).limit(10)
        )
    ]
    if low > 0:
        problems.append(f"audit entries 0..{low - 1} are missing: the log starts at seq {low}")
    problems += _gaps(session)
    return problems


def _gaps(session: Session) -> list[str]:
    """Each entry that follows a gap, named with the missing range."""
    following = aliased(AuditEntry)
    before_gap = (
        select(AuditEntry.seq)
        .where(
            AuditEntry.seq >= 0,
            AuditEntry.seq < select(func.max(AuditEntry.seq)).scalar_subquery(),
            ~select(following.seq).where(following.seq == AuditEntry.seq + 1).exists(),
        )
        .order_by(AuditEntry.seq)
        .limit(MAX_REPORTED + 1)
    )
    starts = list(session.scalars(before_gap))
    problems = []
    for seq in starts[:MAX_REPORTED]:
        next_stored = select(func.min(AuditEntry.seq)).where(AuditEntry.seq > seq)
        stray: int = session.scalar(next_stored) or seq + 1
        problems.append(
            f"audit entry seq {stray} ({_what(session, stray)}) is out of sequence: entries "
            f"{seq + 1}..{stray - 1} are missing (a row inserted outside the application?)"
        )
    if len(starts) > MAX_REPORTED:
        problems.append("… and more gaps after these")
    return problems


def _what(session: Session, seq: int) -> str:
    entry = session.get(AuditEntry, seq)
    if entry is None:
        return "gone"
    return f"{entry.action} on {entry.object_type} {entry.object_id} by {entry.actor}"


def require_in_sequence(session: Session) -> None:
    """Raise ``StrayEntries`` naming every stray entry, before a checkpoint or export."""
    problems = sequence_problems(session)
    if problems:
        raise StrayEntries(problems)
