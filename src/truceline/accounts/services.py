"""Use cases on user accounts: create, disable, enable, reset, list, and signing in.

Every change is recorded in the audit log in the same transaction. Passwords
are hashed with argon2id (argon2-cffi); a failed sign-in costs the same time
whether or not the account exists, so responses do not reveal user names.
After ``Settings.login_max_failures`` consecutive failures an account is locked
for ``Settings.login_lockout_minutes``.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from truceline.accounts.models import User, WebSession
from truceline.accounts.roles import PARTIES, PARTY_BOUND_ROLES, Principal, Role
from truceline.audit.actor import Actor
from truceline.audit.log import add_logged, append_entry
from truceline.config import Settings
from truceline.db.base import utcnow
from truceline.errors import CodedError

NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
RESERVED_NAMES = frozenset({"public", "system", "anonymous"})
MIN_PASSWORD_LENGTH = 12

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class AccountError(CodedError, ValueError):
    """A request about accounts that cannot be carried out; the message says why."""

    default_code = "account_refused"


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"password: must have at least {MIN_PASSWORD_LENGTH} characters")
    return _hasher.hash(password)


def password_matches(stored_hash: str | None, password: str) -> bool:
    """Check a password; with no stored hash, still spend the time of one check."""
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def generate_password() -> str:
    """A random password for ``users reset`` (about 120 bits)."""
    return secrets.token_urlsafe(15)


def user_summary(user: User, *, now: datetime | None = None) -> dict[str, Any]:
    """What may be shown about an account (never the password hash)."""
    now = now or utcnow()
    return {
        "name": user.name,
        "display_name": user.display_name,
        "role": user.role,
        "party": user.party,
        "custodian": user.custodian,
        "disabled": user.disabled,
        "locked": is_locked(user, now),
        "failed_attempts": user.failed_attempts,
    }


def principal_for(user: User, scopes: frozenset[str] | None = None) -> Principal:
    return Principal(
        name=user.name,
        role=Role(user.role),
        party=user.party,
        custodian=user.custodian,
        scopes=scopes,
    )


def is_locked(user: User, now: datetime) -> bool:
    return user.locked_until is not None and user.locked_until > now


def get_user(session: Session, name: str) -> User | None:
    return session.execute(select(User).where(User.name == name)).scalar_one_or_none()


def require_user(session: Session, name: str) -> User:
    user = get_user(session, name)
    if user is None:
        raise AccountError(f"no user named {name!r}")
    return user


def list_users(
    session: Session, *, role: str | None = None, party: str | None = None
) -> list[User]:
    query = select(User).order_by(User.name)
    if role is not None:
        query = query.where(User.role == role)
    if party is not None:
        query = query.where(User.party == party)
    return list(session.execute(query).scalars())


def create_user(
    session: Session,
    *,
    name: str,
    role: str,
    actor: Actor,
    party: str | None = None,
    display_name: str = "",
    password: str | None = None,
    custodian: bool = False,
) -> User:
    """Create an account after checking name, role, party and custodianship."""
    _check_new_account(session, name=name, role=role, party=party, custodian=custodian)
    user = User(
        name=name,
        display_name=display_name or name,
        role=role,
        party=party,
        custodian=custodian,
        password_hash=hash_password(password) if password is not None else None,
        disabled=False,
        failed_attempts=0,
    )
    add_logged(session, user, actor=actor, action="user.create", object_type="user",
               object_id=user.name, after=user_summary)  # fmt: skip
    return user


def party_refusal(role: Role, party: str | None) -> str | None:
    """Why ``party`` may not be given for ``role`` (None when it may).

    Only a party liaison acts for a party. A team member is nominated by a party
    for one verification, when the mediator composes that case's team
    (``verification assign … --member tariq:AF``); an account-wide party would be silently ignored there,
    and would read as if the member spoke for that government everywhere."""
    if party is None or role in PARTY_BOUND_ROLES:
        return None
    hint = (
        "; a party nominates a team member for each verification, when the mediator "
        "composes its team (the team form on the incident page, or "
        "`truceline verification assign INCIDENT --member NAME:AF`)"
        if role is Role.TEAM_MEMBER
        else ""
    )
    return f"--party {party}: only a party liaison acts for a party, not a {role.value}{hint}"


def _check_new_account(
    session: Session, *, name: str, role: str, party: str | None, custodian: bool
) -> None:
    if not NAME_PATTERN.match(name) or name in RESERVED_NAMES:
        raise AccountError(
            f"name {name!r}: use 2-64 lower-case letters, digits, '.', '_' or '-' "
            "(not a reserved name)"
        )
    try:
        parsed_role = Role(role)
    except ValueError:
        known = ", ".join(r.value for r in Role if r is not Role.PUBLIC)
        raise AccountError(f"role {role!r}: expected one of {known}") from None
    if parsed_role is Role.PUBLIC:
        raise AccountError("role public: the public needs no account")
    if parsed_role in PARTY_BOUND_ROLES and party is None:
        raise AccountError(f"role {role}: --party is required ({' or '.join(PARTIES)})")
    if party is not None and party not in PARTIES:
        raise AccountError(f"party {party!r}: expected one of {', '.join(PARTIES)}")
    refusal = party_refusal(parsed_role, party)
    if refusal:
        raise AccountError(refusal)
    if custodian and parsed_role is not Role.MEDIATOR:
        raise AccountError("custodian: only a mediator can hold the custodian key")
    if get_user(session, name) is not None:
        raise AccountError(f"name {name!r}: a user with this name already exists")


def disable_user(session: Session, name: str, *, actor: Actor) -> User:
    """Disable an account: it can no longer sign in, and its sessions and tokens stop working."""
    user = require_user(session, name)
    before = user_summary(user)
    user.disabled = True
    session.flush()
    _audit(session, actor, "user.disable", user, before=before)
    return user


def enable_user(session: Session, name: str, *, actor: Actor) -> User:
    user = require_user(session, name)
    before = user_summary(user)
    user.disabled = False
    session.flush()
    _audit(session, actor, "user.enable", user, before=before)
    return user


def reset_user(
    session: Session, name: str, *, actor: Actor, password: str | None = None
) -> tuple[User, str]:
    """Set a new password (generated unless given), lift any lock-out, end open sessions.

    Ending the sessions matters when the reset follows a suspected compromise.
    """
    user = require_user(session, name)
    before = user_summary(user)
    new_password = password if password is not None else generate_password()
    user.password_hash = hash_password(new_password)
    user.failed_attempts = 0
    user.locked_until = None
    session.execute(
        update(WebSession)
        .where(WebSession.user_id == user.id, WebSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )
    session.flush()
    _audit(session, actor, "user.reset", user, before=before)
    return user, new_password


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in attempt; ``user`` is set only on success."""

    user: User | None
    reason: str


