"""What the triage pages show: the queue of reports, one report with its candidates, who may act.

Who may triage is the accounts policy's to say (``may_triage``): reading every
report (not only one's own party's or one's own submissions) and creating the
records that bind reports into incidents. Each action asks the policy its own
question about ``incident_link`` (``ACTION_PERMISSIONS``): a link is a new,
append-only record (``create``); a merge, a split and an undo change incidents
(``update``). The policy gives both to the mechanism's neutral analysts
(mediators and field monitors), as the JSON API does.

The queue is read in SQL, newest first: reports with no active link (the
linker proposed candidates, or found none in reach), reports the linker
linked on its own with a score below ``LOW_SCORE``, and reports an import
linked into an incident no analyst has taken further yet (still ``reported``).
Imported history (events from datasets, in the ``historical`` state) is left
out of every view but its own ("Imported history"). Superseded versions are
left out: their newest version carries their links. Community reporters are
never named (``source_shown`` is None for a protected source type), as on the
incident page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from truceline.accounts.policy import Action, ResourceType
from truceline.accounts.roles import Principal
from truceline.accounts.scoping import visible_filter
from truceline.events.taxonomy import SourceType, grade_label
from truceline.http.access import may
from truceline.incidents.models import Incident, IncidentOperation, IncidentReportLink, Report
from truceline.incidents.pages.visibility import (
    PROTECTED_SOURCE_TYPES,
    incident_filter,
    may_read,
    may_read_report,
)
from truceline.incidents.services import active_links, find_candidates
from truceline.verification.domain import State
from truceline.verification.pages.triage_messages import QUEUE_FILTERS, Phrase, reason_phrase

#: An automatic link scoring below this is shown to an analyst (auto-linking starts at 0.5).
LOW_SCORE = 0.8
PER_PAGE = 50
EXCERPT_CHARS = 240
RECENT_OPERATIONS = 10

#: The policy question each action asks about the incidents it touches.
ACTION_PERMISSIONS: dict[str, tuple[Action, ResourceType]] = {
    "confirm": (Action.CREATE, ResourceType.INCIDENT_LINK),
    "link": (Action.CREATE, ResourceType.INCIDENT_LINK),
    "new_incident": (Action.CREATE, ResourceType.INCIDENT_LINK),
    "merge": (Action.UPDATE, ResourceType.INCIDENT_LINK),
    "split": (Action.UPDATE, ResourceType.INCIDENT_LINK),
    "undo": (Action.UPDATE, ResourceType.INCIDENT_LINK),
}


def may_triage(principal: Principal) -> bool:
    """May read every report and link reports into incidents (mechanism staff, by the policy)."""
    return may(principal, Action.READ, ResourceType.REPORT) and may_act(principal, "link")


def may_act(principal: Principal, action: str) -> bool:
    """Whether the policy allows one of the ``ACTION_PERMISSIONS`` on an unreleased incident."""
    policy_action, resource_type = ACTION_PERMISSIONS[action]
    return may(principal, policy_action, resource_type)


@dataclass(frozen=True)
class ReportRow:
    """One report as triage shows it: grade, who said it (unless protected), an excerpt."""

    report: Report
    link: IncidentReportLink | None = None
    incident: Incident | None = None
    text_visible: bool = True

    @property
    def grade(self) -> str:
        return grade_label(self.report.reliability, self.report.credibility)

    @property
    def source_shown(self) -> str | None:
        """The source's name, never that of a community reporter."""
        if self.report.source_type in PROTECTED_SOURCE_TYPES:
            return None
        return self.report.source_name or None

    @property
    def protected(self) -> bool:
        return self.report.source_type in PROTECTED_SOURCE_TYPES

    @property
    def excerpt(self) -> str:
        text = self.report.text.strip()
        return text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS].rstrip() + "…"

    @property
    def confirmed(self) -> bool:
        return self.link is not None and self.link.method == "confirmed"

    @property
    def status(self) -> str:
        """``unlinked``, ``confirmed``, ``low_score`` or the link's method (for styling and tests)."""
        if self.link is None:
            return "unlinked"
        if self.link.method == "auto" and (self.link.score or 0) < LOW_SCORE:
            return "low_score"
        return "confirmed" if self.confirmed else self.link.method


