"""The notifications page: the signed-in user's in-app notices and the running cooling-off clocks.

Notices are written by the warning context (``truceline.warning.notify``: an
allegation filed, a cooling-off breach flagged, ...) and listed here newest
first, unread ones highlighted, each linked to its incident when the reader
may open it. "Mark as read" and "Mark all as read" are POST forms (CSRF field,
then a redirect back: POST-redirect-GET) that call ``notify.mark_read``.

Every check is the accounts policy's: a notice is its recipient's alone
(``notification`` rule, as a SQL filter for lists and on the row before marking
it), and the clocks (``warning.services.list_clocks``, as ``/api/warning/clocks``)
are shown to whom the ``early_warning`` rule lets read them. Each route declares
its access in its signature (``PageAccess``): visitors who have not signed in
are sent to the sign-in page. The unread count beside the
navigation link is ``rendering.unread_notifications``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from truceline.accounts.access import Access, PageAccess
from truceline.accounts.policy import Action, ResourceType
from truceline.accounts.roles import Principal
from truceline.accounts.scoping import visible_filter
from truceline.db.bounds import RecordId
from truceline.http.access import may, sees_restricted
from truceline.http.deps import Public, SessionDep
from truceline.http.i18n import N_, CurrentUI
from truceline.http.labels import PARTY_NAMES
from truceline.http.registry import AppRegistry, NavItem
from truceline.http.rendering import render_page
from truceline.incidents.models import Incident, IncidentReportLink, Report
from truceline.incidents.pages.visibility import incident_filter
from truceline.warning.domain import ALLEGATION_EVENT, BREACH_EVENT
from truceline.warning.models import Notification
from truceline.warning.notify import mark_read, unread_count
from truceline.warning.services import list_clocks

router = APIRouter(include_in_schema=False)


def register_http(registry: AppRegistry) -> None:
    """The notification pages and their link, with the unread count as its badge."""
    registry.add_router(router)
    registry.add_nav(
        NavItem(
            "/notifications",
            N_("Notifications"),
            order=60,
            signed_in=True,
            badge=unread_notifications,
        )
    )


PAGE = "/notifications"
#: The newest notices listed (the JSON API pages further with ``limit``).
PAGE_SIZE = 100

#: What kind of notice each event is (``truceline.warning.domain``), translated on the page.
EVENT_LABELS: dict[str, str] = {
    ALLEGATION_EVENT: N_("Allegation filed"),
    BREACH_EVENT: N_("Cooling-off breach flagged"),
    "warning.risk_threshold": N_("District risk threshold reached"),
    "community.escalated": N_("Escalated by a local committee"),
}


#: The caller's own notices (the policy's ``notification`` rule); visitors sign in first.
ReadsNotices = Annotated[Access, PageAccess(Action.READ, ResourceType.NOTIFICATION)]
MarksNotices = Annotated[
    Access, PageAccess(Action.UPDATE, ResourceType.NOTIFICATION, next_page=PAGE)
]


def _back_to_the_page() -> RedirectResponse:
    return RedirectResponse(PAGE, status_code=303)


@router.get(PAGE, response_class=HTMLResponse)
def notifications_page(
    request: Request, session: SessionDep, access: ReadsNotices, ui: CurrentUI
) -> Response:
    """The caller's notices, newest first, and the running cooling-off clocks."""
    principal = access.principal
    notes = list(
        session.scalars(
            select(Notification)
            .where(visible_filter(principal, Notification))
            .order_by(Notification.id.desc())
            .limit(PAGE_SIZE)
        )
    )
    clocks = _running_clocks(session, principal)
    reports = {n.object_id for n in notes if n.object_type == "report"}
    reports |= {clock["report"] for clock in clocks or []}
    report_incidents = _incidents_of_reports(session, principal, reports)
    named = {n.object_id for n in notes if n.object_type == "incident"}
    named |= {flag["incident"] for clock in clocks or [] for flag in clock["flags"]}
    readable = _readable_incidents(session, principal, named)
    context = {
        "notes": notes,
        "unread": unread_count(session, principal),
        "note_incidents": {
            note.id: _incident_of(note, report_incidents, readable) for note in notes
        },
        "clocks": clocks,
        "report_incidents": report_incidents,
        "readable_incidents": readable,
        "incident_prefix": "/incidents/" if sees_restricted(principal) else "/public/incidents/",
        "event_labels": EVENT_LABELS,
        "party_names": PARTY_NAMES,
    }
    return render_page(request, ui, principal, "notifications.html", context)


