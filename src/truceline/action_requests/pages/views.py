"""Reading pages: a party's inbox and outbox, the screening queue, one request, the new form."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup, escape
from sqlalchemy.orm import Session

from truceline.accounts.access import Access
from truceline.accounts.policy import Action, Resource, ResourceType, authorize
from truceline.accounts.roles import Principal, Role
from truceline.action_requests import intelligence, outcomes, queries
from truceline.action_requests.access import request_resource
from truceline.action_requests.exceptions import RequestNotFound
from truceline.action_requests.models import ActionRequest
from truceline.action_requests.pages import labels
from truceline.action_requests.pages.access import PageAccess
from truceline.action_requests.services import find_request
from truceline.agreements.messages import Rendering, parts_from_json
from truceline.config import get_settings
from truceline.db.base import utcnow
from truceline.http.deps import SessionDep
from truceline.http.i18n import CurrentUI, UIContext
from truceline.http.labels import PARTY_NAMES
from truceline.http.rendering import render_page

router = APIRouter(include_in_schema=False)
ReadRequests = Annotated[Access, PageAccess(Action.READ, ResourceType.ACTION_REQUEST)]
CreateRequests = Annotated[Access, PageAccess(Action.CREATE, ResourceType.ACTION_REQUEST)]
PAGE_SIZE = 100


def boxes_for(principal: Principal) -> list[queries.Box]:
    if principal.role is Role.PARTY_LIAISON:
        return [queries.Box.INBOX, queries.Box.OUTBOX]
    return [queries.Box.SCREENING, queries.Box.VERIFICATION, queries.Box.ALL]


def common() -> dict[str, Any]:
    return {"labels": labels, "party_names": PARTY_NAMES}


@router.get("/requests", response_class=HTMLResponse)
def requests_page(
    request: Request, session: SessionDep, access: ReadRequests, ui: CurrentUI,
    box: str | None = None,
) -> Response:  # fmt: skip
    """The caller's boxes with deadlines and states, and the figures."""
    principal = access.principal
    choices = boxes_for(principal)
    chosen = next((b for b in choices if b.value == box), None) or queries.default_box(principal)
    page = queries.list_box(session, principal, chosen, limit=PAGE_SIZE)
    now = utcnow()
    context = {
        **common(),
        "boxes": choices,
        "box": chosen,
        "rows": [queries.request_summary(r, now) for r in page.items],
        "total": page.total,
        "figures": queries.figures(session, principal, now),
        "may_submit": authorize(
            principal,
            Action.CREATE,
            Resource(ResourceType.ACTION_REQUEST, owner_party=principal.party),
        ).allowed,  # fmt: skip
    }
    return render_page(request, ui, principal, "requests/list.html", context)


@router.get("/requests/new", response_class=HTMLResponse)
def new_request_page(request: Request, access: CreateRequests, ui: CurrentUI) -> Response:
    """The form of a new request (a party's liaison, in that party's name)."""
    return render_page(request, ui, access.principal, "requests/new.html",
                       {**common(), "values": {}, "errors": {}})  # fmt: skip


def readable_request(session: Session, principal: Principal, code: str) -> ActionRequest:
    """The request, or 404 (also when the caller may not read it: its existence stays hidden)."""
    try:
        found = find_request(session, code)
    except RequestNotFound:
        raise HTTPException(404, detail=f"no request {code!r}") from None
    if not authorize(principal, Action.READ, request_resource(found)).allowed:
        raise HTTPException(404, detail=f"no request {code!r}")
    return found


def explanation_html(step: dict[str, Any], ui: UIContext) -> Markup:
    """A step's explanation in the reader's language; values (codes, notes) kept isolated.

    Steps recorded before explanations were kept as messages have only English: shown
    as such, marked ``lang="en"``.
    """
    if not step["explanation_parts"]:
        return Markup('<span lang="en" dir="ltr">{}</span>').format(step["explanation"])
    rendering = Rendering(_Catalogue(ui), isolate=lambda v: f"<bdi>{v}</bdi>", escape=_escape)
    return Markup(rendering.render(parts_from_json(step["explanation_parts"])))


class _Catalogue:
    """The page's catalogue; requests quote no agreement text, so data texts stay as given."""

    def __init__(self, ui: UIContext) -> None:
        self.gettext = ui.gettext

    def text(self, key: str) -> str | None:
        return None


def _escape(text: str) -> str:
    return str(escape(text))


def detail_context(
    session: Session, principal: Principal, found: ActionRequest, ui: UIContext
) -> dict[str, Any]:
    keys = get_settings().resolved_keys_dir
    packages = []
    for package in intelligence.visible_packages(session, principal, request_id=found.id):
        content = intelligence.open_package(session, principal, package, keys_dir=keys)
        releasable = authorize(principal, Action.RELEASE, Resource(
            ResourceType.INTELLIGENCE, owner_party=package.submitting_party)).allowed  # fmt: skip
        packages.append({"row": package, "content": content, "releasable": releasable})
    party = principal.party if principal.role is Role.PARTY_LIAISON else None
    item = queries.request_detail(session, principal, found, utcnow())
    for step in item["history"]:
        step["explanation_html"] = explanation_html(step, ui)
    return {
        **common(),
        "item": item,
        "packages": packages,
        "findings": outcomes.list_findings(session, principal, request_code=found.code),
        "may_add_package": authorize(
            principal, Action.CREATE, Resource(ResourceType.INTELLIGENCE, owner_party=party)
        ).allowed,  # fmt: skip
        "may_judge": authorize(principal, Action.CREATE, Resource(ResourceType.FINDING)).allowed,
        "errors": {},
    }


@router.get("/requests/{request_code}", response_class=HTMLResponse)
def request_page(
    request: Request, request_code: str, session: SessionDep, access: ReadRequests, ui: CurrentUI
) -> Response:
    """One request: what is asked, its deadline, history, intelligence and next steps."""
    found = readable_request(session, access.principal, request_code[:40])
    context = detail_context(session, access.principal, found, ui)
    return render_page(request, ui, access.principal, "requests/detail.html", context)
