"""Task deadlines, per-agreement overrides and the reasons overdue work gives (pure)."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from truceline.agreements.documents import builtin_documents
from truceline.agreements.services import document_hash, document_json
from truceline.verification.domain import OverdueReason
from truceline.verification.redaction import NothingToRedact, redact_text
from truceline.verification.tasks import (
    TaskRefused,
    TaskStatus,
    deadlines_for,
    due_time,
    overdue_reason,
    parse_member,
)

NOW = datetime(2025, 10, 23, 8, tzinfo=UTC)


def _status(**changes: object) -> TaskStatus:
    base: dict[str, object] = {
        "kind": "site_visit",
        "due_at": NOW,
        "blocked_reason": None,
        "requested_from": None,
        "has_team": True,
        "started": False,
    }
    return TaskStatus(**{**base, **changes})  # type: ignore[arg-type]


def test_an_agreement_overrides_only_the_kinds_it_lists() -> None:
    hours = deadlines_for({"first_assessment": 48})
    assert (hours["first_assessment"], hours["site_visit"]) == (48, 120)


def test_unknown_kinds_and_non_positive_hours_are_refused() -> None:
    with pytest.raises(TaskRefused, match="unknown task kind 'patrol'"):
        deadlines_for({"patrol": 5})
    with pytest.raises(TaskRefused, match="interview must be a positive"):
        deadlines_for({"interview": 0})


def test_a_task_is_due_at_its_default_or_a_future_time_never_the_past() -> None:
    assert due_time("interview", now=NOW, deadlines_hours=deadlines_for(None)) == NOW + timedelta(
        hours=120
    )
    later = NOW + timedelta(hours=5)
    assert due_time("interview", now=NOW, deadlines_hours={}, due_at=later) == later
    with pytest.raises(TaskRefused, match="due_at: the deadline .* is in the past"):
        due_time("interview", now=NOW, deadlines_hours={}, due_at=NOW - timedelta(minutes=1))
    with pytest.raises(TaskRefused, match="kind: unknown task kind"):
        due_time("patrol", now=NOW, deadlines_hours={})


def test_the_most_actionable_reason_is_given_for_overdue_work() -> None:
    assert overdue_reason(_status(blocked_reason="access_denied", has_team=False)) is (
        OverdueReason.ACCESS_DENIED
    )
    assert overdue_reason(_status(has_team=False)) is OverdueReason.NO_TEAM
    assert overdue_reason(_status(kind="right_of_reply", has_team=False)) is (
        OverdueReason.WAITING_ON_PARTY
    )
    assert overdue_reason(_status(requested_from="AF")) is OverdueReason.WAITING_ON_PARTY
    assert overdue_reason(_status(started=True)) is OverdueReason.IN_PROGRESS
    assert overdue_reason(_status()) is OverdueReason.NOT_STARTED


def test_member_specs_name_a_party_or_neutral() -> None:
    assert parse_member("gul:af") == ("gul", "AF")
    assert parse_member("qa-monitor:NEUTRAL") == ("qa-monitor", None)
    with pytest.raises(TaskRefused, match="expected NAME:PARTY"):
        parse_member("gul")


def test_deadlines_in_an_agreement_document_leave_older_documents_hashes_alone() -> None:
    document = builtin_documents()[0]
    assert document.verification_deadlines_hours is None
    configured = document.model_copy(update={"verification_deadlines_hours": {"interview": 48}})
    assert document_hash(configured) != document_hash(document)
    data = document.model_dump(mode="json", by_alias=True)
    assert "verification_deadlines_hours" in data
    with pytest.raises(ValidationError, match="must be positive"):
        type(document).model_validate({**data, "verification_deadlines_hours": {"interview": -1}})


def test_unset_deadlines_hash_like_a_document_written_before_the_field() -> None:
    """Stored agreements are not re-versioned because the schema gained the field."""
    document = builtin_documents()[0]
    before_the_field = document_json(document)
    before_the_field.pop("version")
    before_the_field.pop("verification_deadlines_hours")
    before_the_field.pop("effective_from")  # a later optional field, unset alike
    before_the_field.pop("request_response_windows")  # likewise
    canonical = json.dumps(
        before_the_field, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    assert document_hash(document) == hashlib.sha256(canonical.encode()).hexdigest()


def test_text_redaction_replaces_every_term_and_refuses_a_no_op() -> None:
    text, count = redact_text("Gul Khan met gul khan in Angoor Adda.", ["gul khan", "Angoor Adda"])
    assert (text, count) == ("[redacted] met [redacted] in [redacted].", 3)
    with pytest.raises(NothingToRedact):
        redact_text("nothing here", ["Gul"])
