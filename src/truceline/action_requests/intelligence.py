"""Intelligence packages under controlled disclosure: seal, release, open, list.

A package is sealed at once to the mediator, the submitting party and, when
its audience is the monitors, to them (``domain.readers_for``). A release to
the other party is an explicit act of the submitting party: it adds that
party's seal, and the audit log records who released what, when. The log and
the history hold only the package's code, mark and audience, never its content.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from truceline.accounts.policy import Action, Resource, ResourceType, authorize, require
from truceline.accounts.roles import Principal, Role
from truceline.accounts.scoping import visible_filter
from truceline.action_requests import custody
from truceline.action_requests.access import package_resource
from truceline.action_requests.domain import Audience, Tlp, other_party, parse_choice, readers_for
from truceline.action_requests.exceptions import RequestNotFound, RequestRefused
from truceline.action_requests.models import ActionRequest, IntelligencePackage, IntelligenceSeal
from truceline.audit.log import append_entry

MAX_BYTES = 2_000_000


@dataclass(frozen=True)
class PackageContent:
    """An opened package: only ever built for a reader the policy allows."""

    title: str
    body: str
    media_type: str


def _metadata(package: IntelligencePackage) -> dict[str, Any]:
    """What the audit log hashes: never the content."""
    return {
        "code": package.code,
        "request_id": package.request_id,
        "submitting_party": package.submitting_party,
        "tlp": package.tlp,
        "audience": package.audience,
        "released": package.released,
        "media_type": package.media_type,
        "size_bytes": package.size_bytes,
    }


def create_package(
    session: Session,
    principal: Principal,
    *,
    title: str,
    body: str,
    tlp: str,
    audience: str,
    keys_dir: Path,
    request: ActionRequest | None = None,
    media_type: str = "text/plain",
    code: str | None = None,
) -> IntelligencePackage:
    """Seal intelligence to its readers; the other party is not one until a release."""
    party = principal.party if principal.role is Role.PARTY_LIAISON else None
    require(principal, Action.CREATE, Resource(ResourceType.INTELLIGENCE, owner_party=party))
    mark = parse_choice(Tlp, tlp, field="tlp")
    to = parse_choice(Audience, audience, field="audience")
    if to is Audience.MEDIATOR_AND_PARTY and party is None:
        raise RequestRefused(
            "no_other_party",
            "audience: only a party's package can be meant for the other party",
            field="audience",
        )
    if request is not None and party is not None and not _reaches(request, party):
        raise RequestNotFound("request", str(request.code))
    plaintext = json.dumps({"title": title.strip(), "body": body}, ensure_ascii=False).encode()
    if not title.strip():
        raise RequestRefused("missing_text", "title: give the package a title", field="title")
    if len(plaintext) > MAX_BYTES:
        raise RequestRefused("too_large", f"body: at most {MAX_BYTES} bytes", field="body")
    package = IntelligencePackage(
        code=code or f"IP-{secrets.token_hex(4).upper()}",
        request_id=request.id if request else None,
        submitting_party=party,
        tlp=mark.value,
        audience=to.value,
        for_monitors=to is Audience.MONITORS,
        released=False,
        media_type=media_type,
        size_bytes=len(plaintext),
        created_by=principal.name,
    )
    session.add(package)
    session.flush()
    _seal(session, package, plaintext, readers_for(to, party, released=False), keys_dir)
    _audit(session, principal, "intelligence.sealed", package, before=None)
    return package


def _reaches(request: ActionRequest, party: str) -> bool:
    """Whether a party can see the request (it made it, or it was delivered to it)."""
    return request.requesting_party == party or (
        request.delivered and request.addressed_party == party
    )


def _seal(
    session: Session,
    package: IntelligencePackage,
    plaintext: bytes,
    readers: tuple[str, ...],
    keys_dir: Path,
) -> None:
    have = set(session.scalars(select(IntelligenceSeal.reader).where(
        IntelligenceSeal.package_id == package.id)))  # fmt: skip
    for sealed in custody.seal(plaintext, tuple(r for r in readers if r not in have), keys_dir):
        session.add(
            IntelligenceSeal(
                package_id=package.id,
                reader=sealed.reader,
                key_id=sealed.key_id,
                ciphertext=sealed.ciphertext,
            )
        )
    session.flush()


def release_package(
    session: Session, principal: Principal, package: IntelligencePackage, *, keys_dir: Path,
    now: datetime,
) -> IntelligencePackage:  # fmt: skip
    """The submitting party releases its package to the other party (explicit and audited)."""
    require(principal, Action.RELEASE, package_resource(package))
    if package.audience != Audience.MEDIATOR_AND_PARTY.value:
        raise RequestRefused(
            "audience_forbids_release",
            f"audience: this package is sealed for {package.audience.replace('_', ' ')}; "
            "only a package meant for the mediator and the other party can be released to it",
            field="audience",
        )
    if package.released:
        return package
    before = _metadata(package)
    plaintext = _open(session, package, "mediator", keys_dir)
    assert package.submitting_party is not None  # a release is by the submitting party
    _seal(session, package, plaintext, (other_party(package.submitting_party),), keys_dir)
    package.released = True
    package.released_by = principal.name
    package.released_at = now
    _audit(session, principal, "intelligence.released", package, before=before)
    return package


def _open(session: Session, package: IntelligencePackage, reader: str, keys_dir: Path) -> bytes:
    seal = session.scalar(
        select(IntelligenceSeal).where(
            IntelligenceSeal.package_id == package.id, IntelligenceSeal.reader == reader
        )
    )
    if seal is None:
        raise RequestRefused("not_sealed_for_you", f"no seal for {reader}", field="reader")
    return custody.open_seal(reader, seal.key_id, seal.ciphertext, keys_dir)


def reader_of(principal: Principal) -> str | None:
    """Which seal a principal's reading uses (None: no seal is ever made for that role)."""
    if principal.role is Role.MEDIATOR:
        return "mediator"
    if principal.role is Role.PARTY_LIAISON:
        return principal.party
    if principal.role in {Role.FIELD_MONITOR, Role.TEAM_MEMBER}:
        return "monitors"
    return None


