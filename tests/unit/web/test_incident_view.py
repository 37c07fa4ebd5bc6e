"""The incident page's place line: each name once."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from truceline.db.engine import transaction
from truceline.incidents.models import Incident
from truceline.web.incident_view import join_place_names


@pytest.mark.parametrize(
    ("parts", "line"),
    [
        (
            ["Urgun and Barmal districts, Paktika", "Urgun", "Paktika", "AF"],
            "Urgun and Barmal districts, Paktika, AF",
        ),
        (
            ["Angoor Adda", "South Waziristan", "Khyber Pakhtunkhwa", "PK"],
            "Angoor Adda, South Waziristan, Khyber Pakhtunkhwa, PK",
        ),
        (["Spin Boldak", "spin boldak", "Kandahar", "AF"], "Spin Boldak, Kandahar, AF"),
        # a name inside a longer word is a different name
        (["Khostwal", "Khost", None, "AF"], "Khostwal, Khost, AF"),
        ([None, None, "Paktika", "AF"], "Paktika, AF"),
        (["سپین بولدک", "سپین بولدک", "Kandahar", "AF"], "سپین بولدک, Kandahar, AF"),
        ([None, " ", None, None], ""),
    ],
)
def test_a_place_is_named_once_without_repeating_admin_names_already_in_the_text(
    parts: list[str | None], line: str
) -> None:
    assert join_place_names(parts) == line


def test_the_incident_page_names_the_demo_place_once(seeded: Engine, mediator: TestClient) -> None:
    with transaction(seeded) as session:
        incident = session.scalars(select(Incident).where(Incident.code == "TL-0001")).one()
        incident.place_name = "Urgun and Barmal districts, Paktika"
        incident.admin2 = "Urgun"
    page = mediator.get("/incidents/TL-0001")
    assert page.status_code == 200
    assert "Urgun and Barmal districts, Paktika</span> · Afghanistan" in page.text
    assert "Paktika, Urgun" not in page.text and "Paktika, AF" not in page.text


def test_the_incident_page_says_which_facts_were_read_from_a_reports_text(
    seeded: Engine, mediator: TestClient
) -> None:
    with transaction(seeded) as session:
        incident = session.scalars(select(Incident).where(Incident.code == "TL-0001")).one()
        incident.origin_record = {
            "read_from_text": {
                "report": 7,
                "facts": {"occurred_on": "accepted", "place": "proposed"},
            }
        }
    page = mediator.get("/incidents/TL-0001")
    assert page.status_code == 200
    assert 'data-read-from-text="7"' in page.text
    assert "When: read from the report&#39;s text, accepted in triage" in page.text
    assert "Place: read from the report&#39;s text, not yet reviewed" in page.text
