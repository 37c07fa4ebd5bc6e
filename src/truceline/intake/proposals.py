"""Facts proposed from a report's text at intake, the analyst's review of them, and the labels.

A media report or a party's statement often arrives as text alone. At intake the
reader (``truceline.extraction``) proposes its facts: the day, the type of event,
the place, the perpetrator and the counts, each with the spans of text it was read
from. They are stored beside the report, never in it (the report stays verbatim).
In triage the analyst accepts or corrects each proposed fact; every decision is a
new row (append-only) and together they are labelled data for measuring the reader
(``labelled_facts``, ``truceline extract labels``). Linking uses the proposed day,
place and type when the report has none typed (``facts_for_linking``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from truceline.audit.actor import Actor
from truceline.audit.log import add_logged, append_entry
from truceline.events.taxonomy import EVENT_TYPES, SourceType
from truceline.extraction.reader import ExtractedEvent, Reader
from truceline.incidents.models import Report
from truceline.incidents.services import LinkingFacts
from truceline.intake.models import FactProposal, FactReview

EXTRACTOR = "truceline-reader/1"
#: Reports whose text is read at intake: the press and the parties' statements.
READ_AT_INTAKE = frozenset({SourceType.MEDIA.value, SourceType.PARTY_LIAISON.value})
FIELDS = ("occurred_on", "event_type", "place", "perpetrator", "killed", "injured", "captured")
COUNT_FIELDS = frozenset({"killed", "injured", "captured"})
MAX_COUNT = 100_000


class ReviewError(ValueError):
    """A review that cannot be recorded; ``code`` is for pages, ``field`` names the input."""

    def __init__(self, message: str, *, code: str, field: str) -> None:
        super().__init__(message)
        self.code = code
        self.field = field


@lru_cache(maxsize=1)
def default_reader() -> Reader:
    return Reader()


def propose_facts(
    session: Session, report: Report, *, actor: Actor, reader: Reader | None = None
) -> list[FactProposal]:
    """Read the report's text and store one proposal per field of each event (nothing when
    the report is not a media report or a party's statement, or has no text)."""
    if report.source_type not in READ_AT_INTAKE or not (report.text or "").strip():
        return []
    published = (report.received_at or datetime.now(UTC)).date()
    events = (reader or default_reader()).read(report.text, published=published)
    rows = [
        FactProposal(
            report_id=report.id,
            event_index=index,
            field=name,
            value=value,
            evidence=_spans(event, name),
            confidence=round(event.confidence, 2),
            extractor=EXTRACTOR,
        )
        for index, event in enumerate(events)
        for name, value in _values(event).items()
        if value not in (None, 0, "")
    ]
    session.add_all(rows)
    session.flush()
    if rows:
        append_entry(session, actor=actor, action="intake.facts_proposed", object_type="report",
                     object_id=report.id, after={"proposals": [r.id for r in rows],
                                                 "extractor": EXTRACTOR})  # fmt: skip
    return rows


def _values(event: ExtractedEvent) -> dict[str, Any]:
    data = event.as_json()
    return {
        "occurred_on": data["occurred_on"],
        "event_type": data["event_type"] if data["event_type"] != "other" else None,
        "place": data["location"],
        "perpetrator": data["perpetrator"],
        "killed": data["killed"],
        "injured": data["injured"],
        "captured": data["captured"],
    }


def _spans(event: ExtractedEvent, name: str) -> list[list[int]]:
    wanted = "location" if name == "place" else name
    return [[e.start, e.end] for e in event.evidence if e.field == wanted]


def proposals_of(session: Session, report_id: int) -> list[FactProposal]:
    return list(
        session.scalars(
            select(FactProposal)
            .where(FactProposal.report_id == report_id)
            .order_by(FactProposal.event_index, FactProposal.id)
        )
    )


def latest_reviews(session: Session, report_id: int) -> dict[int, FactReview]:
    """The last decision on each proposal of the report (later rows supersede earlier)."""
    rows = session.scalars(
        select(FactReview).where(FactReview.report_id == report_id).order_by(FactReview.id)
    )
    return {row.proposal_id: row for row in rows}


