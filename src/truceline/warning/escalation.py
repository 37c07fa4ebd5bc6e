"""Escalation from stored incidents: the attributed series, the fitted model, and what it says.

An incident enters the series on the side it counts against: the perpetrator
when it is AF or PK, or the one party whose link to a non-party group is
established (``domain.responsible_party``). Claimed links do not count, and
neither do acts that are not uses of force (obstruction of monitors).
The model itself is ``excitation.fit_excitation``; this module picks the
window, runs the fit and writes the plain-language reading.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from truceline.db.base import utcnow
from truceline.incidents.models import Incident
from truceline.warning.domain import responsible_party
from truceline.warning.excitation import (
    PRIOR_RATE,
    PRIOR_SHAPE,
    SIDES,
    ExcitationFit,
    fit_excitation,
    gamma_interval,
)

DAY = 86400.0
#: Event types that are not uses of force, so cannot be answered as retaliation.
NOT_FORCE = ("obstruction_of_monitors",)
#: Events each side needs before the figures mean anything.
MIN_EVENTS_PER_SIDE = 10


def attributed_series(
    session: Session, *, since: datetime | None, until: datetime
) -> list[tuple[datetime, str]]:
    """``(occurred_at, side)`` of every incident in the window that counts against a party."""
    query = select(Incident.occurred_at, Incident.perpetrator, Incident.attribution).where(
        Incident.occurred_at <= until,
        Incident.event_type.not_in(NOT_FORCE),
        Incident.merged_into_id.is_(None),  # a merged incident is counted in the one it joined
    )
    if since is not None:
        query = query.where(Incident.occurred_at >= since)
    series = []
    for occurred_at, perpetrator, attribution in session.execute(query):
        side = responsible_party(perpetrator, attribution or [])
        if side is not None:
            series.append((occurred_at, side))
    return sorted(series)


def escalation_report(
    session: Session, *, since: datetime | None = None, until: datetime | None = None
) -> dict[str, Any]:
    """Fit the model over the window and report cross-excitation, branching and shares."""
    until = until or utcnow()
    series = attributed_series(session, since=since, until=until)
    return assess(series, since=since, until=until)


def assess(
    series: Sequence[tuple[datetime, str]], *, since: datetime | None, until: datetime
) -> dict[str, Any]:
    """The report for an attributed series (pure; the service and the docs share it)."""
    counts = {side: sum(1 for _, s in series if s == side) for side in SIDES}
    start = since or (series[0][0] if series else until)
    report: dict[str, Any] = {
        "window": {"since": start.isoformat(), "until": until.isoformat()},
        "events": counts,
    }
    small = min(counts.values()) < MIN_EVENTS_PER_SIDE
    if len(series) < 2:
        report["fit"] = None
        report["prior"] = _prior_json()
        report["explanation"] = _no_data_sentence(counts)
        return report
    events = [((at - start).total_seconds() / DAY, side) for at, side in series]
    span = max((until - start).total_seconds() / DAY, 1.0)
    fit = fit_excitation(events, span_days=span, with_prior=small)
    now = span
    shares = {side: fit.triggered_share(side, now, events) for side in SIDES}
    report["fit"] = _fit_json(fit, shares)
    report["explanation"] = (_small_data_sentence(counts) + " " if small else "") + explain(
        fit, shares
    )
    return report


def _prior_json() -> dict[str, Any]:
    low, high = gamma_interval(PRIOR_SHAPE, PRIOR_RATE)
    return {
        "cross_mode": round((PRIOR_SHAPE - 1) / PRIOR_RATE, 3),
        "interval_90": [round(low, 3), round(high, 3)],
    }


def _no_data_sentence(counts: dict[str, int]) -> str:
    prior = _prior_json()
    low, high = prior["interval_90"]
    return (
        f"Almost no attributed events in the window (AF {counts['AF']}, PK {counts['PK']}): the "
        "data say nothing yet about escalation. Before any data, the model expects each event "
        f"to trigger about {prior['cross_mode']:.1f} events on the other side, anywhere between "
        f"{low:.2f} and {high:.2f} (90%); that is an assumption, not a measurement."
    )


def _small_data_sentence(counts: dict[str, int]) -> str:
    return (
        f"Few attributed events (AF {counts['AF']}, PK {counts['PK']}; {MIN_EVENTS_PER_SIDE} a "
        "side would be needed to measure from the data alone): the figures below lean on a "
        "prior that expects each event to trigger about 0.2 events on the other side, and the "
        "90% intervals show how little is known."
    )


def _fit_json(fit: ExcitationFit, shares: dict[str, float]) -> dict[str, Any]:
    return {
        "cross_af_from_pk": round(fit.cross("AF", "PK"), 3),
        "cross_pk_from_af": round(fit.cross("PK", "AF"), 3),
        "interval_90": {
            "cross_af_from_pk": [round(v, 3) for v in fit.cross_interval("AF", "PK")],
            "cross_pk_from_af": [round(v, 3) for v in fit.cross_interval("PK", "AF")],
        },
        "small_data": fit.with_prior,
        "self_af": round(fit.alpha[0][0], 3),
        "self_pk": round(fit.alpha[1][1], 3),
        "branching_ratio": round(fit.branching_ratio, 3),
        "background_per_day": {"AF": round(fit.mu[0], 4), "PK": round(fit.mu[1], 4)},
        "response_lifetime_days": round(1 / fit.beta, 1),
        "retaliation_share_now": {side: round(share, 3) for side, share in shares.items()},
        "log_likelihood": round(fit.log_likelihood, 2),
    }


def explain(fit: ExcitationFit, shares: dict[str, float]) -> str:
    """Say what the figures mean, in words a mediator can repeat."""
    af, pk = fit.cross("AF", "PK"), fit.cross("PK", "AF")
    ratio = fit.branching_ratio
    lifetime = 1 / fit.beta
    af_low, af_high = fit.cross_interval("AF", "PK")
    pk_low, pk_high = fit.cross_interval("PK", "AF")
    lines = [
        f"Each Pakistani-attributed event is followed on average by {af:.2f} Afghan-attributed "
        f"events (90% interval {af_low:.2f}–{af_high:.2f}), and each Afghan-attributed event by "
        f"{pk:.2f} Pakistani-attributed events ({pk_low:.2f}–{pk_high:.2f}), over a typical "
        f"response time of {lifetime:.0f} days.",
        _branching_sentence(ratio),
        f"Right now {shares['AF']:.0%} of the expected rate of Afghan-attributed events and "
        f"{shares['PK']:.0%} of the Pakistani-attributed rate is due to the other side's recent "
        "events (retaliation share).",
        "These are statistical associations between attributed events, not findings about "
        "any one incident.",
    ]
    return " ".join(lines)


def _branching_sentence(ratio: float) -> str:
    if ratio >= 1:
        return (
            f"The branching ratio is {ratio:.2f}: at or above 1, each exchange sets off at least "
            "as many events as it answers, so violence feeds itself; the highest level of warning."
        )
    if ratio >= 0.5:
        return (
            f"The branching ratio is {ratio:.2f}: a large share of events are responses to "
            "earlier ones; exchanges die out, but slowly."
        )
    return (
        f"The branching ratio is {ratio:.2f}: most events are not responses to earlier ones; "
        "exchanges die out quickly."
    )


def parse_since(text: str | None, *, until: datetime) -> datetime | None:
    """``--since`` as an ISO date/time, or ``Nd`` for N days before ``until``."""
    if text is None:
        return None
    if text.endswith("d") and text[:-1].isdigit():
        return until - timedelta(days=int(text[:-1]))
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=until.tzinfo)
    return parsed
