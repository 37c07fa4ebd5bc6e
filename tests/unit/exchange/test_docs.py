"""The exchange documentation names every column and type the code writes."""

from __future__ import annotations

from pathlib import Path

from truceline.events.taxonomy import CEASEFIRE_EVENT_TYPES
from truceline.exchange.acled import ACLED_COLUMNS

DOCS = Path(__file__).resolve().parents[3] / "docs"


def test_data_model_lists_every_acled_export_column_in_order() -> None:
    text = " ".join((DOCS / "data-model.md").read_text(encoding="utf-8").split())
    assert ", ".join(ACLED_COLUMNS) in text


def test_data_model_names_every_ceasefire_event_type() -> None:
    text = (DOCS / "data-model.md").read_text(encoding="utf-8")
    assert all(f"`{event_type}`" in text for event_type in CEASEFIRE_EVENT_TYPES)
