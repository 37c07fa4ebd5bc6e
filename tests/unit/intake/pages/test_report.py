"""The submission form: policy, CSRF, errors next to the field, idempotent resubmission."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from truceline.db.engine import transaction
from truceline.incidents.models import Report


def _form(client: TestClient, lang: str = "en") -> dict[str, str]:
    page = client.get(f"/intake/report?lang={lang}")
    assert page.status_code == 200, page.text
    fields = dict(re.findall(r'name="(csrf_token|client_token)" value="([^"]+)"', page.text))
    assert set(fields) == {"csrf_token", "client_token"}
    return fields


ALLEGATION = {
    "text": "Mortar rounds hit the bazaar of Angoor Adda after the truce.",
    "occurred_on": "2025-10-18",
    "occurred_time": "10:15",
    "place_text": "Angoor Adda, South Waziristan",
    "lat": "32.62",
    "lon": "69.35",
    "event_type": "shelling_artillery_missile_attack",
}


def _reports(engine: Engine) -> int:
    with transaction(engine) as session:
        return int(session.scalar(select(func.count()).select_from(Report)) or 0)


def test_a_liaison_files_an_allegation_in_the_name_of_their_party(
    as_role: Callable[[str], TestClient], seeded: Engine
) -> None:
    liaison = as_role("liaison_af")
    page = liaison.get("/intake/report").text
    assert "File an allegation" in page and "Filed in the name of Afghanistan" in page
    response = liaison.post("/intake/report", data={**_form(liaison), **ALLEGATION})
    assert response.status_code == 200, response.text
    assert "was received" in response.text
    with transaction(seeded) as session:
        report = session.scalars(select(Report).order_by(Report.id.desc())).first()
        assert report is not None
        assert (report.source_type, report.source_party) == ("party_liaison", "AF")
        assert report.text == ALLEGATION["text"] and report.channel == "web"


def test_resending_the_same_form_does_not_file_twice(
    as_role: Callable[[str], TestClient], seeded: Engine
) -> None:
    monitor = as_role("field_monitor")
    form = {**_form(monitor), **ALLEGATION}
    before = _reports(seeded)
    first = monitor.post("/intake/report", data=form)
    again = monitor.post("/intake/report", data=form)
    assert first.status_code == again.status_code == 200
    assert "had already been received" in again.text
    assert _reports(seeded) == before + 1


def test_errors_appear_next_to_their_field_in_the_users_language(
    as_role: Callable[[str], TestClient], seeded: Engine
) -> None:
    reporter = as_role("community_reporter")
    bad = {
        **_form(reporter, "ps"),
        **ALLEGATION,
        "text": "  ",
        "lat": "95",
        "occurred_on": "2999-01-01",
    }
    response = reporter.post("/intake/report", data=bad)
    assert response.status_code == 422
    assert '<html lang="ps" dir="rtl">' in response.text
    for field in ("text", "lat", "occurred_on"):
        assert f'id="{field}-error"' in response.text
    assert 'aria-describedby="lat-error"' in response.text
    assert "Latitude is a number" not in response.text  # translated
    assert 'value="Angoor Adda, South Waziristan"' in response.text  # the rest is kept


def test_a_form_without_its_csrf_field_is_refused(
    as_role: Callable[[str], TestClient], seeded: Engine
) -> None:
    monitor = as_role("field_monitor")
    form = _form(monitor)
    response = monitor.post(
        "/intake/report", data={"client_token": form["client_token"], **ALLEGATION}
    )
    assert response.status_code == 403
    assert _reports(seeded) == 10


def test_the_public_is_sent_to_sign_in(client: TestClient) -> None:
    response = client.get("/intake/report", follow_redirects=False)
    assert (
        response.status_code == 303 and response.headers["location"] == "/login?next=/intake/report"
    )
    assert 'href="/intake/report"' not in client.get("/").text


def _latest(engine: Engine) -> Report:
    with transaction(engine) as session:
        report = session.scalars(select(Report).order_by(Report.id.desc())).first()
        assert report is not None
        session.expunge(report)
        return report


def test_the_form_records_how_the_submitter_knows_and_what_a_party_files(
    as_role: Callable[[str], TestClient], seeded: Engine
) -> None:
    reporter = as_role("community_reporter")
    relayed = {"origin": "relayed", "relayed_from": "the Chaman district hospital"}
    response = reporter.post("/intake/report", data={**_form(reporter), **ALLEGATION, **relayed})
    assert response.status_code == 200, response.text
    report = _latest(seeded)
    assert (report.origin, report.relayed_from, report.origin_note) == (
        "relayed", "the Chaman district hospital", "as stated at intake",
    )  # fmt: skip
    liaison = as_role("liaison_pk")
    assert 'id="kind"' in liaison.get("/intake/report").text
    answer = {**_form(liaison), **ALLEGATION, "kind": "denial"}
    assert liaison.post("/intake/report", data=answer).status_code == 200
    assert (_latest(seeded).kind, _latest(seeded).source_party) == ("denial", "PK")


def test_a_relayed_report_without_its_source_is_refused_under_that_field(
    as_role: Callable[[str], TestClient], seeded: Engine
) -> None:
    monitor = as_role("field_monitor")
    assert 'id="kind"' not in monitor.get("/intake/report").text  # only a party files one
    response = monitor.post(
        "/intake/report", data={**_form(monitor), **ALLEGATION, "origin": "relayed"}
    )
    assert response.status_code == 422
    assert 'id="relayed_from-error"' in response.text
