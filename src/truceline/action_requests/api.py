"""HTTP API of requests for action and intelligence packages (``/api/requests``, ``/api/intelligence``).

Each route states its access in its signature (``Authorized``); records are
then checked one by one by the same policy. A request or package the caller
may not read answers 404, as if it did not exist, so the other party cannot
learn of an undelivered request or an unreleased package by probing codes.
Domain refusals answer 422 (409 for a step the request's state forbids) with
``{"code", "field", "message"}``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Response
from pydantic import BaseModel, Field

from truceline.accounts.access import Access, Authorized
from truceline.accounts.policy import Action, ResourceType, authorize
from truceline.accounts.roles import Principal
from truceline.action_requests import intelligence, outcomes, queries, stix
from truceline.action_requests.access import request_resource
from truceline.action_requests.domain import Step
from truceline.action_requests.exceptions import RequestNotFound, RequestRefused
from truceline.action_requests.models import ActionRequest
from truceline.action_requests.services import (
    RequestSpec,
    StepInput,
    find_request,
    submit_request,
    take_step,
)
from truceline.config import get_settings
from truceline.db.base import utcnow
from truceline.db.bounds import Count
from truceline.http.deps import SessionDep

router = APIRouter(tags=["requests"])

STIX_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "A STIX 2.1 bundle",
        "content": {stix.MEDIA_TYPE: {"schema": {"type": "object"}}},
    }
}
Text = Annotated[str, Field(max_length=20_000)]
Short = Annotated[str, Field(max_length=200)]
Ref = Annotated[str, Field(max_length=40)]


class RequestIn(BaseModel):
    group: Short
    asked_action: Short
    target_kind: Short = "group"
    target_detail: Text = ""
    clause: Short
    agreement: Short | None = None
    summary: Text
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    tlp: Short = "amber"


class StepIn(BaseModel):
    step: Literal["admit", "return", "deliver", "acknowledge", "respond", "verify", "close"]
    note: Text = ""
    reason: Short | None = None
    response_kind: Short | None = None
    outcome: Short | None = None


class PackageIn(BaseModel):
    title: Short
    body: Text
    tlp: Short = "amber"
    audience: Short = "mediator"
    request: Ref | None = None


class StixImportIn(BaseModel):
    bundle: dict[str, Any]
    audience: Short = "mediator"
    request: Ref | None = None


class FindingIn(BaseModel):
    group: Short
    party: Short


@contextmanager
def refusals() -> Iterator[None]:
    """Domain refusals as HTTP answers naming the code and field."""
    try:
        yield
    except RequestNotFound as missing:
        raise HTTPException(404, detail=str(missing)) from None
    except RequestRefused as refused:
        status = 409 if refused.code == "step_not_allowed" else 422
        detail = {"code": refused.code, "field": refused.field, "message": str(refused)}
        raise HTTPException(status, detail=detail) from None


def _readable(session: Any, access: Access, ref: str) -> ActionRequest:
    """The request, or 404 when it does not exist or the caller may not read it."""
    with refusals():
        request = find_request(session, ref)
    if not authorize(access.principal, Action.READ, request_resource(request)).allowed:
        raise HTTPException(404, detail=f"no request {ref!r}")
    return request


@router.get("/api/requests")
def list_requests(
    session: SessionDep,
    access: Annotated[Access, Authorized(Action.READ, ResourceType.ACTION_REQUEST)],
    box: queries.Box | None = None,
    limit: Annotated[Count, Query(ge=1, le=1000)] = 50,
    offset: Annotated[Count, Query(ge=0)] = 0,
) -> dict[str, Any]:
    """A box of requests: outbox, inbox (delivered to the caller's party), screening, all."""
    chosen = box or queries.default_box(access.principal)
    page = queries.list_box(session, access.principal, chosen, limit=limit, offset=offset)
    now = utcnow()
    return {
        "box": chosen.value,
        "total": page.total,
        "items": [queries.request_summary(r, now) for r in page.items],
    }


@router.post("/api/requests", status_code=201)
def create_request(
    body: RequestIn,
    session: SessionDep,
    access: Annotated[Access, Authorized(Action.CREATE, ResourceType.ACTION_REQUEST)],
) -> dict[str, Any]:
    """File a request in the caller's party's name; it waits for the mediator's screening."""
    spec = RequestSpec(**body.model_dump())
    now = utcnow()
    with refusals():
        request = submit_request(session, access.principal, spec, now=now)
    return queries.request_detail(session, access.principal, request, now)


@router.get("/api/requests/figures")
def request_figures(
    session: SessionDep,
    access: Annotated[Access, Authorized(Action.READ, ResourceType.ACTION_REQUEST)],
) -> dict[str, Any]:
    """Requests per party, share answered in time, outcomes (over what the caller may read)."""
    return queries.figures(session, access.principal, utcnow())


@router.get("/api/requests/export.stix", responses=STIX_RESPONSES)
def export_stix(
    session: SessionDep,
    access: Annotated[Access, Authorized(Action.READ, ResourceType.ACTION_REQUEST)],
) -> Response:
    """Everything the caller may see, as a STIX 2.1 bundle."""
    keys = get_settings().resolved_keys_dir
    text, _count = stix.export_bundle(session, access.principal, keys_dir=keys)
    return Response(text, media_type=stix.MEDIA_TYPE)


@router.get("/api/requests/findings")
def list_request_findings(
    session: SessionDep,
    access: Annotated[Access, Authorized(Action.READ, ResourceType.FINDING)],
) -> dict[str, Any]:
    """Findings judged from request outcomes, newest first."""
    return {
        "items": [
            outcomes.finding_json(f) for f in outcomes.list_findings(session, access.principal)
        ]
    }


@router.post("/api/requests/findings", status_code=201)
def judge_requests(
    body: FindingIn,
    session: SessionDep,
    access: Annotated[Access, Authorized(Action.CREATE, ResourceType.FINDING)],
) -> dict[str, Any]:
    """Judge one party's responses about one group against the clauses relied on."""
    with refusals():
        found = outcomes.judge_group(session, access.principal, body.group, body.party,
                                     now=utcnow())  # fmt: skip
    return {"items": [outcomes.finding_json(f) for f in found]}


@router.get("/api/requests/{request_ref}")
def read_request(
    request_ref: Ref,
    session: SessionDep,
    access: Annotated[Access, Authorized(Action.READ, ResourceType.ACTION_REQUEST)],
) -> dict[str, Any]:
    """One request with its explained history and the caller's possible steps."""
    request = _readable(session, access, request_ref)
    detail = queries.request_detail(session, access.principal, request, utcnow())
    packages = intelligence.visible_packages(session, access.principal, request_id=request.id)
    detail["intelligence"] = [intelligence.package_json(p) for p in packages]
    return detail


@router.post("/api/requests/{request_ref}/steps")
def request_step(
    request_ref: Ref,
    body: StepIn,
    session: SessionDep,
    access: Annotated[Access, Authorized(Action.UPDATE, ResourceType.ACTION_REQUEST)],
) -> dict[str, Any]:
    """Take one step of the workflow (the policy says who may, in which state)."""
    request = _readable(session, access, request_ref)
    given = StepInput(note=body.note, reason=body.reason, response_kind=body.response_kind,
                      outcome=body.outcome)  # fmt: skip
    now = utcnow()
    with refusals():
        take_step(session, access.principal, request, Step(body.step), now=now, given=given)
    return queries.request_detail(session, access.principal, request, now)


def _attached(session: Any, principal: Principal, ref: str | None) -> ActionRequest | None:
    if ref is None:
        return None
    with refusals():
        request = find_request(session, ref)
    if not authorize(principal, Action.READ, request_resource(request)).allowed:
        raise HTTPException(404, detail=f"no request {ref!r}")
    return request


@router.post("/api/intelligence", status_code=201)
def create_package(
    body: PackageIn,
    session: SessionDep,
    access: Annotated[Access, Authorized(Action.CREATE, ResourceType.INTELLIGENCE)],
) -> dict[str, Any]:
    """Seal intelligence to its readers (mediator; the other party only after a release)."""
    request = _attached(session, access.principal, body.request)
    with refusals():
        package = intelligence.create_package(
            session, access.principal, title=body.title, body=body.body, tlp=body.tlp,
            audience=body.audience, keys_dir=get_settings().resolved_keys_dir, request=request,
        )  # fmt: skip
    return intelligence.package_json(package)


@router.post("/api/intelligence/import", status_code=201)
def import_stix(
    body: StixImportIn,
    session: SessionDep,
    access: Annotated[Access, Authorized(Action.CREATE, ResourceType.INTELLIGENCE)],
) -> dict[str, Any]:
    """Seal a STIX 2.1 bundle as an intelligence package."""
    request = _attached(session, access.principal, body.request)
    with refusals():
        package = stix.import_bundle(
            session, access.principal, json.dumps(body.bundle), audience=body.audience,
            keys_dir=get_settings().resolved_keys_dir, request=request,
        )  # fmt: skip
    return intelligence.package_json(package)


@router.get("/api/intelligence/{package_ref}")
def read_package(
    package_ref: Ref,
    session: SessionDep,
    access: Annotated[Access, Authorized(Action.READ, ResourceType.INTELLIGENCE)],
) -> dict[str, Any]:
    """A package's content, for its readers only (404 for everyone else)."""
    keys = get_settings().resolved_keys_dir
    with refusals():
        package = intelligence.find_package(session, access.principal, package_ref)
        content = intelligence.open_package(session, access.principal, package, keys_dir=keys)
    return intelligence.package_json(package, content)


@router.post("/api/intelligence/{package_ref}/release")
def release_package(
    package_ref: Ref,
    session: SessionDep,
    access: Annotated[Access, Authorized(Action.RELEASE, ResourceType.INTELLIGENCE)],
) -> dict[str, Any]:
    """The submitting party releases its package to the other party (audited)."""
    keys = get_settings().resolved_keys_dir
    with refusals():
        package = intelligence.find_package(session, access.principal, package_ref)
        access.require(package)
        intelligence.release_package(session, access.principal, package, keys_dir=keys,
                                     now=utcnow())  # fmt: skip
    return intelligence.package_json(package)
