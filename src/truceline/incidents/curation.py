"""Analysts' merges and splits of incidents, their undoing, and the corroboration view.

A merge of incident A into B retires A's active links, adds the same reports
to B, and marks A ``merged_into`` B. A split moves chosen reports of an
incident to a new one. Each is an ``IncidentOperation`` listing the links it
retired and created, so ``undo_operation`` can reverse it as long as its reports
are still on the incident it moved them to (a later operation that was undone
no longer counts); otherwise the refusal names the later operation to undo
first. No report is ever deleted or changed.

Concurrency: both incidents are locked before anything is read, with
``SELECT … FOR UPDATE`` (in id order, so two merges cannot deadlock) on
PostgreSQL and by taking SQLite's write lock first. A second analyst merging the
same incidents therefore waits, then finds A already merged and is refused.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from truceline.audit.actor import Actor
from truceline.audit.log import append_entry
from truceline.db.base import utcnow
from truceline.errors import CodedError
from truceline.incidents.corroboration import CorroborationError
from truceline.incidents.corroboration import corroboration as corroboration_view
from truceline.incidents.models import Incident, IncidentOperation, IncidentReportLink, Report
from truceline.incidents.services import open_incident_for


class CurationError(CodedError, ValueError):
    """A merge, split or undo that cannot be done, with the reason (``code`` and ``params``
    say which rule refused it, for pages)."""

    default_code = "curation_refused"


def take_write_lock(session: Session) -> None:
    """On SQLite, take the database write lock now, before this transaction reads anything.

    A SQLite transaction that has read and then wants to write fails when another
    writer committed in between; writing first makes the second analyst wait
    instead. PostgreSQL locks rows (``lock_incidents``) and needs nothing here.
    """
    if session.get_bind().dialect.name == "sqlite":
        session.execute(
            update(IncidentOperation)
            .where(IncidentOperation.id == -1)
            .values(kind=IncidentOperation.kind)
        )


def lock_incidents(session: Session, ids: Iterable[int]) -> dict[int, Incident]:
    """Lock the incidents' rows for this transaction and return them, freshly read."""
    wanted = sorted(set(ids))
    if session.get_bind().dialect.name == "sqlite":
        # Writing first takes SQLite's database write lock before any read of this transaction.
        session.execute(update(Incident).where(Incident.id.in_(wanted)).values(updated_at=utcnow()))
        query = select(Incident).where(Incident.id.in_(wanted))
    else:
        query = (
            select(Incident).where(Incident.id.in_(wanted)).order_by(Incident.id).with_for_update()
        )
    found = {i.id: i for i in session.scalars(query.execution_options(populate_existing=True))}
    missing = [i for i in wanted if i not in found]
    if missing:
        raise CurationError(
            f"incident(s) {', '.join(map(str, missing))} do not exist", code="incident_missing"
        )
    return found


def _active_links(
    session: Session, incident_id: int, report_ids: Iterable[int] | None = None
) -> list[IncidentReportLink]:
    query = select(IncidentReportLink).where(
        IncidentReportLink.incident_id == incident_id, IncidentReportLink.unlinked_at.is_(None)
    )
    if report_ids is not None:
        query = query.where(IncidentReportLink.report_id.in_(list(report_ids)))
    return list(session.scalars(query.order_by(IncidentReportLink.id)))


def _move_links(
    session: Session, links: list[IncidentReportLink], target_id: int, *, actor: Actor, method: str
) -> list[dict[str, int]]:
    """Retire each link and add an equivalent one to ``target_id``; returns what moved."""
    now, moved = utcnow(), []
    for old in links:
        old.unlinked_at, old.unlinked_by = now, actor.name
        new = IncidentReportLink(incident_id=target_id, report_id=old.report_id, linked_by=actor.name,
                                 method=method, score=old.score, reasons=list(old.reasons))  # fmt: skip
        session.add(new)
        session.flush()
        moved.append({"report_id": old.report_id, "retired_link": old.id, "new_link": new.id})
    return moved


