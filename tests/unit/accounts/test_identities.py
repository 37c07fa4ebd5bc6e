"""Storing and revealing protected identities (both back ends)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from truceline.accounts.identities import protect_identity, reveal_identity, sealed_identity
from truceline.accounts.models import ProtectedIdentity
from truceline.accounts.policy import AccessDenied
from truceline.accounts.roles import PUBLIC, Principal, Role
from truceline.accounts.sealing import IdentityDetails, IdentityError, generate_custodian_key
from truceline.audit.models import AuditEntry
from truceline.config import get_settings
from truceline.db.engine import transaction

ELDER = Principal("elder-gul", Role.COMMUNITY_LIAISON)
CUSTODIAN = Principal("carla", Role.MEDIATOR, custodian=True)
MEDIATOR = Principal("mona", Role.MEDIATOR)
DETAILS = IdentityDetails(name="Bibi Hawa", phone="0333 1234567", village="Ghulam Khan")


def _protect(engine: Engine) -> str:
    with transaction(engine) as session:
        return protect_identity(
            session,
            DETAILS,
            kind="community_reporter",
            principal=ELDER,
            keys_dir=get_settings().resolved_keys_dir,
        ).pseudonym


def test_only_ciphertext_and_pseudonym_are_stored(engine: Engine, custodian_keys: Path) -> None:
    pseudonym = _protect(engine)
    with transaction(engine) as session:
        row = session.scalars(select(ProtectedIdentity)).one()
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "identity.seal")
        ).one()
    assert row.pseudonym == pseudonym and pseudonym.startswith("R-")
    assert b"Bibi" not in row.ciphertext and row.kind == "community_reporter"
    assert (
        entry.object_id == pseudonym
        and entry.actor == "elder-gul"
        and "Bibi" not in entry.canonical
    )


def test_the_custodian_reveals_with_the_key_and_the_reveal_is_audited(
    engine: Engine, custodian_keys: Path
) -> None:
    pseudonym = _protect(engine)
    with transaction(engine) as session:
        opened = reveal_identity(
            session, pseudonym, principal=CUSTODIAN, private_key_path=custodian_keys
        )
        actions = list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.seq)))
    assert (opened.name, opened.phone, opened.village) == (
        "Bibi Hawa",
        "0333 1234567",
        "Ghulam Khan",
    )
    assert actions[-1] == "identity.reveal"


def test_anyone_else_is_refused_even_holding_the_key(engine: Engine, custodian_keys: Path) -> None:
    pseudonym = _protect(engine)
    for principal in (MEDIATOR, ELDER, PUBLIC, Principal("ada", Role.ADMIN)):
        with pytest.raises(AccessDenied, match="custodian"), transaction(engine) as session:
            reveal_identity(
                session, pseudonym, principal=principal, private_key_path=custodian_keys
            )
    with transaction(engine) as session:
        actions = set(session.scalars(select(AuditEntry.action)))
    assert "identity.reveal" not in actions


def test_a_replaced_key_cannot_open_old_identities(
    engine: Engine, custodian_keys: Path, tmp_path: Path
) -> None:
    pseudonym = _protect(engine)
    other = generate_custodian_key(tmp_path / "other").private_key
    with (
        pytest.raises(IdentityError, match="was sealed to custodian key"),
        transaction(engine) as s,
    ):
        reveal_identity(s, pseudonym, principal=CUSTODIAN, private_key_path=other)


def test_the_public_cannot_register_reporters(engine: Engine, custodian_keys: Path) -> None:
    with pytest.raises(AccessDenied), transaction(engine) as session:
        protect_identity(
            session,
            DETAILS,
            kind="community_reporter",
            principal=PUBLIC,
            keys_dir=get_settings().resolved_keys_dir,
        )


def test_sealing_without_a_custodian_key_fails_clearly(engine: Engine) -> None:
    with pytest.raises(IdentityError, match="no custodian public key"), transaction(engine) as s:
        protect_identity(
            s,
            DETAILS,
            kind="community_reporter",
            principal=ELDER,
            keys_dir=get_settings().resolved_keys_dir,
        )


def test_an_unknown_pseudonym_is_named_in_the_error(engine: Engine) -> None:
    with pytest.raises(IdentityError, match="'R-NOPE'"), transaction(engine) as session:
        sealed_identity(session, "R-NOPE")
