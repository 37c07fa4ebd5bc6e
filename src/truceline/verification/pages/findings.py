"""The Findings page (``/findings``): every current finding the caller may read, filtered.

Filters: agreement, party (the violating party), finding, and a period of the
incidents' dates. Who sees what is the accounts policy's: the ``finding``
rule decides whether unreleased findings are visible (the public sees only
released ones) and the incident filter (``visibility.incident_filter``, derived
from the same rules) keeps the incidents the caller may read.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import ColumnElement, select, true
from sqlalchemy.orm import Session

from truceline.accounts.policy import Action, Resource, ResourceType, authorize
from truceline.accounts.roles import Principal
from truceline.agreements.models import StoredFinding
from truceline.agreements.pages.labels import FINDING_COLOURS, FINDING_LABELS
from truceline.events.taxonomy import PARTY_CODES
from truceline.http.deps import Public, SessionDep
from truceline.http.i18n import N_, CurrentUI
from truceline.http.labels import PARTY_NAMES
from truceline.http.registry import AppRegistry, NavItem
from truceline.http.rendering import render_page
from truceline.incidents.models import Incident
from truceline.incidents.pages.visibility import incident_filter
from truceline.verification.pages.findings_view import agreement_titles

router = APIRouter(include_in_schema=False)


def register_http(registry: AppRegistry) -> None:
    """The findings page and its navigation link."""
    registry.add_router(router)
    registry.add_nav(NavItem("/findings", N_("Findings"), order=80))


PAGE_SIZE = 200


def findings_filter(principal: Principal) -> ColumnElement[bool]:
    """Unreleased findings only for those the policy lets read them; the public sees the
    findings of released incidents."""
    if authorize(principal, Action.READ, Resource(ResourceType.FINDING)).allowed:
        return true()
    return Incident.released.is_(True)


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def current_findings(
    session: Session,
    principal: Principal,
    *,
    agreement: str | None,
    party: str | None,
    finding: str | None,
    occurred_from: date | None,
    occurred_to: date | None,
) -> list[tuple[StoredFinding, Incident]]:
    stmt = (
        select(StoredFinding, Incident)
        .join(Incident, Incident.id == StoredFinding.incident_id)
        .where(
            StoredFinding.superseded_at.is_(None),
            incident_filter(principal),
            findings_filter(principal),
        )
        .order_by(Incident.occurred_at.desc(), StoredFinding.id)
        .limit(PAGE_SIZE)
    )
    if agreement:
        stmt = stmt.where(StoredFinding.agreement_id == agreement)
    if party:
        stmt = stmt.where(StoredFinding.violating_party == party)
    if finding:
        stmt = stmt.where(StoredFinding.finding == finding)
    if occurred_from:
        stmt = stmt.where(Incident.occurred_at >= datetime.combine(occurred_from, time(), UTC))
    if occurred_to:
        end = datetime.combine(occurred_to + timedelta(days=1), time(), UTC)
        stmt = stmt.where(Incident.occurred_at < end)
    return [(row, incident) for row, incident in session.execute(stmt)]


@router.get("/findings", response_class=HTMLResponse)
def findings_page(
    request: Request,
    session: SessionDep,
    principal: Public,
    ui: CurrentUI,
    agreement: Annotated[str | None, Query(max_length=64)] = None,
    party: Annotated[str | None, Query(max_length=8)] = None,
    finding: Annotated[str | None, Query(max_length=32)] = None,
    occurred_from: Annotated[str | None, Query(max_length=10)] = None,
    occurred_to: Annotated[str | None, Query(max_length=10)] = None,
) -> HTMLResponse:
    """Current findings, newest incident first, with their agreement and explanation.

    Anyone may call it (``Public``): the public sees the findings of released incidents,
    the others what the ``finding`` and incident rules let them read."""
    titles = agreement_titles(session)
    chosen = {
        "agreement": agreement if agreement in titles else None,
        "party": party if party in PARTY_CODES else None,
        "finding": finding if finding in FINDING_LABELS else None,
        "occurred_from": _day(occurred_from),
        "occurred_to": _day(occurred_to),
    }
    rows = current_findings(session, principal, **chosen)  # type: ignore[arg-type]
    context = {
        "rows": rows,
        "chosen": chosen,
        "agreement_titles": titles,
        "finding_labels": FINDING_LABELS,
        "finding_colours": FINDING_COLOURS,
        "party_names": PARTY_NAMES,
        "page_size": PAGE_SIZE,
        "only_released": not authorize(
            principal, Action.READ, Resource(ResourceType.FINDING)
        ).allowed,
    }
    return render_page(request, ui, principal, "findings.html", context)