def merge_incidents(
    session: Session, *, source_id: int, target_id: int, actor: Actor, reason: str = ""
) -> IncidentOperation:
    """Merge incident ``source_id`` into ``target_id``."""
    if source_id == target_id:
        raise CurationError(
            f"cannot merge incident {source_id} into itself", code="merge_into_itself"
        )
    locked = lock_incidents(session, (source_id, target_id))
    source, target = locked[source_id], locked[target_id]
    for incident in (source, target):
        if incident.merged_into_id is not None:
            raise CurationError(
                f"incident {incident.code} is already merged into incident {incident.merged_into_id}",
                code="incident_already_merged",
                params={"code": incident.code},
            )
    moved = _move_links(
        session, _active_links(session, source_id), target_id, actor=actor, method="merge"
    )
    source.merged_into_id = target_id
    operation = _record(
        session, "merge", source_id, target_id, {"moved": moved}, actor=actor, reason=reason
    )
    append_entry(session, actor=actor, action="incident.merged", object_type="incident", object_id=source_id,
                 before={"merged_into": None}, after={"merged_into": target_id, "operation": operation.id,
                                                      "moved": moved})  # fmt: skip
    return operation


def split_incident(
    session: Session, *, incident_id: int, report_ids: list[int], actor: Actor, reason: str = ""
) -> IncidentOperation:
    """Move the chosen reports of an incident to a new incident."""
    incident = lock_incidents(session, (incident_id,))[incident_id]
    if incident.merged_into_id is not None:
        raise CurationError(
            f"incident {incident.code} was merged into incident {incident.merged_into_id}",
            code="incident_merged",
            params={"code": incident.code},
        )
    all_links = _active_links(session, incident_id)
    chosen = [link for link in all_links if link.report_id in set(report_ids)]
    missing = sorted(set(report_ids) - {link.report_id for link in chosen})
    if missing:
        raise CurationError(
            f"report(s) {', '.join(map(str, missing))} are not linked to incident {incident.code}",
            code="reports_not_linked",
            params={"code": incident.code},
        )
    if not chosen or len(chosen) == len(all_links):
        raise CurationError(
            "a split must move some, but not all, of the incident's reports",
            code="split_some_not_all",
        )
    seed = session.get_one(Report, chosen[0].report_id)
    # Opening the new incident links the seed report there and retires its old link.
    new_incident = open_incident_for(session, seed, actor=actor, method="split")
    moved = _move_links(session, chosen[1:], new_incident.id, actor=actor, method="split")
    seed_link = _active_links(session, new_incident.id, [seed.id])[0]
    moved.insert(0, {"report_id": seed.id, "retired_link": chosen[0].id, "new_link": seed_link.id})
    operation = _record(
        session, "split", incident_id, new_incident.id, {"moved": moved}, actor=actor, reason=reason
    )
    append_entry(session, actor=actor, action="incident.split", object_type="incident", object_id=incident_id,
                 after={"new_incident": new_incident.id, "operation": operation.id, "moved": moved})  # fmt: skip
    return operation


def undo_operation(
    session: Session, *, operation_id: int, actor: Actor, reason: str = ""
) -> IncidentOperation:
    """Reverse a merge or split, if its reports are still where it moved them."""
    take_write_lock(session)
    operation = session.get(IncidentOperation, operation_id, with_for_update=True)
    if operation is None:
        raise CurationError(f"operation {operation_id} does not exist", code="operation_missing")
    if operation.kind == "undo":
        raise CurationError(
            f"operation {operation_id} is itself an undo; redo the merge or split instead",
            code="undo_of_undo",
        )
    if operation.undone_by_id is not None:
        raise CurationError(
            f"operation {operation_id} was already undone by operation {operation.undone_by_id}",
            code="operation_already_undone",
        )
    source_id, target_id = operation.source_incident_id, operation.target_incident_id
    locked = lock_incidents(session, (source_id, target_id))
    moved: list[dict[str, int]] = operation.details.get("moved", [])
    _check_still_in_place(session, operation, locked)
    links = _links_to_move_back(session, operation, moved)
    back = _move_links(session, links, source_id, actor=actor, method="undo")
    if operation.kind == "merge":
        locked[source_id].merged_into_id = None
    else:
        locked[target_id].merged_into_id = source_id  # the split-off incident folds back
    undo = _record(
        session,
        "undo",
        source_id,
        target_id,
        {"moved": back},
        actor=actor,
        reason=reason,
        undoes=operation.id,
    )
    operation.undone_by_id = undo.id
    append_entry(session, actor=actor, action="incident.operation_undone", object_type="incident_operation",
                 object_id=operation.id, after={"undo": undo.id, "moved": back})  # fmt: skip
    return undo


