"""Verification rows that refer to a planted community reporter, for the identity scan."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from truceline.accounts.sealing import SealedIdentity
from truceline.config import get_settings
from truceline.content_store import ContentStore
from truceline.db.base import utcnow
from truceline.verification import evidence, services

from .factories import MEDIATOR, MONITOR, cross_border_fire


def seed_verification(session: Session, sealed: SealedIdentity) -> None:
    """A case whose evidence and tasks name the reporter by pseudonym only."""
    incident = cross_border_fire(session, code="INC-SCAN-1")
    case = services.open_case(session, incident, principal=MEDIATOR, accused_party="AF")
    services.add_task(
        session,
        case,
        "interview",
        principal=MEDIATOR,
        description=f"interview community reporter {sealed.pseudonym}",
    )
    evidence.add_evidence(
        session,
        case,
        f"Account given by {sealed.pseudonym}.\n".encode(),
        principal=MONITOR,
        obtained_by=f"community reporter {sealed.pseudonym}",
        obtained_at=utcnow() - timedelta(hours=1),
        how_obtained="voice note transcribed by the community liaison",
        filename="account.txt",
        store=ContentStore.under(get_settings().data_dir),
    )
