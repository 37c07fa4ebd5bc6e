"""HTML pages of accounts: the sign-in form (GET/POST /login) and POST /logout.

``register_http`` hands the router and this context's templates folder to the HTTP
layer (the composition root calls it); importing this module changes nothing.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session

from truceline.accounts.credentials import end_session, start_session
from truceline.accounts.middleware import SESSION_COOKIE
from truceline.accounts.models import User
from truceline.accounts.services import authenticate
from truceline.config import get_settings
from truceline.http.deps import Public, SessionDep, principal_of
from truceline.http.i18n import N_, resolve_ui_context
from truceline.http.registry import AppRegistry
from truceline.http.rendering import render_page

TEMPLATES_DIR = Path(__file__).parent / "templates"

router = APIRouter(include_in_schema=False)


def register_http(registry: AppRegistry) -> None:
    """The sign-in pages and ``accounts/*.html`` for the app."""
    registry.add_router(router)
    registry.add_templates(TEMPLATES_DIR)


def set_session_cookie(response: Response, session_id: str) -> None:
    settings = get_settings()
    response.set_cookie(
        SESSION_COOKIE,
        session_id,
        max_age=settings.session_ttl_minutes * 60,
        httponly=True,
        samesite="lax",
        secure=settings.session_cookie_secure,
        path="/",
    )


def sign_in(session: Session, name: str, password: str) -> tuple[User, str, str, datetime] | str:
    """Authenticate and open a session: (user, session id, csrf token, expiry) or a reason."""
    result = authenticate(session, name, password, settings=get_settings())
    if result.user is None:
        return result.reason
    row, session_id = start_session(session, result.user, settings=get_settings())
    return result.user, session_id, row.csrf_token, row.expires_at


def safe_next(target: str) -> str:
    """Only redirect within this site (no open redirects to other hosts)."""
    if target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/"


def render_login(
    request: Request,
    *,
    name: str = "",
    next_url: str = "/",
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """The sign-in form in the visitor's language (errors are message ids, translated there)."""
    return render_page(
        request,
        resolve_ui_context(request),
        principal_of(request),
        "accounts/login.html",
        {"name": name, "next": next_url, "errors": errors or {}},
        status_code=status_code,
    )


@router.get("/login", response_class=HTMLResponse)
def login_page(_: Public, request: Request, next: str = "/") -> HTMLResponse:  # noqa: A002
    return render_login(request, next_url=safe_next(next))


@router.post("/login", response_class=HTMLResponse)
def login_form(
    _: Public,
    request: Request,
    session: SessionDep,
    name: Annotated[str, Form(max_length=64)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    next: Annotated[str, Form(max_length=500)] = "/",  # noqa: A002
) -> Response:
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = N_("Enter your user name.")
    if not password:
        errors["password"] = N_("Enter your password.")
    if errors:
        return render_login(request, name=name, next_url=next, errors=errors, status_code=400)
    outcome = sign_in(session, name.strip(), password)
    if isinstance(outcome, str):
        errors["password"] = N_(
            "Sign-in failed: wrong name or password, or the account is locked or disabled."
        )
        return render_login(request, name=name, next_url=next, errors=errors, status_code=401)
    response = RedirectResponse(safe_next(next), status_code=303)
    set_session_cookie(response, outcome[1])
    return response


@router.post("/logout")
def logout_form(_: Public, request: Request, session: SessionDep) -> Response:
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie is not None:
        end_session(session, cookie)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/logout", include_in_schema=False)
def logout_address(_: Public) -> Response:
    """Signing out is a POST (with the CSRF token); a GET on its address signs nobody out
    and goes to the sign-in page instead of answering 405."""
    return RedirectResponse("/login", status_code=303)