FAILED_SIGN_IN = "wrong name or password, or the account is locked or disabled"


def authenticate(
    session: Session, name: str, password: str, *, settings: Settings, now: datetime | None = None
) -> SignIn:
    """Check a password, counting failures and locking the account after too many
    (``settings.login_max_failures``, for ``settings.login_lockout_minutes``)."""
    now = now or utcnow()
    user = get_user(session, name)
    matches = password_matches(user.password_hash if user else None, password)
    if user is None:
        return SignIn(None, FAILED_SIGN_IN)
    if user.disabled or is_locked(user, now):
        return SignIn(None, FAILED_SIGN_IN)
    if not matches:
        _count_failure(session, user, now, settings)
        return SignIn(None, FAILED_SIGN_IN)
    if user.failed_attempts:
        user.failed_attempts = 0
        user.locked_until = None
        session.flush()
    return SignIn(user, "signed in")


def _count_failure(session: Session, user: User, now: datetime, settings: Settings) -> None:
    before = user_summary(user, now=now)
    user.failed_attempts += 1
    action = "user.login_failed"
    if user.failed_attempts >= settings.login_max_failures:
        user.locked_until = now + timedelta(minutes=settings.login_lockout_minutes)
        user.failed_attempts = 0
        action = "user.locked"
    session.flush()
    _audit(session, Actor(name=user.name, role=user.role, party=user.party), action, user, before)


def _audit(
    session: Session, actor: Actor, action: str, user: User, before: dict[str, Any] | None
) -> None:
    append_entry(
        session,
        actor=actor,
        action=action,
        object_type="user",
        object_id=user.name,
        before=before,
        after=user_summary(user),
    )
