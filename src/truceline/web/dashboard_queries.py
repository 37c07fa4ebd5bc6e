"""The counts on the dashboard: what a mediator checks first each morning.

Every dashboard figure is computed here, from the tables on main:
- incidents this period vs the previous period of the same length (with the filters);
- incidents by verification state;
- allegations (reports filed by a party's liaison) this period vs the last, per party;
- the timeline (incidents per day or week, by party involved);
- verifications overdue now (cases with an open task past its deadline) and
  cooling-off clocks running now (warning context), each shown only to roles
  the accounts policy lets read verifications / early warnings.

Verified violations per party and per agreement live in ``findings_view``.
A new figure is one function here plus one block in ``templates/_summary.html``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from truceline.accounts.policy import Action, ResourceType
from truceline.accounts.roles import Principal
from truceline.events.taxonomy import SourceType
from truceline.http.access import may
from truceline.incidents.models import Incident, Report
from truceline.incidents.pages.visibility import incident_filter
from truceline.verification.domain import TERMINAL_STATES
from truceline.verification.models import VerificationCase, VerificationTask
from truceline.warning.models import CoolingOffClock
from truceline.web.incident_queries import IncidentFilters, day_start, matching_incidents

DEFAULT_PERIOD_DAYS = 30


@dataclass(frozen=True)
class Period:
    """A reporting period ``[first_day, last_day]`` and the equally long one before it."""

    first_day: date
    last_day: date
    #: how the period was chosen: "dates" (the reader's), "latest" (the days up to the
    #: latest incident the reader can see, ``latest``), or "none" (nothing visible yet)
    chosen: str = field(default="dates", compare=False)
    latest: date | None = field(default=None, compare=False)

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    @property
    def previous(self) -> Period:
        return Period(
            self.first_day - timedelta(days=self.days), self.first_day - timedelta(days=1)
        )

    @property
    def start(self) -> datetime:
        return day_start(self.first_day)

    @property
    def end(self) -> datetime:
        return day_start(self.last_day + timedelta(days=1))


#: Event types the mechanism records about its own work, dated when it records them (a
#: team turned back today while verifying last month's strike): they do not choose the
#: default period, or one obstruction would move the dashboard away from every event.
OWN_WORK_EVENT_TYPES = ("obstruction_of_monitors",)


def latest_activity(session: Session, principal: Principal) -> datetime | None:
    """When the newest incident the principal may see happened (for the public: the
    released ones), leaving out the mechanism's own records unless nothing else is visible.

    Reports do not count: a bulk import is received on the day it is loaded, and an
    allegation filed today may be about last month; the period follows events."""
    visible = incident_filter(principal)
    newest = session.scalar(
        select(func.max(Incident.occurred_at)).where(
            visible, Incident.event_type.not_in(OWN_WORK_EVENT_TYPES)
        )
    )
    if newest is None:
        newest = session.scalar(select(func.max(Incident.occurred_at)).where(visible))
    if newest is not None and newest.tzinfo is None:
        newest = newest.replace(tzinfo=UTC)
    return newest


def resolve_period(session: Session, filters: IncidentFilters, principal: Principal) -> Period:
    """The chosen dates, else the 30 days ending on the day of the latest incident the
    principal can see (the last 30 days when there is none; the page says which)."""
    if filters.date_from and filters.date_to:
        return Period(filters.date_from, filters.date_to)
    newest = latest_activity(session, principal)
    last = filters.date_to or (newest.date() if newest else datetime.now(UTC).date())
    first = filters.date_from or last - timedelta(days=DEFAULT_PERIOD_DAYS - 1)
    if filters.date_from or filters.date_to:
        return Period(first, max(first, last))
    if newest is None:
        return Period(first, last, chosen="none")
    return Period(first, last, chosen="latest", latest=newest.date())


@dataclass(frozen=True)
class Comparison:
    """A count this period and in the previous one."""

    current: int
    previous: int

    @property
    def change(self) -> int:
        return self.current - self.previous


def _in_period(filters: IncidentFilters, period: Period) -> IncidentFilters:
    return replace(filters, date_from=period.first_day, date_to=period.last_day)


def incident_comparison(
    session: Session, filters: IncidentFilters, principal: Principal, period: Period
) -> tuple[list[Incident], Comparison]:
    """Incidents matching the filters in the period (returned) and their count vs the last."""
    current = matching_incidents(session, _in_period(filters, period), principal)
    previous = matching_incidents(session, _in_period(filters, period.previous), principal)
    return current, Comparison(len(current), len(previous))


def state_counts(incidents: list[Incident]) -> list[tuple[str, int]]:
    """Incidents per verification state, largest first."""
    return Counter(i.verification_state for i in incidents).most_common()


def allegation_comparison(session: Session, period: Period) -> dict[str, Comparison]:
    """Allegations filed by each party's liaison in the period vs the previous one.

    An allegation is a report from a party liaison; the date is when it was filed.
    """
    result: dict[str, Comparison] = {}
    for party, current in _allegations_by_party(session, period).items():
        result[party] = Comparison(current, 0)
    for party, previous in _allegations_by_party(session, period.previous).items():
        result[party] = Comparison(result.get(party, Comparison(0, 0)).current, previous)
    return dict(sorted(result.items()))


def _allegations_by_party(session: Session, period: Period) -> dict[str, int]:
    stmt = (
        select(Report.source_party, func.count())
        .where(
            Report.source_type == SourceType.PARTY_LIAISON.value,
            Report.received_at >= period.start,
            Report.received_at < period.end,
        )
        .group_by(Report.source_party)
    )
    return {party or "?": count for party, count in session.execute(stmt)}


@dataclass(frozen=True)
class WorkCounts:
    """Figures about the present, not the period: ``None`` where the policy hides them."""

    overdue_verifications: int | None
    clocks_running: int | None


def overdue_verifications(session: Session, now: datetime) -> int:
    """Unfinished verification cases with at least one open task past its deadline."""
    finished = sorted(state.value for state in TERMINAL_STATES)
    stmt = (
        select(func.count(func.distinct(VerificationTask.case_id)))
        .join(VerificationCase, VerificationTask.case_id == VerificationCase.id)
        .where(
            VerificationTask.done_at.is_(None),
            VerificationTask.due_at < now,
            VerificationCase.state.not_in(finished),
        )
    )
    return session.scalar(stmt) or 0


def clocks_running(session: Session, now: datetime) -> int:
    """Cooling-off clocks (one per party allegation) whose window has not yet ended."""
    stmt = select(func.count(CoolingOffClock.id)).where(CoolingOffClock.ends_at > now)
    return session.scalar(stmt) or 0


def work_counts(session: Session, principal: Principal, now: datetime | None = None) -> WorkCounts:
    """The dashboard's present-day figures that ``principal`` may read."""
    now = now or datetime.now(UTC)
    return WorkCounts(
        overdue_verifications=overdue_verifications(session, now)
        if may(principal, Action.READ, ResourceType.VERIFICATION_CASE)
        else None,
        clocks_running=clocks_running(session, now)
        if may(principal, Action.READ, ResourceType.EARLY_WARNING)
        else None,
    )
