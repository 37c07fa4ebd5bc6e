"""The analysts' triage pages: the queue of reports, and one report with its candidate incidents.

``/triage`` lists the reports that need an analyst; ``/triage/reports/{id}``
shows one report with the incidents the linker scores it against and the
forms that act on it: confirm its link, link it elsewhere, open a new
incident, merge two incidents, split reports out of an incident, undo a
merge or split. The actions call the same services as the JSON API and the
CLI (``incidents.services``, ``incidents.curation``), so every change
is audited there.

Each form posts to its own address with the CSRF field; on success the answer
is a 303 back to the report page with ``?done=...`` (a confirmation that
survives a reload, and a reload does not post twice). A refusal redraws the
page with the message next to the form, in the reader's language: 422 when a
service refuses (``LinkingError``, ``CurationError``, ``IntakeError``) and 403
when the policy does (``AccessDenied``). A refused action runs in a savepoint,
so nothing of it stays behind. On SQLite the database write lock is taken
first (``curation.take_write_lock``) so that two analysts queue instead of failing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from truceline.accounts.policy import AccessDenied, Action, Resource, require
from truceline.accounts.roles import Principal
from truceline.accounts.scoping import resource_of
from truceline.db.bounds import RecordId
from truceline.errors import CodedError
from truceline.events.taxonomy import SourceType
from truceline.events.taxonomy import acled_label as event_type_label
from truceline.http.deps import Public, SessionDep
from truceline.http.i18n import N_, CurrentUI, UIContext
from truceline.http.labels import PARTY_NAMES
from truceline.http.registry import AppRegistry, NavItem
from truceline.http.rendering import render_page
from truceline.incidents.curation import (
    CurationError,
    merge_incidents,
    split_incident,
    take_write_lock,
    undo_operation,
)
from truceline.incidents.models import Incident, IncidentOperation, Report
from truceline.incidents.services import LinkingError, confirm_link, open_incident_for
from truceline.intake.proposals import reviewed_facts
from truceline.intake.services import IntakeError
from truceline.verification.pages import triage_messages as msg
from truceline.verification.pages.access import TriageAnalyst
from truceline.verification.pages.labels import state_label
from truceline.verification.pages.triage_facts import (
    DECISION_LABELS,
    FIELD_LABELS,
    ReviewRefused,
    facts_view,
    review_from_form,
)
from truceline.verification.pages.triage_queries import (
    ACTION_PERMISSIONS,
    LOW_SCORE,
    done_values,
    incident_by_code,
    may_triage,
    number,
    report_detail,
    reported_incidents,
    triage_queue,
)

router = APIRouter(include_in_schema=False)


def register_http(registry: AppRegistry) -> None:
    """The triage pages; their link is shown to whom the policy lets triage."""
    registry.add_router(router)
    registry.add_nav(NavItem("/triage", N_("Triage"), order=40, shown=may_triage))


PageNumber = Annotated[int, Query(ge=1, le=100_000)]


async def read_form(request: Request) -> FormData:
    """The posted form, read before the (synchronous) route runs in the thread pool."""
    return await request.form()


FormDep = Annotated[FormData, Depends(read_form)]


class FormProblem(ValueError):
    """A form the page refuses before asking a service (a missing or unknown choice)."""

    def __init__(self, phrase: msg.Phrase) -> None:
        super().__init__(phrase.message)
        self.phrase = phrase


@dataclass(frozen=True)
class Refusal:
    """Why an action was refused, shown next to its form (``form``)."""

    form: str
    phrase: msg.Phrase
    detail: str = ""


@dataclass(frozen=True)
class Done:
    """A successful action: the confirmation's key and the values it names."""

    key: str
    values: dict[str, str | int] = field(default_factory=dict)


def _load_report(session: Session, principal: Principal, report_id: int) -> Report:
    """The report, or 404; the policy still answers for this one report (its ``read`` rule)."""
    report = session.get(Report, report_id)
    if report is None:
        raise HTTPException(404, f"report {report_id} does not exist")
    require(principal, Action.READ, resource_of(report))
    return report


LABELS = {
    "queue_filters": msg.QUEUE_FILTERS,
    "source_type_labels": msg.SOURCE_TYPE_LABELS,
    "link_method_labels": msg.LINK_METHOD_LABELS,
    "decision_labels": msg.DECISION_LABELS,
    "operation_labels": msg.OPERATION_LABELS,
    "label": msg.label,
    "party_names": PARTY_NAMES,
    "state_label": state_label,
    "event_type_label": event_type_label,
    "low_score": LOW_SCORE,
}


