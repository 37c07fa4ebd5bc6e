"""Accounts use cases: creation checks, sign-in, lock-out, reset, disable (both back ends)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, select

from truceline.accounts import services
from truceline.accounts.models import User
from truceline.accounts.services import AccountError, authenticate, create_user
from truceline.audit.actor import SYSTEM
from truceline.audit.models import AuditEntry
from truceline.config import get_settings
from truceline.db.base import utcnow
from truceline.db.engine import transaction

from .conftest import PASSWORD


def _create(engine: Engine, **fields: object) -> None:
    defaults: dict[str, object] = {"name": "farid", "role": "party_liaison", "party": "AF"}
    with transaction(engine) as session:
        create_user(session, actor=SYSTEM, password=PASSWORD, **{**defaults, **fields})  # type: ignore[arg-type]


def test_a_password_is_stored_only_as_an_argon2_hash(engine: Engine) -> None:
    _create(engine)
    with transaction(engine) as session:
        user = services.require_user(session, "farid")
        assert user.password_hash is not None and user.password_hash.startswith("$argon2id$")
        assert PASSWORD not in user.password_hash


BAD_ACCOUNTS: list[tuple[dict[str, object], str]] = [
    ({"role": "party_liaison", "party": None}, "--party is required"),
    ({"party": "IN"}, "party 'IN'"),
    ({"role": "overlord"}, "role 'overlord'"),
    ({"role": "public", "party": None}, "needs no account"),
    ({"name": "Farid Khan"}, "name 'Farid Khan'"),
    ({"name": "public"}, "reserved"),
    ({"role": "field_monitor", "party": None, "custodian": True}, "only a mediator"),
    ({"role": "team_member"}, "only a party liaison acts for a party"),
]


def test_bad_account_requests_say_what_is_wrong(engine: Engine) -> None:
    for fields, message in BAD_ACCOUNTS:
        with pytest.raises(AccountError, match=message):
            _create(engine, **fields)
    with transaction(engine) as session:
        assert services.list_users(session) == []


def test_a_duplicate_name_is_refused(engine: Engine) -> None:
    _create(engine)
    with pytest.raises(AccountError, match="already exists"):
        _create(engine)


def test_a_short_password_is_refused(engine: Engine) -> None:
    with pytest.raises(AccountError, match="at least 12"), transaction(engine) as session:
        create_user(session, name="x1", role="mediator", password="short", actor=SYSTEM)


def test_sign_in_succeeds_with_the_right_password_only(engine: Engine) -> None:
    _create(engine)
    with transaction(engine) as session:
        assert authenticate(session, "farid", PASSWORD, settings=get_settings()).user is not None
        assert (
            authenticate(session, "farid", "wrong password!", settings=get_settings()).user is None
        )
        assert authenticate(session, "nobody", PASSWORD, settings=get_settings()).user is None


def test_repeated_failures_lock_the_account_even_against_the_right_password(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRUCELINE_LOGIN_MAX_FAILURES", "3")
    get_settings.cache_clear()
    _create(engine)
    for _ in range(3):
        with transaction(engine) as session:
            assert (
                authenticate(session, "farid", "not the password", settings=get_settings()).user
                is None
            )
    with transaction(engine) as session:
        user = services.require_user(session, "farid")
        assert services.is_locked(user, utcnow())
        assert authenticate(session, "farid", PASSWORD, settings=get_settings()).user is None
        later = utcnow() + timedelta(minutes=16)
        assert (
            authenticate(session, "farid", PASSWORD, settings=get_settings(), now=later).user
            is not None
        )
        actions = list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.seq)))
    assert actions.count("user.login_failed") == 2 and actions.count("user.locked") == 1


def test_reset_sets_a_new_password_and_lifts_the_lock(engine: Engine) -> None:
    _create(engine)
    with transaction(engine) as session:
        user = services.require_user(session, "farid")
        user.locked_until = utcnow() + timedelta(hours=1)
        _, new_password = services.reset_user(session, "farid", actor=SYSTEM)
    with transaction(engine) as session:
        assert authenticate(session, "farid", PASSWORD, settings=get_settings()).user is None
        assert (
            authenticate(session, "farid", new_password, settings=get_settings()).user is not None
        )


def test_a_disabled_account_cannot_sign_in(engine: Engine) -> None:
    _create(engine)
    with transaction(engine) as session:
        services.disable_user(session, "farid", actor=SYSTEM)
    with transaction(engine) as session:
        assert authenticate(session, "farid", PASSWORD, settings=get_settings()).user is None
        services.enable_user(session, "farid", actor=SYSTEM)
    with transaction(engine) as session:
        assert authenticate(session, "farid", PASSWORD, settings=get_settings()).user is not None


def test_every_account_change_is_audited_without_the_password_hash(engine: Engine) -> None:
    _create(engine)
    with transaction(engine) as session:
        services.disable_user(session, "farid", actor=SYSTEM)
        services.reset_user(session, "farid", actor=SYSTEM)
        entries = list(
            session.scalars(
                select(AuditEntry).where(AuditEntry.object_type == "user").order_by(AuditEntry.seq)
            )
        )
        stored_hash = session.scalars(select(User.password_hash)).one()
    assert [e.action for e in entries] == ["user.create", "user.disable", "user.reset"]
    assert all(e.object_id == "farid" and e.after_hash for e in entries)
    assert stored_hash is not None and all(stored_hash not in e.canonical for e in entries)
