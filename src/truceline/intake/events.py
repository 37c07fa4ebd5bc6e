"""What intake announces to the other contexts (see ``truceline.db.domain_events``)."""

from __future__ import annotations

from dataclasses import dataclass

from truceline.audit.actor import Actor


@dataclass(frozen=True)
class ReportStored:
    """A new report was stored (not a resubmission), and linked to ``incident_id`` if any.

    Published in the transaction that stored it; ``warning`` starts a cooling-off
    clock on a party's allegation and checks the incident against running clocks.
    """

    report_id: int
    actor: Actor
    incident_id: int | None = None