def _check_still_in_place(
    session: Session, operation: IncidentOperation, locked: dict[int, Incident]
) -> None:
    target = locked[operation.target_incident_id]
    if (
        operation.kind == "merge"
        and locked[operation.source_incident_id].merged_into_id != target.id
    ):
        raise CurationError(
            f"incident {operation.source_incident_id} is no longer merged into {target.id}",
            code="merge_changed",
        )
    if target.merged_into_id is not None:
        later = _later_merge_of(session, operation, target.id)
        first = f"operation {later.id}" if later else "that"
        raise CurationError(
            f"incident {target.code} has since been merged into incident {target.merged_into_id}"
            + (f" by operation {later.id}" if later else "")
            + f"; undo {first} first",
            code="incident_merged_since_by_operation" if later else "incident_merged_since",
            params={"code": target.code, **({"op": later.id} if later else {})},
        )


def _links_to_move_back(
    session: Session, operation: IncidentOperation, moved: list[dict[str, int]]
) -> list[IncidentReportLink]:
    """The moved reports' links on the operation's target incident, as they are now.

    Not necessarily the links the operation created: a later split undone since
    brought a report back with a new link, and that must not block this undo.
    A report that is elsewhere now is refused, naming the later operation to
    undo first (or saying that no merge or split moved it).
    """
    report_ids = [m["report_id"] for m in moved]
    current = {
        link.report_id: link
        for link in _active_links(session, operation.target_incident_id, report_ids)
    }
    away = [report_id for report_id in report_ids if report_id not in current]
    if not away:
        return [current[report_id] for report_id in report_ids]
    listed = ", ".join(map(str, away))
    blocking = _later_operation_moving(session, operation, away)
    if blocking is not None:
        raise CurationError(
            f"report(s) {listed} have been moved since operation {operation.id} by operation "
            f"{blocking.id} ({blocking.kind}); undo operation {blocking.id} first",
            code="reports_moved_since_by_operation",
            params={"op": blocking.id},
        )
    raise CurationError(
        f"report(s) {listed} have been moved since operation {operation.id}, not by a merge or "
        "split (corrected or linked elsewhere); undo cannot restore them",
        code="reports_moved_since",
    )


def _later_operations(session: Session, operation: IncidentOperation) -> list[IncidentOperation]:
    """Merges and splits after ``operation`` that are still in effect, latest first."""
    return list(
        session.scalars(
            select(IncidentOperation)
            .where(
                IncidentOperation.id > operation.id,
                IncidentOperation.kind != "undo",
                IncidentOperation.undone_by_id.is_(None),
            )
            .order_by(IncidentOperation.id.desc())
        )
    )


def _later_operation_moving(
    session: Session, operation: IncidentOperation, report_ids: list[int]
) -> IncidentOperation | None:
    """The latest operation in effect that moved one of ``report_ids`` (the one to undo first)."""
    wanted = set(report_ids)
    for later in _later_operations(session, operation):
        if wanted & {m["report_id"] for m in later.details.get("moved", [])}:
            return later
    return None


def _later_merge_of(
    session: Session, operation: IncidentOperation, incident_id: int
) -> IncidentOperation | None:
    return next(
        (
            later
            for later in _later_operations(session, operation)
            if later.kind == "merge" and later.source_incident_id == incident_id
        ),
        None,
    )


def _record(
    session: Session,
    kind: str,
    source_id: int,
    target_id: int,
    details: dict[str, Any],
    *,
    actor: Actor,
    reason: str,
    undoes: int | None = None,
) -> IncidentOperation:
    operation = IncidentOperation(kind=kind, source_incident_id=source_id, target_incident_id=target_id,
                                  details=details, reason=reason, performed_by=actor.name, undoes_id=undoes)  # fmt: skip
    session.add(operation)
    session.flush()
    return operation


def corroboration(
    session: Session, incident_id: int, *, may_read: Callable[[Report], bool] | None = None
) -> dict[str, Any]:
    """How many independent sources report the incident, why, and their grades
    (``incidents.corroboration``: a party's position is not corroboration). The counts are
    the incident's; sources and report codes are named only where ``may_read`` (the
    caller's access policy) accepts one of their reports."""
    try:
        return corroboration_view(session, incident_id, may_read=may_read)
    except CorroborationError as exc:
        raise CurationError(str(exc)) from None