@router.get("/triage", response_class=HTMLResponse)
def triage_page(
    request: Request,
    session: SessionDep,
    principal: TriageAnalyst,
    ui: CurrentUI,
    show: str = "attention",
    source_type: str = "",
    page: PageNumber = 1,
) -> Response:
    """The queue, newest first, and the incidents still in the ``reported`` state."""
    if not principal.signed_in:
        return RedirectResponse("/login?next=/triage", status_code=303)
    context = {
        **LABELS,
        "queue": triage_queue(session, principal, show=show, source_type=source_type, page=page),
        "source_types": [t.value for t in SourceType],
        "reported": reported_incidents(session, principal),
    }
    return render_page(request, ui, principal, "triage.html", context)


@router.get("/triage/reports/{report_id}", response_class=HTMLResponse)
def triage_report_page(
    request: Request,
    session: SessionDep,
    principal: TriageAnalyst,
    ui: CurrentUI,
    report_id: RecordId,
    done: str = "",
) -> Response:
    """One report with its candidates and the actions; ``?done=`` confirms the last action."""
    if not principal.signed_in:
        return RedirectResponse(f"/login?next=/triage/reports/{report_id}", status_code=303)
    report = _load_report(session, principal, report_id)
    confirmation = None
    if done in msg.DONE_MESSAGES:
        values = done_values(session, dict(request.query_params))
        confirmation = msg.page_phrase(msg.DONE_MESSAGES[done], **values)
    return _render_report(request, session, principal, ui, report, confirmation=confirmation)


