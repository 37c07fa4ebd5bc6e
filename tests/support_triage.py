"""Reports for the triage tests, filed through the real intake service so that the linker runs.

On top of the web test data (``support_web``: TL-0004 is a cross-border fire
at 34.10, 71.10 on 18 October 2025, in the ``reported`` state):

- ``ALLEGATION``: Afghanistan's allegation of the same fire, auto-linked to TL-0004 with a high score;
- ``LOW``: a monitor's report 6 km away, auto-linked with a score under ``LOW_SCORE``;
- ``PROPOSED``: a monitor's report 10 km away, left unlinked with TL-0004 as its candidate;
- ``COMMUNITY``: a community reporter's account (identity ``REPORTER_NAME``), left unlinked.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from truceline.audit.actor import Actor
from truceline.config import get_settings
from truceline.content_store import ContentStore
from truceline.intake.schemas import ReportSubmission
from truceline.intake.services import submit_report

REPORTER_NAME = "Reporter Gul Khan"
REPORTER_PHONE = "+93 700 555 123"
INTAKE = Actor(name="intake-desk", role="field_monitor")

ALLEGATION: dict[str, Any] = {
    "source_type": "party_liaison",
    "source_party": "AF",
    "source_name": "Liaison office Kabul",
    "reliability": "B",
    "credibility": 2,
    "text": "Pakistani forces fired mortars across the border at Dand-e-Patan; homes were hit after the truce began.",
    "occurred_at": "2025-10-18T17:00:00Z",
    "lat": 34.11,
    "lon": 71.12,
    "event_type": "cross_border_fire",
    "claimed_perpetrator": "PK",
}
LOW: dict[str, Any] = {
    "source_type": "field_monitor",
    "source_name": "Monitor team 3",
    "reliability": "B",
    "credibility": 3,
    "text": "Craters seen near the road.",
    "occurred_at": "2025-10-18T20:00:00Z",
    "lat": 34.045,
    "lon": 71.075,
    "event_type": "cross_border_fire",
}
PROPOSED: dict[str, Any] = {
    **LOW,
    "text": "Two craters beside the canal, fresh.",
    "lat": 34.01,
    "lon": 71.09,
}
COMMUNITY: dict[str, Any] = {
    "source_type": "community_reporter",
    "source_name": f"{REPORTER_NAME} {REPORTER_PHONE}",
    "reliability": "C",
    "credibility": 3,
    "text": "د شپې په کلي کې ډزې واورېدل شوې",
    "occurred_at": "2025-10-18T22:00:00Z",
    "lat": 34.02,
    "lon": 71.02,
}
SEEDED = {"allegation": ALLEGATION, "low": LOW, "proposed": PROPOSED, "community": COMMUNITY}


def seed_triage(session: Session) -> dict[str, int]:
    """File the reports in order; returns their ids by key."""
    ids: dict[str, int] = {}
    for key, fields in SEEDED.items():
        result = submit_report(
            session,
            ReportSubmission.model_validate(fields),
            actor=INTAKE,
            store=ContentStore.under(get_settings().data_dir),
        )
        ids[key] = result.report.id
    return ids
