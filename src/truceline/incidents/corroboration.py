"""Corroboration a sceptic accepts: how many sources of an incident have an origin of their own.

Counting distinct (source type, name) pairs overstates corroboration: the
accusing party's allegation, the accused party's denial and three newspapers
repeating the allegation make "five sources" of one claim and its rebuttal.
Here each linked report is placed by its kind and origin (``events.provenance``):

1. a party's allegation or denial (or any report a party liaison files) is
   that party's **position**, not corroboration;
2. a report that relays a party's statement ("according to ISPR") counts
   **with that statement**: it joins the party's position;
3. every other report joins the **origin** its information comes from: the
   source it relays when it names one (so several outlets relaying one witness
   are one source), else its own source (by name; an unnamed source counts once
   per report, since nothing shows it repeats itself).

``independent_sources`` is the number of origins; ``reasons`` says, group by
group, why each counts or does not. Community reporters' names never appear
in the groups (their identities are protected).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from truceline.errors import CodedError
from truceline.events.provenance import PARTIES, Origin, ReportKind
from truceline.events.taxonomy import grade_label
from truceline.incidents.models import Incident, IncidentReportLink, Report

PARTY_NAMES = {"AF": "Afghanistan", "PK": "Pakistan"}
PROTECTED_SOURCE_TYPES = frozenset({"community_reporter"})


class CorroborationError(CodedError, LookupError):
    """No such incident."""

    default_code = "corroboration_refused"


@dataclass
class Position:
    """One party's position: its own statements, and reports relaying them."""

    party: str
    statements: list[Report] = field(default_factory=list)
    relays: list[Report] = field(default_factory=list)

    @property
    def stance(self) -> str:
        kinds = {r.kind for r in self.statements}
        for kind in (ReportKind.ALLEGATION, ReportKind.DENIAL):
            if kind in kinds:
                return kind.value
        return "statement"

    def reason(self) -> str:
        party = PARTY_NAMES.get(self.party, self.party)
        parts = []
        if self.statements:
            codes = ", ".join(r.code for r in self.statements)
            parts.append(
                f"{party}'s {self.stance} ({codes}) is a party's position, not corroboration"
            )
        if self.relays:
            codes = ", ".join(r.code for r in self.relays)
            verbs = "relays" if len(self.relays) == 1 else "relay"
            counts = "counts" if len(self.relays) == 1 else "count"
            parts.append(f"{codes} {verbs} {party}'s statement and {counts} with it")
        return "; ".join(parts) + "."

    def as_json(self) -> dict[str, Any]:
        return {
            "party": self.party,
            "stance": self.stance,
            "statements": [r.code for r in self.statements],
            "relays": [r.code for r in self.relays],
            "reason": self.reason(),
        }


@dataclass
class OriginGroup:
    """Reports whose information shares one origin: one independent source."""

    label: str
    reports: list[Report] = field(default_factory=list)

    @property
    def origin(self) -> str:
        origins = {r.origin for r in self.reports}
        if any(r.origin == Origin.RELAYED and r.relayed_from for r in self.reports):
            return Origin.RELAYED.value
        for origin in (Origin.WITNESSED, Origin.OFFICIAL_STATEMENT):
            if origin in origins:
                return origin.value
        return Origin.UNKNOWN.value

    def reason(self) -> str:
        codes = ", ".join(r.code for r in self.reports)
        how = {
            "witnessed": "witnessed at first hand",
            "official_statement": "an official statement of its own",
            "relayed": f"relayed from {self.label}, counted once however many relay it",
            "unknown": "origin not stated, so counted as its own source",
        }[self.origin]
        return f"{self.label} ({codes}): {how}; an independent source."

    def as_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "origin": self.origin,
            "source_types": sorted({r.source_type for r in self.reports}),
            "reports": [r.code for r in self.reports],
            "reason": self.reason(),
        }


@dataclass
class Grouping:
    positions: dict[str, Position] = field(default_factory=dict)
    origins: dict[str, OriginGroup] = field(default_factory=dict)


def _position_party(report: Report) -> str | None:
    if report.source_party in PARTIES and (
        report.source_type == "party_liaison" or report.kind != ReportKind.ACCOUNT
    ):
        return report.source_party
    return None


