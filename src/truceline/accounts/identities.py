"""Storing and revealing protected identities (services over ``ProtectedIdentity`` rows).

Intake calls ``protect_identity`` with the details a reporter gave; it gets
back a ``SealedIdentity`` whose pseudonym is all it should keep or show.
``reveal_identity`` is for the custodian mediator alone, who must present the
custodian private key; every reveal is recorded in the audit log (with the
pseudonym, never the content), so the parties can see how often it happens.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from truceline.accounts.models import ProtectedIdentity
from truceline.accounts.policy import Action, Resource, ResourceType, require
from truceline.accounts.roles import Principal
from truceline.accounts.sealing import (
    IdentityDetails,
    IdentityError,
    SealedIdentity,
    load_private_key,
    load_public_key,
    new_pseudonym,
    seal,
    unseal,
)
from truceline.audit.log import add_logged, append_entry

IDENTITY_KINDS = frozenset({"community_reporter", "committee_member"})
_PREFIXES = {"community_reporter": "R", "committee_member": "C"}


def protect_identity(
    session: Session, details: IdentityDetails, *, kind: str, principal: Principal, keys_dir: Path
) -> SealedIdentity:
    """Seal ``details`` to the custodian key of ``keys_dir`` (``Settings.resolved_keys_dir``,
    passed by the caller) and store only ciphertext and pseudonym."""
    if kind not in IDENTITY_KINDS:
        raise IdentityError(f"kind {kind!r}: expected one of {', '.join(sorted(IDENTITY_KINDS))}")
    require(principal, Action.CREATE, Resource(ResourceType.REPORTER_IDENTITY))
    public_key = load_public_key(keys_dir)
    sealed = seal(details, public_key, pseudonym=_unused_pseudonym(session, kind))
    add_logged(
        session,
        ProtectedIdentity(
            pseudonym=sealed.pseudonym,
            kind=kind,
            ciphertext=sealed.ciphertext,
            key_id=sealed.key_id,
            created_by=principal.name,
        ),
        actor=principal.as_actor(),
        action="identity.seal",
        object_type="protected_identity",
        object_id=sealed.pseudonym,
        after={"pseudonym": sealed.pseudonym, "kind": kind, "key_id": sealed.key_id},
    )
    return sealed


def sealed_identity(session: Session, pseudonym: str) -> SealedIdentity:
    row = session.execute(
        select(ProtectedIdentity).where(ProtectedIdentity.pseudonym == pseudonym)
    ).scalar_one_or_none()
    if row is None:
        raise IdentityError(f"no protected identity with pseudonym {pseudonym!r}")
    return SealedIdentity(pseudonym=row.pseudonym, ciphertext=row.ciphertext, key_id=row.key_id)


def reveal_identity(
    session: Session, pseudonym: str, *, principal: Principal, private_key_path: Path
) -> IdentityDetails:
    """Open an identity: only the custodian mediator, with the private key file."""
    require(principal, Action.REVEAL, Resource(ResourceType.REPORTER_IDENTITY))
    details = unseal(sealed_identity(session, pseudonym), load_private_key(private_key_path))
    append_entry(
        session,
        actor=principal.as_actor(),
        action="identity.reveal",
        object_type="protected_identity",
        object_id=pseudonym,
    )
    return details


def _unused_pseudonym(session: Session, kind: str) -> str:
    for _ in range(20):
        candidate = new_pseudonym(_PREFIXES[kind])
        taken = session.execute(
            select(ProtectedIdentity.id).where(ProtectedIdentity.pseudonym == candidate)
        ).first()
        if taken is None:
            return candidate
    raise IdentityError("could not find an unused pseudonym")  # pragma: no cover
