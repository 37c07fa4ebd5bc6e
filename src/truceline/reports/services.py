"""Issuing a periodic report: gather, render, and record in the audit log what was issued.

The audit entry holds the SHA-256 of the rendered bytes, so a report handed
around later can be matched to the moment and the person that issued it.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy.orm import Session

from truceline.audit.actor import Actor
from truceline.audit.log import append_entry
from truceline.config import Settings
from truceline.reports.domain import Period, ReportKind
from truceline.reports.gather import build_document
from truceline.reports.render import Format, render


def issue_report(
    session: Session,
    kind: ReportKind,
    period: Period,
    fmt: Format,
    *,
    actor: Actor,
    settings: Settings,
    now: datetime | None = None,
    lang: str = "en",
) -> bytes:
    """The report rendered in ``fmt`` and language ``lang`` (en, ps, fa-AF, ur), audited."""
    document = build_document(session, kind, period, settings=settings, now=now)
    content = render(document, fmt, lang)
    append_entry(
        session,
        actor=actor,
        action="reports.issue",
        object_type="periodic_report",
        object_id=f"{kind.value}:{period.start.date()}:{period.end.date()}",
        after={
            "format": fmt.value,
            "language": lang,
            "sha256": hashlib.sha256(content).hexdigest(),
            "cutoff": period.cutoff.isoformat(),
        },
    )
    return content