def _normal(name: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s']", " ", name.casefold())).strip()


def _label(report: Report) -> tuple[str, str]:
    """(grouping key, shown label) of the origin of a report that is not a party's."""
    if report.origin == Origin.RELAYED and report.relayed_from.strip():
        name = report.relayed_from.strip()
        return _normal(name), name
    if report.source_type in PROTECTED_SOURCE_TYPES or not report.source_name.strip():
        kind = report.source_type.replace("_", " ")
        return f"#report-{report.id}", f"a {kind} (report {report.code})"
    return _normal(report.source_name), report.source_name.strip()


def group_reports(reports: Iterable[Report]) -> Grouping:
    """Place each report in a party's position or in the origin it comes from."""
    grouping = Grouping()
    for report in reports:
        party = _position_party(report)
        if party is not None:
            grouping.positions.setdefault(party, Position(party)).statements.append(report)
            continue
        relayed = report.relayed_from_party if report.origin == Origin.RELAYED else None
        if relayed is not None and relayed in PARTIES:
            grouping.positions.setdefault(relayed, Position(relayed)).relays.append(report)
            continue
        key, label = _label(report)
        grouping.origins.setdefault(key, OriginGroup(label)).reports.append(report)
    return grouping


def corroboration(
    session: Session, incident_id: int, *, may_read: Callable[[Report], bool] | None = None
) -> dict[str, Any]:
    """The incident's independent sources with the reason for each, its parties' positions,
    and (as before) its distinct named sources with their grades.

    With ``may_read`` (the caller's access policy) the counts stay the incident's, but a
    source, a position or a report code is described only when the caller may read one
    of the reports behind it; the others are counted, not named.
    """
    incident = session.get(Incident, incident_id)
    if incident is None:
        raise CorroborationError(f"incident {incident_id} does not exist")
    reports = session.scalars(
        select(Report).join(IncidentReportLink, IncidentReportLink.report_id == Report.id)
        .where(IncidentReportLink.incident_id == incident_id, IncidentReportLink.unlinked_at.is_(None))
        .order_by(Report.id)
    ).all()  # fmt: skip
    grouping = group_reports(reports)
    positions = [grouping.positions[p] for p in sorted(grouping.positions)]
    origins = list(grouping.origins.values())
    sources = _named_sources(reports)
    readable = {r.id for r in reports if may_read is None or may_read(r)}
    shown_positions = [
        p for p in positions if any(r.id in readable for r in p.statements + p.relays)
    ]
    shown_origins = [o for o in origins if any(r.id in readable for r in o.reports)]
    readable_keys = {_source_key(r) for r in reports if r.id in readable}
    return {
        "incident_id": incident.id,
        "incident_code": incident.code,
        "merged_into": incident.merged_into_id,
        "reports": len(reports),
        "independent_sources": len(origins),
        "origins": [o.as_json() for o in shown_origins],
        "positions": [p.as_json() for p in shown_positions],
        "reasons": [p.reason() for p in shown_positions] + [o.reason() for o in shown_origins],
        "not_shown": len(origins) + len(positions) - len(shown_origins) - len(shown_positions),
        "by_origin": {o: sum(g.origin == o for g in origins) for o in sorted({g.origin for g in origins})},
        "by_source_type": _by_type(sources),
        "alleging_parties": sorted(p.party for p in positions if p.stance == "allegation"),
        "best_grade": min((e["best_grade"] for e in sources), default=None),
        "sources": [
            {k: v for k, v in e.items() if k != "key"} for e in sources if e["key"] in readable_keys
        ],
    }  # fmt: skip


def _named_sources(reports: Iterable[Report]) -> list[dict[str, Any]]:
    """Distinct (source type, name) pairs with their grades (an unnamed one per report)."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for report in reports:
        name = report.source_name.strip()
        key = _source_key(report)
        entry = found.setdefault(key, {"source_type": report.source_type, "source_name": name,
                                       "source_party": report.source_party, "reports": 0, "grades": [],
                                       "key": key})  # fmt: skip
        entry["reports"] += 1
        entry["grades"].append(grade_label(report.reliability, report.credibility))
    for entry in found.values():
        entry["best_grade"] = min(entry["grades"])
    return list(found.values())


def _source_key(report: Report) -> tuple[str, str]:
    """A named source once, an unnamed one once per report (nothing shows it repeats itself)."""
    return (report.source_type, report.source_name.strip().casefold() or f"#unnamed-{report.id}")


def _by_type(sources: list[dict[str, Any]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for entry in sources:
        counts[entry["source_type"]] = counts.get(entry["source_type"], 0) + 1
    return counts
