"""The submission forms: a party liaison files an allegation, a monitor or community
reporter submits a report. One short form that works on a phone.

The form posts to the same address; intake's ``submit_report`` stores the report
and links it to an incident (``truceline.intake.services``). The accounts
policy decides who may submit (``report`` / ``create``: a liaison only in the
name of their own party), declared in each route's signature (``PageAccess``:
visitors sign in first); what an account files as is intake's one rule
(``intake.submitters.source_of``), as for the API. Every form carries the CSRF field and a hidden
``client_token`` generated when the form is drawn: if the connection drops and
the user sends the form again, intake returns the report already stored under
that token instead of filing it twice. Invalid fields are reported next to the
field, in the page's language (``FIELD_MESSAGES``).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from truceline.accounts.access import Access, PageAccess
from truceline.accounts.policy import Action, ResourceType
from truceline.accounts.roles import Principal
from truceline.config import get_settings
from truceline.content_store import ContentStore
from truceline.events.taxonomy import EVENT_TYPES
from truceline.events.taxonomy import acled_label as event_type_label
from truceline.http.access import may
from truceline.http.deps import SessionDep
from truceline.http.i18n import N_, CurrentUI, UIContext
from truceline.http.labels import PARTY_NAMES
from truceline.http.registry import AppRegistry, NavItem
from truceline.http.rendering import render_page
from truceline.incidents.models import Incident
from truceline.incidents.pages.visibility import may_read
from truceline.intake.schemas import Channel, IntakeSourceType, ReportSubmission, SubmissionResult
from truceline.intake.services import IntakeError, submit_report
from truceline.intake.submitters import source_of

router = APIRouter(include_in_schema=False)
#: Signed-in accounts the policy lets file a report (the party it speaks for: ``require_submitter``).
SubmitsReports = Annotated[
    Access,
    PageAccess(Action.CREATE, ResourceType.REPORT, signed_in=True, next_page="/intake/report"),
]


def register_http(registry: AppRegistry) -> None:
    """The report form and its navigation link."""
    registry.add_router(router)
    registry.add_nav(NavItem("/intake/report", N_("Report"), order=30, signed_in=True))


FIELDS = (
    "text", "occurred_on", "occurred_time", "place_text", "lat", "lon", "event_type", "kind",
    "origin", "relayed_from",
)  # fmt: skip
#: How the submitter knows (``events.provenance.Origin``); empty: the source type's default.
ORIGIN_CHOICES: dict[str, str] = {
    "witnessed": N_("I saw it, or its aftermath, myself"),
    "official_statement": N_("It is an official statement"),
    "relayed": N_("I pass on what another source said"),
}
#: What a party's report is (``events.provenance.ReportKind``).
KIND_CHOICES: dict[str, str] = {
    "allegation": N_("An allegation against the other party"),
    "denial": N_("An answer to an allegation against my party"),
}

#: The message shown under a field when intake refuses its value (translated on the page).
FIELD_MESSAGES: dict[str, str] = {
    "text": N_("Write what happened, in your own words."),
    "occurred_on": N_("Give the day as a date that is not in the future."),
    "occurred_time": N_("Give the time as hours and minutes, e.g. 16:30."),
    "lat": N_("Latitude is a number between -90 and 90, e.g. 32.93."),
    "lon": N_("Longitude is a number between -180 and 180, e.g. 69.17."),
    "event_type": N_("Choose a type from the list."),
    "place_text": N_("The place description is too long."),
    "client_token": N_("This form expired: reload the page and send it again."),
    "kind": N_("An allegation accuses the other party: to answer one, choose the answer."),
    "origin": N_("Choose how you know from the list."),
    "relayed_from": N_(
        "Name the source you pass on (at most 300 characters), or choose another answer."
    ),
}
GENERIC_ERROR = N_("This value is not accepted.")


@dataclass(frozen=True)
class FormKind:
    """What the form files for one principal: an allegation or a report."""

    source_type: IntakeSourceType
    title: str
    party: str | None


def form_kind(principal: Principal) -> FormKind:
    """The form for what the account files as (``intake.submitters.source_of``)."""
    source = source_of(principal)
    allegation = source.source_type is IntakeSourceType.PARTY_LIAISON
    title = N_("File an allegation") if allegation else N_("Submit a report")
    return FormKind(source.source_type, title, source.party)


def require_submitter(principal: Principal, kind: FormKind) -> None:
    """The policy lets the account create a report in the name the form files it under."""
    if not may(principal, Action.CREATE, ResourceType.REPORT, owner_party=kind.party):
        raise HTTPException(403, f"a {principal.role.value} may not submit reports")


def _render_form(
    request: Request,
    ui: UIContext,
    principal: Principal,
    kind: FormKind,
    values: dict[str, str],
    errors: dict[str, str],
    status_code: int = 200,
) -> HTMLResponse:
    context = {
        "kind": kind,
        "values": values,
        "errors": errors,
        "event_types": [(key, event_type_label(key)) for key in EVENT_TYPES],
        "client_token": values.get("client_token") or secrets.token_urlsafe(18),
        "party_names": PARTY_NAMES,
        "origin_choices": ORIGIN_CHOICES,
        "kind_choices": KIND_CHOICES,
    }
    return render_page(request, ui, principal, "report_form.html", context, status_code=status_code)


@router.get("/intake/report", response_class=HTMLResponse)
def report_form(request: Request, access: SubmitsReports, ui: CurrentUI) -> Response:
    """The empty form (a fresh client token each time it is drawn)."""
    principal = access.principal
    kind = form_kind(principal)
    require_submitter(principal, kind)
    return _render_form(request, ui, principal, kind, {}, {})


@router.post("/intake/report", response_class=HTMLResponse)
async def submit_report_form(
    request: Request, session: SessionDep, access: SubmitsReports, ui: CurrentUI
) -> HTMLResponse:
    """Validate, submit through intake, and show the receipt (or the form with its errors)."""
    principal = access.principal
    kind = form_kind(principal)
    require_submitter(principal, kind)
    form = await request.form()
    values = {name: str(form.get(name, "")).strip() for name in (*FIELDS, "client_token")}
    values["text"] = str(form.get("text", ""))
    submission, errors = build_submission(values, kind, principal, ui)
    if submission is None:
        return _render_form(request, ui, principal, kind, values, errors, status_code=422)
    return _store(request, session, ui, principal, kind, values, submission)


def _store(
    request: Request,
    session: Session,
    ui: UIContext,
    principal: Principal,
    kind: FormKind,
    values: dict[str, str],
    submission: ReportSubmission,
) -> HTMLResponse:
    try:
        result = submit_report(
            session,
            submission,
            actor=principal.as_actor(),
            store=ContentStore.under(get_settings().data_dir),
        )
    except IntakeError as exc:
        field = exc.field if exc.field in FIELD_MESSAGES else "text"
        errors = {field: FIELD_MESSAGES.get(field, GENERIC_ERROR)}
        return _render_form(request, ui, principal, kind, values, errors, status_code=422)
    context = {
        "kind": kind,
        "result": result,
        "incident_code": _incident_code(session, result, principal),
    }
    return render_page(request, ui, principal, "report_filed.html", context)


def _incident_code(session: Session, result: SubmissionResult, principal: Principal) -> str | None:
    """The incident the report joined, if the submitter may open its page."""
    incident_id = result.link.incident_id if result.link else None
    incident = session.get(Incident, incident_id) if incident_id else None
    return incident.code if incident and may_read(principal, incident) else None


def build_submission(
    values: dict[str, str], kind: FormKind, principal: Principal, ui: UIContext
) -> tuple[ReportSubmission | None, dict[str, str]]:
    """The intake submission for the form's values, or the errors by field."""
    errors: dict[str, str] = {}
    occurred_at = _occurred_at(values, ui, errors)
    lat = _number(values, "lat", errors)
    lon = _number(values, "lon", errors)
    if values["event_type"] and values["event_type"] not in EVENT_TYPES:
        errors["event_type"] = FIELD_MESSAGES["event_type"]
    data: dict[str, Any] = {
        "client_token": values["client_token"] or None,
        "channel": Channel.WEB,
        "source_type": kind.source_type,
        "source_party": kind.party,
        "source_name": principal.name,
        "text": values["text"],
        "occurred_at": occurred_at,
        "lat": lat,
        "lon": lon,
        "place_text": values["place_text"],
        "event_type": values["event_type"] or None,
        "kind": (values["kind"] or None) if kind.party else None,
        "origin": values["origin"] or None,
        "relayed_from": values["relayed_from"] or None,
    }
    try:
        submission = ReportSubmission.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            field = _form_field(
                str(error["loc"][0]) if error["loc"] else _named_field(error["msg"])
            )
            errors.setdefault(field, FIELD_MESSAGES.get(field, GENERIC_ERROR))
        return None, errors
    return (None, errors) if errors else (submission, errors)