def review_fact(
    session: Session, proposal_id: int, *, decision: str, correction: str, actor: Actor,
    role: str,
) -> FactReview:  # fmt: skip
    """Record ``accepted`` (the proposed value) or ``corrected`` (``correction``, parsed for
    the field); refused with a ``ReviewError`` naming the input at fault."""
    proposal = session.get(FactProposal, proposal_id)
    if proposal is None:
        raise ReviewError(
            f"proposal {proposal_id} does not exist", code="unknown_proposal", field="proposal_id"
        )
    if decision == "accepted":
        value = proposal.value
    elif decision == "corrected":
        value = parse_correction(proposal.field, correction)
    else:
        raise ReviewError(
            f"decision must be accepted or corrected, not {decision!r}",
            code="bad_decision",
            field="decision",
        )
    review = FactReview(
        proposal_id=proposal.id, report_id=proposal.report_id, field=proposal.field,
        decision=decision, proposed=proposal.value, value=value, reviewer=actor.name,
        reviewer_role=role,
    )  # fmt: skip
    return add_logged(session, review, actor=actor, action="intake.fact_reviewed",
                      object_type="report", object_id=proposal.report_id,
                      after=lambda row: {"review": row.id, "field": proposal.field,
                                         "decision": decision})  # fmt: skip


def parse_correction(field: str, text: str) -> Any:
    """The analyst's value for ``field``, checked: a day, a known event type, a count, or text."""
    text = text.strip()
    if not text:
        raise ReviewError("a correction needs a value", code="empty_correction", field="value")
    if field in COUNT_FIELDS:
        if not text.isascii() or not text.isdigit() or int(text) > MAX_COUNT:
            raise ReviewError(
                f"{field}: {text!r} is not a whole number from 0 to {MAX_COUNT}",
                code="bad_count",
                field="value",
            )
        return int(text)
    if field == "occurred_on":
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            raise ReviewError(
                f"occurred_on: {text!r} is not a day (YYYY-MM-DD)", code="bad_day", field="value"
            ) from None
    if field == "event_type" and text not in EVENT_TYPES:
        raise ReviewError(
            f"event_type: {text!r} is not an event type of the taxonomy",
            code="bad_event_type",
            field="value",
        )
    if field == "place":
        return {"name": text[:300]}
    return text[:300]


def facts_for_linking(
    proposals: list[FactProposal], reviews: Mapping[int, FactReview] | None = None
) -> LinkingFacts:
    """The first event's day (noon UTC), place and type: the analyst's accepted or corrected
    value where ``reviews`` has one, else the proposed value; ``sources`` says which."""
    first: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for proposal in proposals:
        if proposal.event_index != 0:
            continue
        review = (reviews or {}).get(proposal.id)
        first[proposal.field] = review.value if review else proposal.value
        sources[proposal.field] = review.decision if review else "proposed"
    day = first.get("occurred_on")
    place = first.get("place") or {}
    return LinkingFacts(
        occurred_at=datetime.combine(date.fromisoformat(day), time(12), tzinfo=UTC)
        if day
        else None,
        lat=place.get("lat"),
        lon=place.get("lon"),
        geo_precision=place.get("precision"),
        event_type=first.get("event_type"),
        place_name=place.get("name"),
        sources=sources,
    )


def reviewed_facts(session: Session, report_id: int) -> LinkingFacts | None:
    """The facts read from a report's text as they stand after triage (None when nothing
    was read): what a new incident opened for the report takes where the report is silent."""
    proposals = proposals_of(session, report_id)
    return facts_for_linking(proposals, latest_reviews(session, report_id)) if proposals else None


def labelled_facts(session: Session) -> list[dict[str, Any]]:
    """Every reviewed fact (the latest decision per proposal), with the report's text: the
    labelled set for evaluating the reader. The text is for restricted use only."""
    reviews: dict[int, FactReview] = {}
    for row in session.scalars(select(FactReview).order_by(FactReview.id)):
        reviews[row.proposal_id] = row
    rows = session.execute(
        select(Report.id, Report.text).where(Report.id.in_({r.report_id for r in reviews.values()}))
    )
    texts = {report_id: text for report_id, text in rows}
    return [
        {
            "report_id": r.report_id,
            "text": texts.get(r.report_id, ""),
            "field": r.field,
            "proposed": r.proposed,
            "label": r.value,
            "decision": r.decision,
            "reviewer": r.reviewer,
            "reviewed_at": r.created_at.isoformat(),
        }
        for r in reviews.values()
    ]
