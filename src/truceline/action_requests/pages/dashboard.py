"""The requests figures on the dashboard: for those the policy lets read requests."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from truceline.accounts.policy import Action, ResourceType, could_ever
from truceline.accounts.roles import Principal
from truceline.action_requests import queries
from truceline.action_requests.pages import labels
from truceline.db.base import utcnow
from truceline.http.labels import PARTY_NAMES


def dashboard_figures(session: Session, principal: Principal) -> dict[str, Any]:
    """Context for ``requests/_figures.html`` (empty when the caller reads no requests)."""
    if not could_ever(principal, Action.READ, ResourceType.ACTION_REQUEST).allowed:
        return {}
    return {
        "figures": queries.figures(session, principal, utcnow()),
        "labels": labels,
        "party_names": PARTY_NAMES,
        "figures_link": True,
    }
