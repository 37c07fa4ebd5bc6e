"""Bearer credentials: scoped API tokens for machines and server-side web sessions.

Both are long random strings handed out once; the database keeps only their
SHA-256 digest, so a copy of the database does not let anyone sign in. A token
or session stops working when it expires, is revoked/ended, or its user is
disabled. Issuing and revoking tokens, signing in and out are audited.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, joinedload

from truceline.accounts.models import ApiToken, User, WebSession
from truceline.accounts.policy import KNOWN_SCOPES
from truceline.accounts.roles import Principal, Role
from truceline.accounts.services import AccountError, principal_for
from truceline.audit.actor import Actor
from truceline.audit.log import add_logged, append_entry
from truceline.config import Settings
from truceline.db.base import utcnow

TOKEN_PREFIX = "tl_"


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def token_summary(token: ApiToken) -> dict[str, Any]:
    """What may be shown about a token (never the secret or its digest)."""
    return {
        "id": token.id,
        "user": token.user.name,
        "prefix": token.prefix,
        "label": token.label,
        "scopes": list(token.scopes),
        "created_at": token.created_at.isoformat(),
        "created_by": token.created_by,
        "expires_at": token.expires_at.isoformat(),
        "revoked_at": token.revoked_at.isoformat() if token.revoked_at else None,
    }


def check_scopes(scopes: list[str]) -> list[str]:
    if not scopes:
        raise AccountError("scope: give at least one scope, e.g. incidents:read")
    unknown = sorted(set(scopes) - KNOWN_SCOPES)
    if unknown:
        raise AccountError(
            f"scope: unknown {', '.join(unknown)}; known scopes: {', '.join(sorted(KNOWN_SCOPES))}"
        )
    return sorted(set(scopes))


def issue_token(
    session: Session,
    *,
    user: User,
    scopes: list[str],
    actor: Actor,
    settings: Settings,
    ttl_days: int | None = None,
    label: str = "",
    now: datetime | None = None,
) -> tuple[ApiToken, str]:
    """Create a token for ``user``; the secret is returned once and never stored.

    ``ttl_days`` defaults to the installation's ``api_token_ttl_days`` (``settings``,
    passed in by the caller: a service never looks the configuration up itself).
    """
    if user.disabled:
        raise AccountError(f"user {user.name!r} is disabled")
    now = now or utcnow()
    days = ttl_days if ttl_days is not None else settings.api_token_ttl_days
    if days < 1:
        raise AccountError("ttl_days: a token must live at least one day")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        token_hash=digest(secret),
        prefix=secret[:10],
        label=label,
        scopes=check_scopes(scopes),
        created_at=now,
        created_by=actor.name,
        expires_at=now + timedelta(days=days),
    )
    add_logged(session, token, actor=actor, action="token.issue", object_type="api_token",
               after=token_summary)  # fmt: skip
    return token, secret


def revoke_token(session: Session, token_id: int, *, actor: Actor) -> ApiToken:
    token = session.get(ApiToken, token_id)
    if token is None:
        raise AccountError(f"no API token with id {token_id}")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        token.revoked_by = actor.name
        session.flush()
        _audit(session, actor, "token.revoke", "api_token", token.id, token_summary(token))
    return token


def list_tokens(session: Session, *, user: User | None = None) -> list[ApiToken]:
    query = select(ApiToken).order_by(ApiToken.id)
    if user is not None:
        query = query.where(ApiToken.user_id == user.id)
    return list(session.execute(query).scalars())


def principal_for_token(
    session: Session, secret: str, *, now: datetime | None = None
) -> Principal | None:
    """The principal a bearer token acts as, or ``None`` if it is unknown, expired or revoked."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    now = now or utcnow()
    # The token and its user in one round trip, as columns (no ORM objects to build): every
    # API request asks this.
    found = session.execute(_TOKEN_AND_USER, {"token_hash": digest(secret)}).one_or_none()
    if found is None or found.revoked_at is not None or found.expires_at <= now:
        return None
    if found.disabled:
        return None
    return Principal(
        name=found.name,
        role=Role(found.role),
        party=found.party,
        custodian=found.custodian,
        scopes=frozenset(found.scopes),
    )


_TOKEN_AND_USER = (
    select(
        ApiToken.revoked_at,
        ApiToken.expires_at,
        ApiToken.scopes,
        User.name,
        User.role,
        User.party,
        User.custodian,
        User.disabled,
    )  # fmt: skip
    .join(User, User.id == ApiToken.user_id)
    .where(ApiToken.token_hash == bindparam("token_hash"))
)


@dataclass(frozen=True)
class ActiveSession:
    principal: Principal
    csrf_token: str
    session_id: str


def start_session(
    session: Session, user: User, *, settings: Settings, now: datetime | None = None
) -> tuple[WebSession, str]:
    """Open a web session for a signed-in user; returns the row and the cookie value.

    It lasts the installation's ``session_ttl_minutes`` (``settings``, from the caller).
    """
    now = now or utcnow()
    session_id = secrets.token_urlsafe(32)
    row = WebSession(
        session_hash=digest(session_id),
        user=user,
        csrf_token=secrets.token_urlsafe(32),
        created_at=now,
        expires_at=now + timedelta(minutes=settings.session_ttl_minutes),
    )
    session.add(row)
    session.flush()
    actor = Actor(name=user.name, role=user.role, party=user.party)
    _audit(session, actor, "session.start", "user", user.name, {"session": row.id})
    return row, session_id


def find_session(
    session: Session, session_id: str, *, now: datetime | None = None
) -> ActiveSession | None:
    """The live session behind a cookie value, or ``None``."""
    now = now or utcnow()
    row = session.execute(
        select(WebSession)
        .where(WebSession.session_hash == digest(session_id))
        .options(joinedload(WebSession.user))
    ).scalar_one_or_none()
    if row is None or row.ended_at is not None or row.expires_at <= now or row.user.disabled:
        return None
    return ActiveSession(principal_for(row.user), row.csrf_token, session_id)


def end_session(session: Session, session_id: str) -> bool:
    """Sign out: the session id stops working at once."""
    row = session.execute(
        select(WebSession).where(WebSession.session_hash == digest(session_id))
    ).scalar_one_or_none()
    if row is None or row.ended_at is not None:
        return False
    row.ended_at = utcnow()
    session.flush()
    user = row.user
    actor = Actor(name=user.name, role=user.role, party=user.party)
    _audit(session, actor, "session.end", "user", user.name, {"session": row.id})
    return True


def tokens_equal(a: str, b: str) -> bool:
    """Constant-time comparison of two CSRF tokens."""
    return hmac.compare_digest(a.encode(), b.encode())


def _audit(
    session: Session, actor: Actor, action: str, object_type: str, object_id: Any, after: Any
) -> None:
    append_entry(
        session,
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        after=after,
    )
