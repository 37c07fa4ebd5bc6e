"""Builders of report submissions for the intake tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from truceline.intake.schemas import ReportSubmission

URGUN_STRIKE: dict[str, Any] = {
    "source_type": "party_liaison",
    "source_party": "AF",
    "source_name": "AF liaison office",
    "reliability": "B",
    "credibility": 3,
    "text": "Pakistani aircraft bombed civilian homes in Urgun, Paktika, killing ten civilians.",
    "occurred_at": "2025-10-17T21:30:00+05:00",
    "time_precision": 0,
    "lat": 32.93,
    "lon": 69.17,
    "event_type": "air_drone_strike",
    "claimed_perpetrator": "Pakistani forces",
    "targets": ["civilians"],
    "casualties": {"civilians": 10},
    "agreement_id": "truce-extension-2025-10-17",
}


@pytest.fixture
def submission() -> Callable[..., ReportSubmission]:
    """A valid allegation about the 17 October strike in Urgun, with fields overridden."""

    def build(**changes: Any) -> ReportSubmission:
        return ReportSubmission.model_validate(URGUN_STRIKE | changes)

    return build


@pytest.fixture
def urgun_strike() -> dict[str, Any]:
    """The fields of that allegation, as JSON would carry them."""
    return dict(URGUN_STRIKE)
