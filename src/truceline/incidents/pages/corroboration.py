"""The incident page's corroboration: the count of independent sources, with the reason for each.

Computed by ``incidents.corroboration`` (positions of the parties are not
corroboration; a report relaying a party's statement counts with it). Shown
only to those the policy lets read every report (the mechanism's staff): the
groups name the sources of reports a party liaison may not read.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from truceline.accounts.policy import Action, ResourceType
from truceline.accounts.roles import Principal
from truceline.http.access import may
from truceline.http.i18n import N_
from truceline.incidents.corroboration import corroboration
from truceline.incidents.models import Incident

ORIGIN_LABELS: dict[str, str] = {
    "witnessed": N_("Witnessed"),
    "official_statement": N_("Official statement"),
    "relayed": N_("Relayed"),
    "unknown": N_("Origin not stated"),
}
KIND_LABELS: dict[str, str] = {
    "allegation": N_("Allegation"),
    "denial": N_("Denial"),
    "account": N_("Account"),
    "statement": N_("Statement"),
}
LABELS: dict[str, Any] = {"origin_labels": ORIGIN_LABELS, "kind_labels": KIND_LABELS}


def incident_corroboration(
    session: Session, incident: Incident, principal: Principal
) -> dict[str, Any]:
    """The page's ``corroboration`` (None when the principal may not see every source)."""
    shown = may(principal, Action.READ, ResourceType.REPORT)
    return {
        "corroboration": corroboration(session, incident.id) if shown else None,
        **LABELS,
    }
