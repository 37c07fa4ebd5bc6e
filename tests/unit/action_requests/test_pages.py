from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from truceline.app import create_app

Browser = Callable[[str], TestClient]
FORM = {
    "group": "TTP", "asked_action": "arrest", "target_kind": "individuals",
    "target_detail": "two commanders", "clause": "no-support-to-groups-attacking-pakistan",
    "summary": "SECRET-PAGE-SUMMARY", "tlp": "amber",
}  # fmt: skip


def test_the_public_is_sent_to_sign_in(engine: object) -> None:
    client = TestClient(create_app(), base_url="https://testserver")
    answer = client.get("/requests", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login")


def test_a_liaison_files_a_request_and_the_mediator_screens_it(browser: Browser) -> None:
    sana, mona, farid = browser("sana"), browser("mona"), browser("farid")
    filed = sana.post("/requests/new", data=FORM, follow_redirects=False)
    assert filed.status_code == 303
    page = filed.headers["location"]
    code = page.rsplit("/", 1)[1]
    assert code in mona.get("/requests?box=screening").text
    assert farid.get(page).status_code == 404
    assert "SECRET-PAGE-SUMMARY" not in farid.get("/requests?box=inbox").text
    assert mona.post(f"{page}/steps", data={"step": "admit"}).status_code == 200
    mona.post(f"{page}/steps", data={"step": "deliver"})
    inbox = farid.get("/requests?box=inbox").text
    assert code in inbox
    assert 'id="step-acknowledge"' in farid.get(page).text


def test_an_unknown_group_shows_the_closest_aliases_in_the_readers_language(
    browser: Browser,
) -> None:
    answer = browser("sana").post("/requests/new?lang=ps", data={**FORM, "group": "Tehrik Talibn"})
    assert answer.status_code == 422
    assert 'data-field="group"' in answer.text
    assert "TTP" in answer.text


def test_a_refused_step_is_shown_on_the_page_and_nothing_changes(browser: Browser) -> None:
    sana, mona = browser("sana"), browser("mona")
    page = sana.post("/requests/new", data=FORM, follow_redirects=False).headers["location"]
    answer = mona.post(f"{page}/steps", data={"step": "return", "note": "why"})
    assert answer.status_code == 422
    assert 'id="step-error"' in answer.text
    assert 'data-state="submitted"' in mona.get(page).text


def test_the_dashboard_shows_the_request_figures_to_the_parties(browser: Browser) -> None:
    browser("sana").post("/requests/new", data=FORM)
    assert 'id="request-figures"' in browser("farid").get("/").text
    public = TestClient(create_app(), base_url="https://testserver")
    assert 'id="request-figures"' not in public.get("/").text


def test_the_group_is_named_once_unless_the_request_used_another_name(browser: Browser) -> None:
    sana = browser("sana")
    page = sana.post("/requests/new", data=FORM, follow_redirects=False).headers["location"]
    group = sana.get(page + "?lang=ur").text.split('id="request-asked"')[1].split("</dd>")[0]
    assert group.endswith("<dd><bdi>TTP</bdi>")  # not "TTP (TTP)"
    alias = {**FORM, "group": "Tehrik-i-Taliban Pakistan"}
    page = sana.post("/requests/new", data=alias, follow_redirects=False).headers["location"]
    group = sana.get(page + "?lang=en").text.split('id="request-asked"')[1].split("</dd>")[0]
    assert "(named in the request as <bdi>Tehrik-i-Taliban Pakistan</bdi>)" in group


def test_text_a_person_typed_keeps_its_own_direction_and_is_not_marked_english(
    browser: Browser,
) -> None:
    sana = browser("sana")
    urdu = {**FORM, "summary": "دو کمانڈروں کی گرفتاری کی درخواست"}
    page = sana.post("/requests/new", data=urdu, follow_redirects=False).headers["location"]
    html = sana.get(page + "?lang=ur").text
    assert '<p dir="auto" id="request-summary">دو کمانڈروں کی گرفتاری کی درخواست</p>' in html


def test_the_history_is_read_in_the_readers_language_with_values_kept_as_typed(
    browser: Browser,
) -> None:
    sana, mona = browser("sana"), browser("mona")
    page = sana.post("/requests/new", data=FORM, follow_redirects=False).headers["location"]
    mona.post(f"{page}/steps", data={"step": "admit", "note": "NOTE-AS-TYPED"})
    history = mona.get(page + "?lang=ur").text.split('id="request-history"')[1]
    assert "ثالث نے درخواست کو قابلِ سماعت پایا: <bdi>NOTE-AS-TYPED</bdi>" in history
    assert "گرفتاری" in history and "<bdi>TTP</bdi>" in history  # the asked action, the group
    assert "asks" not in history and 'lang="en"' not in history
    english = mona.get(page + "?lang=en").text.split('id="request-history"')[1]
    assert "The mediator found the request admissible: <bdi>NOTE-AS-TYPED</bdi>" in english
    assert "Pakistan asks Afghanistan to arrest against <bdi>TTP</bdi>" in english
