"""Agreement versions in time: from when each stored version governs incidents.

An amendment does not reach back: each version governs incidents from its
effective date until the next version's, so an incident is judged by the
terms in force when it happened. A document may state ``effective_from``;
otherwise the first version governs from the start and a later one from when
it was stored (adopted). Versions stored before the field existed have no
stated date, so their ``created_at`` is their adoption.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from truceline.agreements.documents import document_from_data
from truceline.agreements.domain import VersionedDocument
from truceline.agreements.models import AgreementVersion
from truceline.agreements.schema import AgreementDocument
from truceline.errors import CodedError


class AmendmentInvalid(CodedError, ValueError):
    """An amendment whose effective date does not come after the version it replaces."""

    default_code = "amendment_invalid"


def effective_start(row: AgreementVersion) -> datetime | None:
    """When a stored version starts to govern (None: from the start, for a first version)."""
    stated = row.document.get("effective_from")
    if stated:
        return datetime.fromisoformat(stated)
    return None if row.version == 1 else row.created_at


def stored_versions(session: Session) -> list[VersionedDocument]:
    """Every stored version of every agreement, with when it governs from."""
    rows = session.execute(
        select(AgreementVersion).order_by(AgreementVersion.agreement_id, AgreementVersion.version)
    ).scalars()
    return [
        VersionedDocument(
            document_from_data(row.document, source=f"{row.agreement_id}@{row.version}"),
            effective_start(row),
        )
        for row in rows
    ]


def amendment_start(
    document: AgreementDocument, previous: AgreementVersion | None, *, adopted_at: datetime
) -> datetime | None:
    """When a new version will govern from: stated, else at adoption (a first version: always).

    Refuses a date that is not after the previous version's, which would leave
    that version governing nothing and silently re-judge its incidents.
    """
    if previous is None:
        return document.effective_from
    start = document.effective_from or adopted_at
    before = effective_start(previous)
    if before is not None and start <= before:
        raise AmendmentInvalid(
            f"effective_from: {start.isoformat()} is not after {before.isoformat()}, from when "
            f"version {previous.version} of {document.id} governs; an amendment governs from a "
            "later date"
        )
    return start