def _render_report(
    request: Request,
    session: Session,
    principal: Principal,
    ui: UIContext,
    report: Report,
    *,
    confirmation: msg.Phrase | None = None,
    refusal: Refusal | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    context = {
        **LABELS,
        "detail": report_detail(session, report, principal),
        "facts": facts_view(session, report, principal),
        "fact_labels": FIELD_LABELS,
        "fact_decisions": DECISION_LABELS,
        "confirmation": confirmation,
        "refusal": refusal,
    }
    return render_page(
        request, ui, principal, "triage_report.html", context, status_code=status_code
    )


TriageAction = Callable[[Session, Report, FormData, Principal], Done]


def _act(
    request: Request,
    session: Session,
    principal: Principal,
    ui: UIContext,
    report_id: RecordId,
    form: FormData,
    name: str,
    action: TriageAction,
) -> Response:
    """Run one action in a savepoint; redirect on success, redraw with the refusal otherwise."""
    take_write_lock(session)
    report = _load_report(session, principal, report_id)
    try:
        with session.begin_nested():
            done = action(session, report, form, principal)
    except (AccessDenied, FormProblem, LinkingError, CurationError, IntakeError) as exc:
        refusal, status_code = _refusal(name, exc)
        session.expire_all()  # the savepoint was rolled back: read everything afresh
        return _render_report(
            request, session, principal, ui, report, refusal=refusal, status_code=status_code
        )
    query = urlencode({"done": done.key, **done.values})
    return RedirectResponse(f"/triage/reports/{report.id}?{query}", status_code=303)


def _refusal(name: str, exc: Exception) -> tuple[Refusal, int]:
    """The message and status of a refusal: 403 from the policy, 422 from the form or a service."""
    if isinstance(exc, AccessDenied):
        return Refusal(name, msg.page_phrase(msg.ACCESS_DENIED), exc.decision.reason), 403
    if isinstance(exc, FormProblem):
        return Refusal(name, exc.phrase), 422
    return _service_refusal(name, exc), 422


def _service_refusal(name: str, exc: Exception) -> Refusal:
    """A service's refusal in the reader's language; an unknown one keeps its own words."""
    phrase = msg.refusal_phrase(exc) if isinstance(exc, CodedError) else None
    if phrase is not None and phrase.known:
        return Refusal(name, phrase)
    return Refusal(name, msg.page_phrase(msg.REFUSED), str(exc))


def _permit(principal: Principal, name: str, *incidents: Incident) -> None:
    """Ask the policy for the action, and whether each incident it touches may be read."""
    action, resource_type = ACTION_PERMISSIONS[name]
    require(principal, action, Resource(resource_type))
    for incident in incidents:
        require(principal, Action.READ, resource_of(incident))


def _int(form: FormData, name: str) -> int | None:
    return number(str(form.get(name) or ""))


def _incident(session: Session, form: FormData, name: str = "incident_id") -> Incident:
    """The incident a form names by id, or (for the link form) by code."""
    code = str(form.get("incident_code") or "").strip()
    if code and _int(form, name) is None:
        found = incident_by_code(session, code)
        if found is None:
            raise FormProblem(msg.page_phrase(msg.NO_SUCH_CODE, code=code[:64]))
        return found
    incident_id = _int(form, name)
    incident = session.get(Incident, incident_id) if incident_id is not None else None
    if incident is None:
        raise FormProblem(msg.page_phrase(msg.CHOOSE_INCIDENT))
    return incident


def _not_superseded(session: Session, report: Report) -> None:
    """A corrected version has handed its links to the newer one: link that one."""
    newer = session.scalars(select(Report.id).where(Report.supersedes_id == report.id)).first()
    if newer is not None:
        raise FormProblem(msg.page_phrase(msg.SUPERSEDED))


def _link(key: str) -> TriageAction:
    def link(session: Session, report: Report, form: FormData, principal: Principal) -> Done:
        _not_superseded(session, report)
        incident = _incident(session, form)
        _permit(principal, key, incident)
        confirm_link(session, report=report, incident_id=incident.id, actor=principal.as_actor())
        return Done("confirmed" if key == "confirm" else "linked", {"code": incident.code})

    return link


def _new_incident(session: Session, report: Report, _form: FormData, principal: Principal) -> Done:
    _not_superseded(session, report)
    _permit(principal, "new_incident")
    incident = open_incident_for(session, report, actor=principal.as_actor(), method="confirmed",
                                 read=reviewed_facts(session, report.id))  # fmt: skip
    return Done("opened", {"code": incident.code})


def _merge(session: Session, _report: Report, form: FormData, principal: Principal) -> Done:
    source_id, target_id = _int(form, "source_id"), _int(form, "target_id")
    if source_id is None or target_id is None:
        raise FormProblem(msg.page_phrase(msg.CHOOSE_TWO))
    _permit(principal, "merge", *_existing(session, source_id, target_id))
    operation = merge_incidents(session, source_id=source_id, target_id=target_id,
                                actor=principal.as_actor(), reason=_reason(form))  # fmt: skip
    target = session.get_one(Incident, target_id)
    return Done("merged", {"code": target.code, "op": operation.id})


def _split(session: Session, _report: Report, form: FormData, principal: Principal) -> Done:
    incident = _incident(session, form)
    report_ids = sorted(
        {n for v in form.getlist("report_ids") if (n := number(str(v))) is not None}
    )
    if not report_ids:
        raise FormProblem(msg.page_phrase(msg.CHOOSE_REPORTS))
    _permit(principal, "split", incident)
    operation = split_incident(session, incident_id=incident.id, report_ids=report_ids,
                               actor=principal.as_actor(), reason=_reason(form))  # fmt: skip
    new_incident = session.get_one(Incident, operation.target_incident_id)
    return Done("split", {"code": new_incident.code, "op": operation.id})


def _undo(session: Session, _report: Report, form: FormData, principal: Principal) -> Done:
    operation_id = _int(form, "operation_id")
    operation = session.get(IncidentOperation, operation_id) if operation_id is not None else None
    if operation is None:
        raise FormProblem(msg.page_phrase(msg.CHOOSE_OPERATION))
    ids = (operation.source_incident_id, operation.target_incident_id)
    _permit(principal, "undo", *_existing(session, *ids))
    undo = undo_operation(session, operation_id=operation.id, actor=principal.as_actor(),
                          reason=_reason(form))  # fmt: skip
    return Done("undone", {"op": operation.id, "undo": undo.id})


def _existing(session: Session, *ids: int) -> list[Incident]:
    """The incidents that exist among ``ids`` (the services refuse the missing ones)."""
    return [i for i in (session.get(Incident, n) for n in ids) if i is not None]


def _reason(form: FormData) -> str:
    return str(form.get("reason") or "").strip()[:2000]


def _review_fact(session: Session, report: Report, form: FormData, principal: Principal) -> Done:
    try:
        review = review_from_form(session, report, form, principal)
    except ReviewRefused as exc:
        raise FormProblem(msg.page_phrase(exc.message)) from None
    return Done("fact_" + review.decision, {})


ACTIONS: dict[str, TriageAction] = {
    "review-fact": _review_fact,
    "confirm": _link("confirm"),
    "link": _link("link"),
    "new-incident": _new_incident,
    "merge": _merge,
    "split": _split,
    "undo": _undo,
}


@router.post("/triage/reports/{report_id}/{verb}", response_class=HTMLResponse)
def triage_action(
    request: Request,
    session: SessionDep,
    principal: TriageAnalyst,
    ui: CurrentUI,
    report_id: RecordId,
    verb: str,
    form: FormDep,
) -> Response:
    """One of ``ACTIONS`` on the report's page: confirm, link, new-incident, merge, split, undo.

    The signature lets only analysts through (``TriageAnalyst``); the action itself is then
    asked of the policy with the report and incidents it touches (``ACTION_PERMISSIONS``)."""
    action = ACTIONS.get(verb)
    if action is None:
        raise HTTPException(404, f"no triage action {verb!r}")
    name = verb.replace("-", "_")
    return _act(request, session, principal, ui, report_id, form, name, action)


@router.get("/triage/reports/{report_id}/{verb}", include_in_schema=False)
def triage_action_address(_: Public, report_id: int, verb: str) -> Response:
    """A GET on an action's address (a reload of a form shown again with its errors) goes
    to the report's page instead of answering 405."""
    return RedirectResponse(f"/triage/reports/{report_id}", status_code=303)