@dataclass(frozen=True)
class QueuePage:
    rows: list[ReportRow]
    total: int
    page: int
    pages: int
    show: str
    source_type: str


def _active_link_join() -> ColumnElement[bool]:
    return and_(IncidentReportLink.report_id == Report.id, IncidentReportLink.unlinked_at.is_(None))


def _shown(show: str) -> ColumnElement[bool] | None:
    """The condition of each ``QUEUE_FILTERS`` entry (on reports joined to their active link
    and its incident). Imported history is only under its own filter."""
    unlinked = IncidentReportLink.id.is_(None)
    low = and_(IncidentReportLink.method == "auto", IncidentReportLink.score < LOW_SCORE)
    unreviewed = and_(
        IncidentReportLink.method == "import",
        Incident.verification_state == State.REPORTED.value,
    )
    history = Incident.verification_state == State.HISTORICAL.value
    return {
        "unlinked": unlinked,
        "low_score": low,
        "imported": unreviewed,
        "attention": or_(unlinked, low, unreviewed),
        "history": history,
        "all": or_(unlinked, ~history),
    }.get(show)


def triage_queue(
    session: Session, principal: Principal, *, show: str, source_type: str, page: int
) -> QueuePage:
    """One page of the queue with the filters applied, newest first."""
    show = show if show in QUEUE_FILTERS else "attention"
    source_type = source_type if source_type in set(SourceType) else ""
    superseded = select(Report.supersedes_id).where(Report.supersedes_id.is_not(None))
    conditions = [Report.id.not_in(superseded), visible_filter(principal, Report)]
    if (shown := _shown(show)) is not None:
        conditions.append(shown)
    if source_type:
        conditions.append(Report.source_type == source_type)
    base = (
        select(Report, IncidentReportLink)
        .outerjoin(IncidentReportLink, _active_link_join())
        .outerjoin(Incident, Incident.id == IncidentReportLink.incident_id)
        .where(*conditions)
    )
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    pages = max(1, -(-total // PER_PAGE))
    page = min(max(page, 1), pages)
    query = base.order_by(Report.received_at.desc(), Report.id.desc())
    found = session.execute(query.limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
    incidents = _incidents(session, {link.incident_id for _, link in found if link is not None})
    rows = [
        ReportRow(report, link, incidents.get(link.incident_id) if link else None,
                  may_read_report(principal, report))
        for report, link in found
    ]  # fmt: skip
    return QueuePage(rows, total, page, pages, show, source_type)


def _incidents(session: Session, ids: set[int]) -> dict[int, Incident]:
    if not ids:
        return {}
    return {i.id: i for i in session.scalars(select(Incident).where(Incident.id.in_(ids)))}


@dataclass(frozen=True)
class ReportedIncident:
    incident: Incident
    reports: int


def reported_incidents(
    session: Session, principal: Principal, limit: int = PER_PAGE
) -> list[ReportedIncident]:
    """Incidents still in the ``reported`` state (not merged away), newest first."""
    counts = (
        select(IncidentReportLink.incident_id, func.count().label("n"))
        .where(IncidentReportLink.unlinked_at.is_(None))
        .group_by(IncidentReportLink.incident_id)
        .subquery()
    )
    query = (
        select(Incident, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.incident_id == Incident.id)
        .where(
            Incident.verification_state == "reported",
            Incident.merged_into_id.is_(None),
            incident_filter(principal),
        )
        .order_by(Incident.occurred_at.desc(), Incident.id.desc())
        .limit(limit)
    )
    return [ReportedIncident(incident, int(n)) for incident, n in session.execute(query)]


@dataclass(frozen=True)
class CandidateView:
    """A candidate incident with the linker's score, what it would do, and its reasons."""

    incident: Incident
    score: float
    decision: str
    reasons: list[Phrase]
    current: bool


@dataclass(frozen=True)
class OperationView:
    operation: IncidentOperation
    source: Incident
    target: Incident

    @property
    def undoable(self) -> bool:
        return self.operation.kind != "undo" and self.operation.undone_by_id is None


@dataclass(frozen=True)
class ReportDetail:
    """Everything the report page shows, for one principal."""

    row: ReportRow
    superseded_by: Report | None
    candidates: list[CandidateView]
    incident_reports: list[ReportRow]
    merge_choices: list[Incident]
    operations: list[OperationView]
    can: dict[str, bool]


def report_detail(session: Session, report: Report, principal: Principal) -> ReportDetail:
    """The report, its current link, candidates, the incident's reports and recent operations."""
    links = active_links(session, report.id)
    link = links[0] if links else None
    incident = session.get(Incident, link.incident_id) if link else None
    row = ReportRow(report, link, incident, may_read_report(principal, report))
    candidates = _candidates(session, report, principal, link)
    newer = session.scalars(select(Report).where(Report.supersedes_id == report.id)).first()
    choices = [incident] if incident is not None and incident.merged_into_id is None else []
    choices += [c.incident for c in candidates if not c.current]
    return ReportDetail(
        row=row,
        superseded_by=newer,
        candidates=candidates,
        incident_reports=_incident_reports(session, incident, principal) if incident else [],
        merge_choices=choices,
        operations=recent_operations(session),
        can={name: may_act(principal, name) for name in ACTION_PERMISSIONS},
    )


def _candidates(
    session: Session, report: Report, principal: Principal, link: IncidentReportLink | None
) -> list[CandidateView]:
    views = []
    for candidate in find_candidates(session, report):
        incident = session.get(Incident, candidate.incident_id)
        if incident is None or not may_read(principal, incident):
            continue
        match = candidate.match
        views.append(CandidateView(incident, match.score, match.decision,
                                   [reason_phrase(r) for r in match.reasons],
                                   current=link is not None and link.incident_id == incident.id))  # fmt: skip
    return views


def _incident_reports(
    session: Session, incident: Incident, principal: Principal
) -> list[ReportRow]:
    """The reports now linked to the incident (the choices of a split)."""
    found = session.execute(
        select(Report, IncidentReportLink)
        .join(IncidentReportLink, IncidentReportLink.report_id == Report.id)
        .where(IncidentReportLink.incident_id == incident.id, IncidentReportLink.unlinked_at.is_(None))
        .order_by(Report.received_at, Report.id)
    ).all()  # fmt: skip
    return [ReportRow(r, link, incident, may_read_report(principal, r)) for r, link in found]


def recent_operations(session: Session, limit: int = RECENT_OPERATIONS) -> list[OperationView]:
    """The latest merges, splits and undos, newest first, with their incidents."""
    operations = list(
        session.scalars(
            select(IncidentOperation).order_by(IncidentOperation.id.desc()).limit(limit)
        )
    )
    ids = {o.source_incident_id for o in operations} | {o.target_incident_id for o in operations}
    incidents = _incidents(session, ids)
    return [
        OperationView(o, incidents[o.source_incident_id], incidents[o.target_incident_id])
        for o in operations
    ]


def incident_by_code(session: Session, code: str) -> Incident | None:
    return session.scalars(select(Incident).where(Incident.code == code.strip())).first()


def done_values(session: Session, params: dict[str, Any]) -> dict[str, str]:
    """The values a confirmation may name, checked against the database (never echoed blindly)."""
    values: dict[str, str] = {}
    code = str(params.get("code", ""))
    if code and incident_by_code(session, code) is not None:
        values["code"] = code
    for key in ("op", "undo"):
        operation_id = number(str(params.get(key, "")))
        if operation_id is not None and session.get(IncidentOperation, operation_id) is not None:
            values[key] = str(operation_id)
    return values


def number(text: str) -> int | None:
    """A record id typed or posted as ASCII digits (``"²".isdigit()`` is true, ``int("²")`` fails)."""
    text = text.strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 12 else None
