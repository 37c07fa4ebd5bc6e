"""The requests forms: submit, take a step, add intelligence, release it, judge outcomes.

Each form posts (with its CSRF field), then redirects to the request's page
(POST-redirect-GET). A refusal re-renders the page with the message of its
``code`` in the reader's language, beside the field it names (422); nothing is
stored, since the work runs in a savepoint. A GET on a form's address leads
back to its page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from truceline.accounts.access import Access
from truceline.accounts.policy import AccessDenied, Action, ResourceType
from truceline.action_requests import intelligence, outcomes
from truceline.action_requests.domain import Step, parse_choice
from truceline.action_requests.exceptions import RequestRefused, UnknownGroup
from truceline.action_requests.pages import labels
from truceline.action_requests.pages.access import PageAccess
from truceline.action_requests.pages.views import common, detail_context, readable_request
from truceline.action_requests.services import RequestSpec, StepInput, submit_request, take_step
from truceline.config import get_settings
from truceline.db.base import utcnow
from truceline.http.deps import Public, SessionDep
from truceline.http.i18n import CurrentUI, UIContext
from truceline.http.rendering import render_page

router = APIRouter(include_in_schema=False)
CreateRequests = Annotated[Access, PageAccess(Action.CREATE, ResourceType.ACTION_REQUEST)]
UpdateRequests = Annotated[Access, PageAccess(Action.UPDATE, ResourceType.ACTION_REQUEST)]
CreatePackages = Annotated[Access, PageAccess(Action.CREATE, ResourceType.INTELLIGENCE)]
ReleasePackages = Annotated[Access, PageAccess(Action.RELEASE, ResourceType.INTELLIGENCE)]
JudgeRequests = Annotated[Access, PageAccess(Action.CREATE, ResourceType.FINDING)]
Field = Annotated[str, Form(max_length=20_000)]


def message_of(error: Exception, ui: UIContext) -> tuple[str, str]:
    """(field, translated message) of a refusal, by its code."""
    if isinstance(error, AccessDenied):
        return "step", ui.gettext(labels.MESSAGES["access_denied"])
    assert isinstance(error, RequestRefused)
    field = error.field or "form"
    if isinstance(error, UnknownGroup):
        closest = ", ".join(f"{alias} ({group})" for alias, group in error.closest)
        return field, ui.gettext(labels.MESSAGES["unknown_group"]) % {"closest": closest or "—"}
    if error.code.startswith("unknown_"):
        return field, ui.gettext(labels.INVALID_CHOICE)
    text = labels.MESSAGES.get(error.code)
    return field, ui.gettext(text) if text else error.field or error.code


def _back(code: str) -> RedirectResponse:
    return RedirectResponse(f"/requests/{code}", status_code=303)


def _on_request_page(
    request: Request, session: Session, access: Access, ui: UIContext, code: str,
    work: Callable[[Any], object],
) -> Response:  # fmt: skip
    """Run ``work`` on the request in a savepoint; back to its page, or the page with errors."""
    found = readable_request(session, access.principal, code[:40])
    try:
        with session.begin_nested():
            work(found)
    except (RequestRefused, AccessDenied) as error:
        field, text = message_of(error, ui)
        context = {**detail_context(session, access.principal, found, ui), "errors": {field: text}}
        return render_page(request, ui, access.principal, "requests/detail.html", context,
                           status_code=422)  # fmt: skip
    return _back(found.code)


@router.post("/requests/new")
def submit_form(
    request: Request, session: SessionDep, access: CreateRequests, ui: CurrentUI,
    group: Field = "", asked_action: Field = "", target_kind: Field = "group",
    target_detail: Field = "", clause: Field = "", summary: Field = "", tlp: Field = "amber",
) -> Response:  # fmt: skip
    """File the request, then open its page."""
    values = {
        "group": group,
        "asked_action": asked_action,
        "target_kind": target_kind,
        "target_detail": target_detail,
        "clause": clause,
        "summary": summary,
        "tlp": tlp,
    }
    spec = RequestSpec(
        group=group,
        asked_action=asked_action,
        target_kind=target_kind,
        target_detail=target_detail,
        clause=clause,
        summary=summary,
        tlp=tlp,
    )
    try:
        with session.begin_nested():
            made = submit_request(session, access.principal, spec, now=utcnow())
    except (RequestRefused, AccessDenied) as error:
        field, text = message_of(error, ui)
        context = {**common(), "values": values, "errors": {field: text}}
        return render_page(request, ui, access.principal, "requests/new.html", context,
                           status_code=422)  # fmt: skip
    return _back(made.code)


@router.post("/requests/{request_code}/steps")
def step_form(
    request: Request, request_code: str, session: SessionDep, access: UpdateRequests,
    ui: CurrentUI, step: Field = "", note: Field = "", reason: Field = "",
    response_kind: Field = "", outcome: Field = "",
) -> Response:  # fmt: skip
    """Take one step of the workflow."""
    given = StepInput(note=note, reason=reason or None, response_kind=response_kind or None,
                      outcome=outcome or None)  # fmt: skip

    def work(found: Any) -> object:
        chosen = parse_choice(Step, step, field="step")
        return take_step(session, access.principal, found, chosen, now=utcnow(), given=given)

    return _on_request_page(request, session, access, ui, request_code, work)


@router.post("/requests/{request_code}/intelligence")
def package_form(
    request: Request, request_code: str, session: SessionDep, access: CreatePackages,
    ui: CurrentUI, title: Field = "", body: Field = "", tlp: Field = "amber",
    audience: Field = "mediator",
) -> Response:  # fmt: skip
    """Seal an intelligence package to its readers, attached to this request."""

    def work(found: Any) -> object:
        return intelligence.create_package(
            session, access.principal, title=title, body=body, tlp=tlp, audience=audience,
            keys_dir=get_settings().resolved_keys_dir, request=found,
        )  # fmt: skip

    return _on_request_page(request, session, access, ui, request_code, work)


@router.post("/requests/{request_code}/release")
def release_form(
    request: Request, request_code: str, session: SessionDep, access: ReleasePackages,
    ui: CurrentUI, package: Field = "",
) -> Response:  # fmt: skip
    """Release one of the caller's party's packages to the other party (explicit, audited)."""

    def work(found: Any) -> object:
        row = intelligence.find_package(session, access.principal, package[:40])
        if row.request_id != found.id:
            raise RequestRefused("not_found", "package: not attached here", field="package")
        return intelligence.release_package(session, access.principal, row,
                                            keys_dir=get_settings().resolved_keys_dir,
                                            now=utcnow())  # fmt: skip

    return _on_request_page(request, session, access, ui, request_code, work)


@router.post("/requests/{request_code}/judge")
def judge_form(
    request: Request, request_code: str, session: SessionDep, access: JudgeRequests,
    ui: CurrentUI,
) -> Response:  # fmt: skip
    """Judge the addressed party's responses about this request's group."""

    def work(found: Any) -> object:
        return outcomes.judge_group(session, access.principal, found.group_id,
                                    found.addressed_party, now=utcnow())  # fmt: skip

    return _on_request_page(request, session, access, ui, request_code, work)


@router.get("/requests/{request_code}/steps")
@router.get("/requests/{request_code}/intelligence")
@router.get("/requests/{request_code}/release")
@router.get("/requests/{request_code}/judge")
def form_address(_: Public, request_code: str) -> Response:
    """A form's address: a GET (a reload) leads back to the request's page."""
    return _back(request_code[:40])
