from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from truceline.intake.schemas import MAX_TEXT_CHARS, ReportSubmission

VALID: dict[str, Any] = {
    "source_type": "party_liaison",
    "source_party": "AF",
    "text": "Pakistani aircraft bombed civilian homes in Urgun.",
    "occurred_at": "2025-10-17T21:30:00+05:00",
    "lat": 32.93,
    "lon": 69.17,
    "event_type": "air_drone_strike",
}


def refusal(**changes: Any) -> str:
    with pytest.raises(ValidationError) as caught:
        ReportSubmission.model_validate(VALID | changes)
    return str(caught.value)


def test_oversized_text_is_refused_with_its_length_and_the_limit() -> None:
    message = refusal(text="x" * (MAX_TEXT_CHARS + 1))
    assert f"{MAX_TEXT_CHARS + 1} characters; the limit is {MAX_TEXT_CHARS}" in message


def test_reported_time_without_a_time_zone_is_refused() -> None:
    assert "occurred_at needs a time zone" in refusal(occurred_at="2025-10-17T21:30:00")


def test_reported_time_in_the_future_is_refused() -> None:
    assert "is in the future" in refusal(occurred_at="2999-01-01T00:00:00+00:00")


def test_latitude_without_longitude_is_refused() -> None:
    assert "lat and lon must be given together" in refusal(lon=None)


def test_party_allegation_must_name_its_party() -> None:
    assert "source_party is required" in refusal(source_party=None)


def test_unknown_event_type_and_casualty_category_are_refused() -> None:
    assert "unknown event type 'carpet_bombing'" in refusal(event_type="carpet_bombing")
    assert "unknown casualty category 'goats'" in refusal(casualties={"goats": 3})


def test_grading_outside_a_to_f_and_1_to_6_is_refused() -> None:
    assert "reliability" in refusal(reliability="G")
    assert "credibility" in refusal(credibility=7)


def test_text_is_kept_verbatim() -> None:
    text = "  د ارګون ولسوالۍ —\n Urgun  "
    assert ReportSubmission.model_validate(VALID | {"text": text}).text == text
