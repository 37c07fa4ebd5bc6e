"""Names, not codes: parties, armed groups, criteria and the right of reply as people say them."""

from __future__ import annotations

from types import SimpleNamespace

from fastapi.testclient import TestClient

from truceline.http.i18n import LANGUAGES, UIContext
from truceline.web.names_view import actor_namer, task_description

GROUPS = {
    "TTP": ("Tehrik-i-Taliban Pakistan", {"ps": "د پاکستان طالبان", "ur": "تحریک طالبان پاکستان"}),
    "BLA_MB": ("Majeed Brigade", {}),
}


def _ui(code: str) -> UIContext:
    return UIContext(LANGUAGES[code], "UTC")


def test_a_party_reads_as_its_name_in_the_readers_language() -> None:
    name = actor_namer(_ui("ur"), lambda: GROUPS)
    assert name("PK") == "پاکستان" and name("AF") == "افغانستان"


def test_a_group_reads_as_its_name_in_the_readers_language_with_its_id_isolated() -> None:
    assert actor_namer(_ui("ps"), lambda: GROUPS)("TTP") == (
        '<span dir="auto">د پاکستان طالبان</span> (<bdi>TTP</bdi>)'
    )
    assert "Majeed Brigade" in actor_namer(_ui("ur"), lambda: GROUPS)("BLA_MB")
    assert "Tehrik-i-Taliban Pakistan" in actor_namer(_ui("en"), lambda: GROUPS)("TTP")


def test_the_registry_is_read_only_when_a_group_is_shown() -> None:
    reads: list[int] = []

    def loader() -> dict[str, tuple[str, dict[str, str]]]:
        reads.append(1)
        return GROUPS

    name = actor_namer(_ui("en"), loader)
    name("PK")
    assert reads == []
    name("TTP"), name("BLA_MB")
    assert reads == [1]


def test_the_reply_task_the_system_writes_is_translated_with_the_party_name() -> None:
    task = SimpleNamespace(description="reply of PK", requested_from="PK")
    assert task_description(task, _ui("ur")) == "پاکستان کا جواب"
    assert task_description(task, _ui("en")) == "reply of Pakistan"
    typed = SimpleNamespace(description="Check the site", requested_from=None)
    assert task_description(typed, _ui("ur")) == "Check the site"


def test_the_incident_page_names_the_perpetrator_instead_of_its_code(mediator: TestClient) -> None:
    page = mediator.get("/incidents/TL-0001?lang=ps").text
    assert "<dd>پاکستان" in page.replace("<dd>\n", "<dd>")


def test_the_actor_filter_offers_group_names(mediator: TestClient) -> None:
    page = mediator.get("/incidents?lang=en").text
    assert 'value="TTP"' in page and "Tehrik-i-Taliban Pakistan (TTP)</option>" in page


def test_the_designation_matrix_shows_criteria_by_name_not_code(client: TestClient) -> None:
    page = client.get("/designations?lang=ur&as_of=2025-10-20").text
    assert ">attacks_on_states<" not in page and "<strong>attacks_on_states</strong>" not in page
    assert "کسی بھی ریاست کی افواج یا شہریوں پر حملے" in page or "سرحد پار کارروائیاں" in page