def _named_field(message: str) -> str:
    """The field a whole-submission check names first ("relayed_from: …"), else the text."""
    name = message.removeprefix("Value error, ").partition(":")[0]
    return name if name in FIELDS else "text"


def _form_field(model_field: str) -> str:
    return {"occurred_at": "occurred_on"}.get(model_field, model_field)


def _number(values: dict[str, str], name: str, errors: dict[str, str]) -> float | None:
    text = values[name].replace("٫", ".").replace(",", ".")
    if not text:
        return None
    try:
        return float(text.translate(_EASTERN_DIGITS))
    except ValueError:
        errors[name] = FIELD_MESSAGES[name]
        return None


#: Arabic-Indic and Persian digits typed on a phone keyboard read as ASCII digits.
_EASTERN_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def _occurred_at(values: dict[str, str], ui: UIContext, errors: dict[str, str]) -> datetime | None:
    """The day and time typed, read in the zone the page shows (the user's local time)."""
    day, clock = values["occurred_on"], values["occurred_time"] or "12:00"
    if not day:
        return None
    try:
        local = datetime.fromisoformat(f"{day}T{clock.translate(_EASTERN_DIGITS)}")
    except ValueError:
        errors["occurred_time" if values["occurred_time"] else "occurred_on"] = FIELD_MESSAGES[
            "occurred_time" if values["occurred_time"] else "occurred_on"
        ]
        return None
    instant = local.replace(tzinfo=ZoneInfo(ui.zone)).astimezone(UTC)
    if instant > datetime.now(UTC):
        errors["occurred_on"] = FIELD_MESSAGES["occurred_on"]
        return None
    return instant
