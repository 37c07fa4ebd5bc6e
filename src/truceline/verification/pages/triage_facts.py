"""The proposed facts of a report on its triage page: the rows, the marked text, and the review.

The reader's proposals (``truceline.intake.proposals``) are shown beside the
report's verbatim text; the spans each fact was read from are marked (``<mark>``,
with the field's name for screen readers) and numbered so that a fact and its
evidence point to each other. Accepting or correcting a fact is the report page's
``review-fact`` action; who may do it is the policy's ``annotate`` rule (the
mechanism's own note beside a report, which stays unchanged).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from truceline.accounts.policy import Action, authorize, require
from truceline.accounts.roles import Principal
from truceline.accounts.scoping import resource_of
from truceline.http.i18n import N_
from truceline.incidents.models import Report
from truceline.intake.models import FactProposal, FactReview
from truceline.intake.proposals import ReviewError, latest_reviews, proposals_of, review_fact

FIELD_LABELS: dict[str, str] = {
    "occurred_on": N_("Day"),
    "event_type": N_("Event type"),
    "place": N_("Place"),
    "perpetrator": N_("Alleged perpetrator"),
    "killed": N_("Killed"),
    "injured": N_("Injured"),
    "captured": N_("Captured"),
}
DECISION_LABELS: dict[str, str] = {"accepted": N_("accepted"), "corrected": N_("corrected")}
#: A review the page refuses, told by the service's machine code.
REVIEW_REFUSALS: dict[str, str] = {
    "unknown_proposal": N_("That proposed fact does not exist."),
    "bad_decision": N_("Choose to accept or to correct the proposed fact."),
    "empty_correction": N_("A correction needs a value."),
    "bad_count": N_("A count must be a whole number."),
    "bad_day": N_("A day is written YYYY-MM-DD."),
    "bad_event_type": N_("That is not an event type of the taxonomy."),
}


@dataclass(frozen=True)
class FactRow:
    proposal: FactProposal
    review: FactReview | None
    shown: str
    marks: list[int]


@dataclass(frozen=True)
class Segment:
    text: str
    mark: int | None
    field: str | None


@dataclass(frozen=True)
class FactsView:
    rows: list[FactRow]
    segments: list[Segment]
    may_review: bool


def shown_value(field: str, value: Any) -> str:
    """A proposed or reviewed value as text (the place by its name and district)."""
    if value is None:
        return "—"
    if field == "place" and isinstance(value, dict):
        parts = [value.get("name"), value.get("admin2"), value.get("admin1")]
        return ", ".join(dict.fromkeys(str(p) for p in parts if p))
    return str(value)


def facts_view(session: Session, report: Report, principal: Principal) -> FactsView | None:
    """The report's proposed facts with their latest review and the text cut at their spans."""
    proposals = proposals_of(session, report.id)
    if not proposals:
        return None
    reviews = latest_reviews(session, report.id)
    spans: list[tuple[int, int, str, int]] = []
    rows = []
    for proposal in proposals:
        marks = []
        for start, end in proposal.evidence or []:
            if 0 <= start < end <= len(report.text):
                spans.append((start, end, proposal.field, len(spans) + 1))
                marks.append(len(spans))
        rows.append(FactRow(proposal, reviews.get(proposal.id),
                            shown_value(proposal.field, proposal.value), marks))  # fmt: skip
    may_review = authorize(principal, Action.ANNOTATE, resource_of(report)).allowed
    return FactsView(rows, _segments(report.text, spans), may_review)


def _segments(text: str, spans: list[tuple[int, int, str, int]]) -> list[Segment]:
    """The text cut into plain and marked pieces; an overlapping span is left unmarked."""
    pieces: list[Segment] = []
    cursor = 0
    for start, end, field, number in sorted(spans):
        if start < cursor:
            continue
        if start > cursor:
            pieces.append(Segment(text[cursor:start], None, None))
        pieces.append(Segment(text[start:end], number, field))
        cursor = end
    if cursor < len(text):
        pieces.append(Segment(text[cursor:], None, None))
    return pieces


class ReviewRefused(ValueError):
    """A review refused, with the catalogue message to show."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(detail or message)
        self.message = message
        self.detail = detail


def review_from_form(
    session: Session, report: Report, form: FormData, principal: Principal
) -> FactReview:
    """Accept or correct the proposal the form names (it must belong to this report)."""
    require(principal, Action.ANNOTATE, resource_of(report))
    raw = str(form.get("proposal_id") or "")
    proposal_id = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else None
    proposal = session.get(FactProposal, proposal_id) if proposal_id else None
    if proposal is None or proposal.report_id != report.id:
        raise ReviewRefused(REVIEW_REFUSALS["unknown_proposal"])
    try:
        return review_fact(
            session, proposal.id, decision=str(form.get("decision") or ""),
            correction=str(form.get("value") or ""), actor=principal.as_actor(),
            role=principal.role.value,
        )  # fmt: skip
    except ReviewError as exc:
        raise ReviewRefused(REVIEW_REFUSALS.get(exc.code, str(exc)), str(exc)) from None
