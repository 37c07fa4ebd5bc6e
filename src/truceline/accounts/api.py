"""HTTP routes of accounts: sign-in/out (JSON API and HTML form), who am I, API tokens.

Sign-in failures are answered with a response rather than an exception so
that the failure count (and any lock-out) is committed with the request.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from truceline.accounts.access import Access, Authorized
from truceline.accounts.credentials import (
    end_session,
    issue_token,
    list_tokens,
    revoke_token,
    token_summary,
)
from truceline.accounts.middleware import SESSION_COOKIE
from truceline.accounts.models import ApiToken, User
from truceline.accounts.pages import set_session_cookie, sign_in
from truceline.accounts.policy import Action, Resource, ResourceType, could_ever
from truceline.accounts.roles import Role
from truceline.accounts.services import (
    AccountError,
    list_users,
    require_user,
    user_summary,
)
from truceline.config import get_settings
from truceline.db.bounds import RecordId
from truceline.http.deps import Public, SessionDep

router = APIRouter(tags=["accounts"])


class LoginRequest(BaseModel):
    name: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)


class UserOut(BaseModel):
    name: str
    display_name: str
    role: str
    party: str | None
    custodian: bool
    disabled: bool
    locked: bool
    failed_attempts: int


class LoginResponse(BaseModel):
    user: UserOut
    csrf_token: str
    expires_at: datetime


class MeOut(BaseModel):
    name: str
    role: str
    party: str | None
    custodian: bool
    signed_in: bool
    auth_method: str | None
    scopes: list[str] | None
    csrf_token: str | None


class TokenOut(BaseModel):
    id: int
    user: str
    prefix: str
    label: str
    scopes: list[str]
    created_at: datetime
    created_by: str
    expires_at: datetime
    revoked_at: datetime | None


class TokenRequest(BaseModel):
    user: str = Field(min_length=1, max_length=64)
    scopes: list[str] = Field(min_length=1, max_length=32)
    ttl_days: int | None = Field(default=None, ge=1, le=3650)
    label: str = Field(default="", max_length=200)


class TokenIssued(BaseModel):
    token: TokenOut
    secret: str = Field(description="The bearer token. Shown once; only its digest is stored.")


@router.post("/api/auth/login", response_model=LoginResponse)
def login(_: Public, body: LoginRequest, session: SessionDep) -> Response:
    """Sign in with name and password; sets the session cookie (HttpOnly, SameSite=Lax)."""
    outcome = sign_in(session, body.name, body.password)
    if isinstance(outcome, str):
        return JSONResponse({"detail": f"sign-in failed: {outcome}"}, status_code=401)
    user, session_id, csrf_token, expires_at = outcome
    payload = LoginResponse(
        user=UserOut(**user_summary(user)), csrf_token=csrf_token, expires_at=expires_at
    )
    response = JSONResponse(payload.model_dump(mode="json"))
    set_session_cookie(response, session_id)
    return response


@router.post("/api/auth/logout")
def logout(_: Public, request: Request, session: SessionDep) -> Response:
    """End the current web session (needs the CSRF token like any cookie-authenticated change)."""
    cookie = request.cookies.get(SESSION_COOKIE)
    if getattr(request.state, "auth_method", None) != "session" or cookie is None:
        raise HTTPException(400, "no web session to end (API tokens are revoked, not signed out)")
    end_session(session, cookie)
    response = JSONResponse({"signed_out": True})
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/api/auth/me", response_model=MeOut)
def me(request: Request, principal: Public) -> MeOut:
    """Who the request acts as (the public when not signed in)."""
    return MeOut(
        name=principal.name,
        role=principal.role.value,
        party=principal.party,
        custodian=principal.custodian,
        signed_in=principal.signed_in,
        auth_method=getattr(request.state, "auth_method", None),
        scopes=sorted(principal.scopes) if principal.scopes is not None else None,
        csrf_token=getattr(request.state, "csrf_token", None) if principal.signed_in else None,
    )


@router.get("/api/auth/users", response_model=list[UserOut])
def users(
    session: SessionDep,
    access: Annotated[Access, Authorized(Action.MANAGE, ResourceType.USER)],
    role: Annotated[Role | None, Query(description="Only users with this role.")] = None,
    party: Annotated[str | None, Query(max_length=8, description="Only this party.")] = None,
) -> list[UserOut]:
    """Accounts, for the administrator."""
    found = list_users(session, role=role.value if role else None, party=party)
    return [UserOut(**user_summary(user)) for user in found]


@router.get("/api/auth/tokens", response_model=list[TokenOut])
def tokens(
    session: SessionDep,
    access: Annotated[Access, Authorized(Action.READ, ResourceType.API_TOKEN)],
    user: Annotated[str | None, Query(max_length=64, description="Only this user's.")] = None,
) -> list[TokenOut]:
    """API tokens: all of them for the administrator, one's own for everyone else."""
    owner = None
    if user is not None:
        access.require(Resource(ResourceType.API_TOKEN, owner_user=user))
        owner = _user_or_404(session, user)
    visible = [t for t in list_tokens(session, user=owner) if access.check(_token_resource(t))]
    return [TokenOut(**token_summary(t)) for t in visible]


@router.post("/api/auth/tokens", response_model=TokenIssued, status_code=201)
def create_token(
    body: TokenRequest,
    session: SessionDep,
    access: Annotated[Access, Authorized(Action.MANAGE, ResourceType.API_TOKEN)],
) -> TokenIssued:
    """Issue a scoped token for a user (administrator only); the secret is shown once."""
    owner = _user_or_404(session, body.user)
    try:
        token, secret = issue_token(
            session,
            settings=get_settings(),
            user=owner,
            scopes=body.scopes,
            ttl_days=body.ttl_days,
            label=body.label,
            actor=access.principal.as_actor(),
        )
    except AccountError as error:
        raise HTTPException(422, str(error)) from None
    return TokenIssued(token=TokenOut(**token_summary(token)), secret=secret)


@router.delete("/api/auth/tokens/{token_id}", response_model=TokenOut)
def delete_token(
    token_id: RecordId,
    session: SessionDep,
    access: Annotated[Access, Authorized(Action.MANAGE, ResourceType.API_TOKEN)],
) -> TokenOut:
    """Revoke a token at once (administrator only)."""
    token = session.get(ApiToken, token_id)
    if token is None:
        raise HTTPException(404, f"no API token with id {token_id}")
    access.require(_token_resource(token))
    revoke_token(session, token_id, actor=access.principal.as_actor())
    return TokenOut(**token_summary(token))


@router.get("/api/auth/policy")
def policy_table(principal: Public) -> dict[str, list[str]]:
    """What the caller's role may do on each kind of record (on some record of that kind)."""
    return {
        kind.value: [a.value for a in Action if could_ever(principal, a, kind).allowed]
        for kind in ResourceType
    }


def _user_or_404(session: Session, name: str) -> User:
    try:
        return require_user(session, name)
    except AccountError as error:
        raise HTTPException(404, str(error)) from None


def _token_resource(token: ApiToken) -> Resource:
    return Resource(ResourceType.API_TOKEN, owner_user=token.user.name)
