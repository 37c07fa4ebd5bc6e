"""The incident page counts independent sources with their reasons, for the mechanism's staff."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import Engine

Browser = Callable[[str | None], TestClient]


def _section(html: str) -> str:
    match = re.search(r'<h3 id="corroboration">.*?</ul>', html, re.S)
    assert match, "no corroboration on the page"
    return match.group(0)


def test_staff_see_the_count_the_positions_and_the_origins(
    seeded: Engine, as_role: Browser
) -> None:
    section = _section(as_role("mediator").get("/incidents/TL-0001").text)
    # TL-0001: Afghanistan's allegation (a position) and one community report (witnessed)
    assert 'data-independent-sources="1"' in section
    assert 'data-position="AF" data-stance="allegation"' in section
    assert "a party&#39;s position, not corroboration" in section
    assert 'data-origin-group="witnessed"' in section
    assert "Reporter Gul Khan" not in section  # a community reporter stays protected


def test_a_party_liaison_does_not_see_the_sources_of_the_other_partys_reports(
    seeded: Engine, as_role: Browser
) -> None:
    page = as_role("liaison_pk").get("/incidents/TL-0001").text
    assert 'id="corroboration"' not in page
