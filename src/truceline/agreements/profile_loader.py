"""Loads the built-in agreements into the database (``truceline init``), idempotently.

An agreement already stored is left as it is, even if its stored terms were
amended since: the profile seeds, it never overwrites a mediator's amendment.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from truceline.agreements.documents import builtin_documents
from truceline.agreements.models import Agreement
from truceline.agreements.services import save_agreement
from truceline.audit.actor import SYSTEM


def load_profile(session: Session) -> dict[str, int]:
    """Insert the built-in agreements that are missing; return how many were added."""
    added = 0
    for document in builtin_documents():
        if session.get(Agreement, document.id) is not None:
            continue
        save_agreement(
            session, document, actor=SYSTEM, note="built-in Afghanistan–Pakistan profile"
        )
        added += 1
    return {"agreements": added}
