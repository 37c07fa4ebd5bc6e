"""What the incident page shows, assembled for one principal.

The restricted view lists every linked report with its source grade, verbatim
when the accounts policy lets the principal read it (a party liaison reads the
reports its own party filed; the other party's reach it as the incident); the
public view shows only that reports exist (how many of each source type),
never their text, and a coarsened place. Reporters from the community are never
named on a page: their identity belongs to the accounts context's protected
store. Sections from other contexts (verification tasks, team views, findings)
are added here as further fields, each read from that context's services.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from truceline.accounts.roles import Principal
from truceline.events.casualties import Casualties
from truceline.events.taxonomy import grade_label
from truceline.http.access import sees_restricted
from truceline.incidents.models import Incident, IncidentReportLink, Report
from truceline.incidents.pages.visibility import (
    PROTECTED_SOURCE_TYPES,
    ShownPlace,
    may_read_report,
    shown_place,
)
from truceline.web.presentation import PRECISION_RADIUS_M, precision_label


@dataclass(frozen=True)
class ReportView:
    """One report as shown: verbatim text, grade, and who (unless protected) said it."""

    report: Report
    grade: str
    source_shown: str | None
    text_visible: bool = True

    @property
    def text_direction(self) -> str:
        return "rtl" if (self.report.language or "") in {"ps", "fa", "prs", "ur", "ar"} else "auto"


@dataclass(frozen=True)
class IncidentView:
    """Everything the incident page needs, already filtered for the principal."""

    incident: Incident
    place: ShownPlace | None
    place_text: str
    precision_text: str
    radius_m: int
    reports: list[ReportView]
    report_counts: list[tuple[str, int]]
    casualties: list[tuple[str, dict[str, int]]]
    restricted: bool

    def map_feature(self) -> dict[str, Any] | None:
        """The point for the mini-map, with its uncertainty radius."""
        if self.place is None:
            return None
        return {"lat": self.place.lat, "lon": self.place.lon, "radius": self.radius_m}


def linked_reports(session: Session, incident: Incident) -> list[Report]:
    """Reports currently linked to the incident, in the order they were received."""
    stmt = (
        select(Report)
        .join(IncidentReportLink, IncidentReportLink.report_id == Report.id)
        .where(
            IncidentReportLink.incident_id == incident.id, IncidentReportLink.unlinked_at.is_(None)
        )
        .order_by(Report.received_at, Report.id)
    )
    return list(session.scalars(stmt))


def _report_view(report: Report, principal: Principal) -> ReportView:
    protected = report.source_type in PROTECTED_SOURCE_TYPES
    return ReportView(
        report=report,
        grade=grade_label(report.reliability, report.credibility),
        source_shown=None if protected else (report.source_name or None),
        text_visible=may_read_report(principal, report),
    )


def _place_text(incident: Incident, restricted: bool) -> str:
    parts = [incident.place_name, incident.admin2] if restricted else []
    parts += [incident.admin1, incident.country]
    return join_place_names(parts)


def join_place_names(parts: Sequence[str | None]) -> str:
    """The place's names, most precise first, each said once.

    A place name written by a person often already names its district and province
    ("Urgun and Barmal districts, Paktika"); repeating the geocoded admin names after
    it ("…, Urgun, Paktika, AF") reads as two places. A name is left out when the
    text so far already contains it as a whole word (any case)."""
    shown: list[str] = []
    for part in (p.strip() for p in parts if p and p.strip()):
        said = ", ".join(shown)
        if not re.search(rf"(?<!\w){re.escape(part)}(?!\w)", said, re.IGNORECASE):
            shown.append(part)
    return ", ".join(shown)


def build_incident_view(session: Session, incident: Incident, principal: Principal) -> IncidentView:
    """The incident page's content for ``principal`` (the caller checked it may see the incident)."""
    restricted = sees_restricted(principal)
    place = shown_place(principal, incident.lat, incident.lon, incident.geo_precision)
    precision = place.precision if place else incident.geo_precision
    reports = linked_reports(session, incident)
    casualties = Casualties.from_json(incident.casualties).to_json()
    return IncidentView(
        incident=incident,
        place=place,
        place_text=_place_text(incident, restricted),
        precision_text=precision_label(precision),
        radius_m=PRECISION_RADIUS_M.get(precision, 100_000),
        reports=[_report_view(r, principal) for r in reports] if restricted else [],
        report_counts=Counter(r.source_type for r in reports).most_common(),
        casualties=list(casualties.items()),
        restricted=restricted,
    )