@router.post(PAGE + "/{notification_id}/read")
def mark_one_read(notification_id: RecordId, session: SessionDep, access: MarksNotices) -> Response:
    """Mark one of the caller's notices read (idempotent), then show the page again."""
    note = session.get(Notification, notification_id)
    if note is None:
        raise HTTPException(404, f"no notification {notification_id}")
    decision = access.check(note)
    if not decision.allowed:
        raise HTTPException(403, decision.reason)
    mark_read(session, note, access.principal.as_actor())
    return _back_to_the_page()


@router.post(PAGE + "/read-all")
def mark_all_read(session: SessionDep, access: MarksNotices) -> Response:
    """Mark every unread notice of the caller read, then show the page again."""
    principal = access.principal
    unread = session.scalars(
        select(Notification)
        .where(
            access.filter(Notification),
            Notification.read_at.is_(None),
        )
        .order_by(Notification.id)
    )
    actor = principal.as_actor()
    for note in unread:
        mark_read(session, note, actor)
    return _back_to_the_page()


def _running_clocks(session: Session, principal: Principal) -> list[dict[str, Any]] | None:
    """Running clocks with their flags, or None when the policy does not show them."""
    if not may(principal, Action.READ, ResourceType.EARLY_WARNING):
        return None
    clocks = list_clocks(session)
    for clock in clocks:
        clock["started"] = datetime.fromisoformat(clock["started_at"])
        clock["ends"] = datetime.fromisoformat(clock["ends_at"])
    return clocks


def _incidents_of_reports(
    session: Session, principal: Principal, codes: Iterable[str]
) -> dict[str, str]:
    """Report code -> code of the incident it is linked to, if the principal may read it."""
    wanted = sorted(set(codes))
    if not wanted:
        return {}
    rows = session.execute(
        select(Report.code, Incident.code)
        .join(IncidentReportLink, IncidentReportLink.report_id == Report.id)
        .join(Incident, Incident.id == IncidentReportLink.incident_id)
        .where(
            Report.code.in_(wanted),
            IncidentReportLink.unlinked_at.is_(None),
            incident_filter(principal),
        )
        .order_by(IncidentReportLink.id)
    )
    found: dict[str, str] = {}
    for report_code, incident_code in rows:
        found.setdefault(report_code, incident_code)
    return found


def _readable_incidents(session: Session, principal: Principal, codes: Iterable[str]) -> set[str]:
    wanted = sorted(set(codes))
    if not wanted:
        return set()
    query = select(Incident.code).where(Incident.code.in_(wanted), incident_filter(principal))
    return set(session.scalars(query))


def _incident_of(
    note: Notification, report_incidents: dict[str, str], readable: set[str]
) -> str | None:
    if note.object_type == "report":
        return report_incidents.get(note.object_id)
    if note.object_type == "incident" and note.object_id in readable:
        return note.object_id
    return None


@router.get(PAGE + "/{notification_id}/read", include_in_schema=False)
@router.get(PAGE + "/read-all", include_in_schema=False)
def notification_action_address(_: Public) -> Response:
    """Marking read is a POST; a GET on its address (a reload) shows the page instead of 405."""
    return RedirectResponse(PAGE, status_code=303)


def unread_notifications(session: Session, principal: Principal) -> int:
    """The principal's unread notifications, for the badge beside the navigation link.

    Called by the template only when it draws that link (signed-in visitors;
    never for the public or the public view, which renders as ``PUBLIC``): one
    COUNT on an index, in the short session the HTTP layer opens on the app's
    engine (``rendering.nav_badge``), so that every page gets it without passing
    its own session here.
    """
    if not principal.signed_in:
        return 0
    return unread_count(session, principal)
