"""Pages for agreements and designations: texts and clauses with their versions, the
designation matrix (where the parties diverge) and the impact replay.

All data comes from the owning contexts' services: ``truceline.agreements.services``
(stored agreement versions) and ``truceline.designations`` (``queries.divergence_matrix``,
``replay.replay``). These are reference documents of the mechanism, readable by
everyone, like the JSON API they mirror (``/api/agreements``, ``/api/designations/...``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from truceline.agreements import services as agreements
from truceline.agreements.pages.labels import FINDING_LABELS
from truceline.agreements.versions import effective_start
from truceline.db.bounds import Count
from truceline.designations import queries as designations
from truceline.designations.domain.positions import Stance
from truceline.designations.replay import candidate_definition, replay
from truceline.http.deps import Public, SessionDep
from truceline.http.i18n import N_, CurrentUI
from truceline.http.labels import PARTY_NAMES
from truceline.http.registry import AppRegistry, NavItem
from truceline.http.rendering import render_page

router = APIRouter(include_in_schema=False)


def register_http(registry: AppRegistry) -> None:
    """The agreement and designation pages and their navigation links."""
    registry.add_router(router)
    registry.add_nav(NavItem("/agreements", N_("Agreements"), order=100))
    registry.add_nav(NavItem("/designations", N_("Designations"), order=110))


#: Threat definitions the replay page compares: each party's list and the joint one.
REPLAY_LISTS = ("joint", "AF", "PK")

#: Labels of the threat lists offered by the replay page (the code stays the option's value).
REPLAY_LIST_LABELS: dict[str, str] = {
    "joint": N_("Joint list"),
    "AF": N_("Afghanistan's list"),
    "PK": N_("Pakistan's list"),
}

#: Labels of a holder's stance on a group (``designations.domain.positions.Stance``); the
#: matrix keeps the code in ``data-stance``. A unit test checks that every stance has one.
STANCE_LABELS: dict[str, str] = {
    Stance.DESIGNATED: N_("Designated"),
    Stance.NOT_DESIGNATED: N_("Not designated"),
    Stance.DISPUTED: N_("Disputed"),
    Stance.UNKNOWN: N_("Unknown"),
}


#: Labels of the non-numeric ``duration_hours`` of an agreement document (schema.py); a
#: number of hours is shown as such.
DURATION_LABELS: dict[str, str] = {
    "open_ended": N_("open-ended"),
    "unknown": N_("duration not public"),
}
#: What a person reads for the codes of the agreement schema (``docs/agreement.schema.json``).
KIND_LABELS: dict[str, str] = {
    "truce": N_("truce"),
    "truce_extension": N_("extension of a truce"),
    "ceasefire": N_("ceasefire"),
    "mechanism": N_("monitoring and verification mechanism"),
}
PROHIBITED_LABELS: dict[str, str] = {
    "targeting_security_forces": N_("targeting the other side's security forces"),
    "targeting_civilians": N_("targeting civilians"),
    "targeting_critical_infrastructure": N_("targeting critical infrastructure"),
    "incursion": N_("incursion across the boundary"),
    "support_to_hostile_groups": N_("support to groups attacking the other side"),
}
#: How a party assesses a designation criterion for a group.
ASSESSMENT_LABELS: dict[str, str] = {
    "met": N_("met"),
    "not_met": N_("not met"),
    "contested": N_("contested"),
    "unknown": N_("not assessed"),
}
LABELS = {"kind_labels": KIND_LABELS, "prohibited_labels": PROHIBITED_LABELS}


@router.get("/agreements", response_class=HTMLResponse)
def agreement_list(
    request: Request, session: SessionDep, principal: Public, ui: CurrentUI
) -> HTMLResponse:
    """Every stored agreement with its current version."""
    rows = [
        (agreement, agreements.agreement_versions(session, agreement.id)[-1:])
        for agreement in agreements.list_agreements(session)
    ]
    listed = []
    for agreement, versions in rows:
        doc = versions[0].document if versions else {}
        clauses, _origin = agreements.clauses_with_origin(session, doc)
        listed.append((agreement, doc, len(clauses)))
    return render_page(request, ui, principal, "agreements.html", {"agreements": listed, **LABELS})


@router.get("/agreements/{agreement_id}", response_class=HTMLResponse)
def agreement_page(
    request: Request,
    session: SessionDep,
    principal: Public,
    ui: CurrentUI,
    agreement_id: str,
    version: Annotated[Count | None, Query(ge=1)] = None,
) -> HTMLResponse:
    """One agreement's text and clauses, at its current or a chosen version."""
    versions = agreements.agreement_versions(session, agreement_id)
    if not versions:
        raise HTTPException(404, f"no agreement {agreement_id!r}")
    chosen = (
        versions[-1]
        if version is None
        else next((v for v in versions if v.version == version), None)
    )
    if chosen is None:
        raise HTTPException(404, f"{agreement_id} has no version {version}")
    clauses, carried_over_from = agreements.clauses_with_origin(session, chosen.document)
    context = {
        "versions": versions,
        "chosen": chosen,
        "doc": chosen.document,
        "clauses": clauses,
        "carried_over_from": carried_over_from,
        "governs_from": effective_start(chosen),
        "duration_labels": DURATION_LABELS,
        "party_names": PARTY_NAMES,
        **LABELS,
    }
    return render_page(request, ui, principal, "agreement.html", context)


def _as_of(value: date | None) -> date:
    return value or datetime.now(UTC).date()


@router.get("/designations", response_class=HTMLResponse)
def designation_matrix(
    request: Request,
    session: SessionDep,
    principal: Public,
    ui: CurrentUI,
    as_of: date | None = None,
) -> HTMLResponse:
    """The group × party matrix on a day, rows where the parties diverge marked."""
    day = _as_of(as_of)
    matrix = designations.divergence_matrix(session, as_of=day)
    context = {
        "matrix": matrix,
        "as_of": day,
        "party_names": PARTY_NAMES,
        "stance_labels": STANCE_LABELS,
        "assessment_labels": ASSESSMENT_LABELS,
        "criterion_titles": {c["code"]: c["title"] for c in matrix.get("criteria", [])},
    }
    return render_page(request, ui, principal, "designations.html", context)


@router.get("/designations/replay", response_class=HTMLResponse)
def designation_replay(
    request: Request,
    session: SessionDep,
    principal: Public,
    ui: CurrentUI,
    candidate: Annotated[str, Query(max_length=64)] = "AF",
    baseline: Annotated[str, Query(max_length=64)] = "joint",
) -> HTMLResponse:
    """Which findings on the stored incidents change if ``candidate``'s list applied."""
    # Only the named lists: a what-if file path (allowed on the command line) is not for the web.
    errors = {
        name: N_("Choose one of the lists offered.")
        for name, value in (("candidate", candidate), ("baseline", baseline))
        if value not in REPLAY_LISTS
    }
    result: dict[str, Any] | None = None
    if not errors:
        result = replay(
            session,
            candidate=candidate_definition(session, candidate),
            baseline=candidate_definition(session, baseline),
        )
    context = {
        "lists": REPLAY_LISTS,
        "list_labels": REPLAY_LIST_LABELS,
        "candidate": candidate,
        "baseline": baseline,
        "result": result,
        "errors": errors,
        "finding_labels": FINDING_LABELS,
        "party_names": PARTY_NAMES,
    }
    status = 422 if errors else 200
    return render_page(request, ui, principal, "replay.html", context, status_code=status)