def open_package(
    session: Session, principal: Principal, package: IntelligencePackage, *, keys_dir: Path
) -> PackageContent:
    """The content, for a reader the policy allows and the package is sealed to."""
    require(principal, Action.READ, package_resource(package))
    reader = reader_of(principal)
    if reader is None:
        raise RequestRefused("not_a_reader", "no seal is made for this role", field="reader")
    data = json.loads(_open(session, package, reader, keys_dir))
    return PackageContent(str(data["title"]), str(data["body"]), package.media_type)


def visible_packages(
    session: Session, principal: Principal, *, request_id: int | None = None
) -> list[IntelligencePackage]:
    """Packages the caller may read (of one request, or all), oldest first."""
    where = visible_filter(principal, IntelligencePackage)
    if request_id is not None:
        where = and_(where, IntelligencePackage.request_id == request_id)
    return list(
        session.scalars(select(IntelligencePackage).where(where).order_by(IntelligencePackage.id))
    )


def find_package(session: Session, principal: Principal, ref: str) -> IntelligencePackage:
    """A package by code, or ``RequestNotFound`` (also when the caller may not read it, so
    that the other party cannot tell an unreleased package exists)."""
    package = session.scalar(select(IntelligencePackage).where(IntelligencePackage.code == ref))
    if package is None or not authorize(principal, Action.READ, package_resource(package)):
        raise RequestNotFound("intelligence package", ref)
    return package


def package_json(
    package: IntelligencePackage, content: PackageContent | None = None
) -> dict[str, Any]:
    data = {
        **_metadata(package),
        "created_by": package.created_by,
        "created_at": package.created_at.isoformat(),
        "released_at": package.released_at.isoformat() if package.released_at else None,
    }
    if content is not None:
        data["title"] = content.title
        data["body"] = content.body
    return data


def _audit(
    session: Session,
    principal: Principal,
    action: str,
    package: IntelligencePackage,
    *,
    before: dict[str, Any] | None,
) -> None:
    append_entry(
        session,
        actor=principal.as_actor(),
        action=action,
        object_type="intelligence_package",
        object_id=package.code,
        before=before,
        after=_metadata(package),
    )
