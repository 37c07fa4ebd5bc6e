"""API tokens and web sessions: issued once, stored as digests, stop when they should."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, select

from truceline.accounts import credentials, services
from truceline.accounts.models import ApiToken, WebSession
from truceline.accounts.services import AccountError
from truceline.audit.actor import SYSTEM
from truceline.config import get_settings
from truceline.db.base import utcnow
from truceline.db.engine import transaction

from .conftest import Account


def _issue(engine: Engine, name: str = "farid", scopes: list[str] | None = None) -> str:
    with transaction(engine) as session:
        user = services.require_user(session, name)
        _, secret = credentials.issue_token(
            session,
            settings=get_settings(),
            user=user,
            scopes=scopes or ["incidents:read"],
            actor=SYSTEM,
        )
    return secret


def test_a_token_acts_as_its_user_with_its_scopes(
    engine: Engine, accounts: dict[str, Account]
) -> None:
    secret = _issue(engine, scopes=["incidents:read", "intake:write"])
    with transaction(engine) as session:
        principal = credentials.principal_for_token(session, secret)
        stored = session.scalars(select(ApiToken.token_hash)).one()
    assert principal is not None and principal.name == "farid" and principal.party == "AF"
    assert principal.scopes == frozenset({"incidents:read", "intake:write"})
    assert stored == credentials.digest(secret) and secret not in stored


def test_unknown_scopes_are_refused_with_the_list_of_known_ones(
    engine: Engine, accounts: dict[str, Account]
) -> None:
    with pytest.raises(AccountError, match="unknown incidents:delete; known scopes: .*audit:read"):
        _issue(engine, scopes=["incidents:delete"])


def test_expired_revoked_or_disabled_tokens_act_as_nobody(
    engine: Engine, accounts: dict[str, Account]
) -> None:
    expired, revoked, disabled = _issue(engine), _issue(engine), _issue(engine, "sana")
    with transaction(engine) as session:
        later = utcnow() + timedelta(days=91)
        assert credentials.principal_for_token(session, expired, now=later) is None
        token_id = session.scalars(
            select(ApiToken.id).where(ApiToken.token_hash == credentials.digest(revoked))
        ).one()
        credentials.revoke_token(session, token_id, actor=SYSTEM)
        services.disable_user(session, "sana", actor=SYSTEM)
    with transaction(engine) as session:
        assert credentials.principal_for_token(session, revoked) is None
        assert credentials.principal_for_token(session, disabled) is None
        assert credentials.principal_for_token(session, "tl_forged-" + "x" * 30) is None


def test_a_session_ends_at_sign_out_and_at_expiry(
    engine: Engine, accounts: dict[str, Account]
) -> None:
    with transaction(engine) as session:
        row, session_id = credentials.start_session(
            session, services.require_user(session, "mona"), settings=get_settings()
        )
        assert session.scalars(select(WebSession.session_hash)).one() != session_id
    with transaction(engine) as session:
        live = credentials.find_session(session, session_id)
        assert live is not None and live.principal.name == "mona" and live.csrf_token
        assert credentials.find_session(session, session_id, now=row.expires_at) is None
        assert credentials.end_session(session, session_id)
    with transaction(engine) as session:
        assert credentials.find_session(session, session_id) is None


def test_a_password_reset_ends_the_users_open_sessions(
    engine: Engine, accounts: dict[str, Account]
) -> None:
    with transaction(engine) as session:
        _, session_id = credentials.start_session(
            session, services.require_user(session, "mona"), settings=get_settings()
        )
        services.reset_user(session, "mona", actor=SYSTEM)
    with transaction(engine) as session:
        assert credentials.find_session(session, session_id) is None
