"""The analysts' triage pages through real sign-in, on both back ends.

Reports are filed through intake's ``submit_report`` (``support_triage``), so the
linker has really run: one is auto-linked with a high score, one with a low
score, two are left unlinked with TL-0004 as their candidate.
"""

from __future__ import annotations

import ast
import inspect
import re
from collections.abc import Callable
from datetime import UTC, datetime
from types import ModuleType

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from support_leakcheck import assert_no_identity_leak
from support_triage import REPORTER_NAME, REPORTER_PHONE, seed_triage
from truceline.accounts.roles import PARTIES, PARTY_BOUND_ROLES, Principal, Role
from truceline.app import build_registry
from truceline.audit.actor import Actor
from truceline.audit.models import AuditEntry
from truceline.db.engine import transaction
from truceline.http.i18n import LANGUAGES, UIContext
from truceline.incidents import curation
from truceline.incidents import services as linking_services
from truceline.incidents.curation import CurationError
from truceline.incidents.models import Incident, IncidentOperation, IncidentReportLink, Report
from truceline.incidents.services import active_links
from truceline.intake.proposals import proposals_of, review_fact
from truceline.intake.schemas import ReportSubmission
from truceline.intake.services import submit_report
from truceline.verification.pages.triage_messages import (
    REFUSAL_MESSAGES,
    reason_phrase,
    refusal_phrase,
)
from truceline.verification.pages.triage_queries import may_triage

Browser = Callable[[str | None], TestClient]


@pytest.fixture
def ids(seeded: Engine) -> dict[str, int]:
    with transaction(seeded) as session:
        return seed_triage(session)


def _incident(engine: Engine, code: str) -> Incident:
    with transaction(engine) as session:
        found = session.scalar(select(Incident).where(Incident.code == code))
        assert found is not None
        return found


def _linked_to(engine: Engine, report_id: int) -> str | None:
    with transaction(engine) as session:
        links = active_links(session, report_id)
        return session.get_one(Incident, links[0].incident_id).code if links else None


def _method(engine: Engine, report_id: int) -> str:
    with transaction(engine) as session:
        return active_links(session, report_id)[0].method


def _audit(engine: Engine, action: str) -> list[tuple[str, str]]:
    with transaction(engine) as session:
        rows = session.scalars(select(AuditEntry).where(AuditEntry.action == action))
        return [(row.actor, row.object_id) for row in rows]


def active_links_of(session: Session, incident_id: int) -> list[IncidentReportLink]:
    return list(session.scalars(select(IncidentReportLink).where(
        IncidentReportLink.incident_id == incident_id, IncidentReportLink.unlinked_at.is_(None))))  # fmt: skip


def _post(browser: TestClient, report_id: int, verb: str, data: dict[str, object]) -> Response:
    """Post one of the page's forms with the CSRF token the page carries."""
    page = browser.get(f"/triage/reports/{report_id}")
    assert page.status_code == 200, page.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    return browser.post(
        f"/triage/reports/{report_id}/{verb}",
        data={"csrf_token": token[1], **data},
        follow_redirects=False,
    )


def _done(browser: TestClient, response: Response) -> str:
    assert response.status_code == 303, response.text
    page = browser.get(response.headers["location"])
    assert page.status_code == 200
    found = re.search(r'<p class="success" role="status" id="confirmation">([^<]*)</p>', page.text)
    assert found is not None, page.text
    return found[1]


def _queue(browser: TestClient, query: str = "") -> list[tuple[str, str]]:
    page = browser.get(f"/triage{query}")
    assert page.status_code == 200, page.text
    return re.findall(r'data-report="([\w.-]+)" data-status="(\w+)"', page.text)


def _code(engine: Engine, report_id: int) -> str:
    with transaction(engine) as session:
        return session.get_one(Report, report_id).code


def test_queue_lists_reports_needing_attention_newest_first(
    as_role: Browser, seeded: Engine, ids: dict[str, int]
) -> None:
    mediator = as_role("mediator")
    codes = {key: _code(seeded, report_id) for key, report_id in ids.items()}
    # TL-0004 is still "reported": an import linked its reports and no analyst has looked
    assert _queue(mediator) == [
        (codes["community"], "unlinked"),
        (codes["proposed"], "unlinked"),
        (codes["low"], "low_score"),
        ("TL-0004-R2", "import"),
        ("TL-0004-R1", "import"),
    ]
    page = mediator.get("/triage").text
    assert "Craters seen near the road." in page  # the excerpt, verbatim
    assert 'dir="auto" lang="ps"' in page  # the Pashto account keeps its direction
    assert re.search(
        r'data-incident="TL-0004">TL-0004</a>\s*· score <strong class="score">0.76<', page
    )
    reported = page.split('id="reported"')[1]
    assert 'data-incident="TL-0004"' in reported and "TL-0001" not in reported


def test_queue_filters_by_status_and_source_type(
    as_role: Browser, seeded: Engine, ids: dict[str, int]
) -> None:
    mediator = as_role("mediator")
    codes = {key: _code(seeded, report_id) for key, report_id in ids.items()}
    assert [c for c, _ in _queue(mediator, "?show=unlinked")] == [
        codes["community"],
        codes["proposed"],
    ]
    assert _queue(mediator, "?show=low_score") == [(codes["low"], "low_score")]
    allegations = _queue(mediator, "?show=all&source_type=party_liaison")
    assert allegations[0] == (codes["allegation"], "auto")
    assert {c for c, _ in allegations[1:]} == {f"TL-000{n}-R1" for n in range(1, 6)}
    assert _queue(mediator, "?show=unlinked&source_type=media") == []
    assert _queue(mediator, "?show=nonsense&source_type=nonsense") == _queue(mediator)


def test_report_page_shows_candidates_with_scores_and_readable_reasons(
    as_role: Browser, ids: dict[str, int]
) -> None:
    page = as_role("field_monitor").get(f"/triage/reports/{ids['proposed']}")
    assert page.status_code == 200
    candidate = page.text.split('data-candidate="TL-0004"')[1].split("</article>")[0]
    assert '<strong class="score">0.40</strong>' in candidate
    assert "proposed to an analyst" in candidate
    assert "10.0 km apart (places of this precision are off by about 4 km)" in candidate
    assert "Same type of event: Cross border fire" in candidate
    assert "Perpetrators not compared: one is unknown" in candidate
    assert '<span class="weight" dir="ltr">+1.4</span>' in candidate
    assert '<span class="weight" dir="ltr">−1.6</span>' in candidate
    pashto = as_role("mediator").get(f"/triage/reports/{ids['proposed']}?lang=ps").text
    assert '<html lang="ps" dir="rtl">' in pashto and "۱۰٫۰" in pashto and "۰٫۴۰" in pashto


def test_every_reason_and_refusal_is_told_from_a_catalogue_message() -> None:
    reasons = [
        "2.2 km apart (expected error 4 km): +4.1",
        "place not compared: no coordinates on one side",
        "0.5 h apart (expected error 14 h): +1.0",
        "time not compared: no reported time on one side",
        "same event type cross_border_fire: +1.4",
        "related event types armed_clash and cross_border_fire: -0.3",
        "different event types shelling_artillery_missile_attack and cross_border_fire: -4.5",
        "event type not compared: unknown on one side",
        "same claimed perpetrator PK: +0.9",
        "different claimed perpetrators PK and AF: -1.5",
        "perpetrator not compared: unknown on one side",
        "text similarity 0.74: +1.1",
        "text not compared: none in the same script",
    ]
    assert all(reason_phrase(r).known for r in reasons)
    assert reason_phrase("a new signal: +0.5").known is False  # shown as it is


def _raised_codes(module: ModuleType) -> set[str]:
    """Every ``code="..."`` a module's source gives an ``...Error`` (conditional ones too)."""
    tree = ast.parse(inspect.getsource(module))
    codes: set[str] = set()
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
    for call in (c for c in calls if isinstance(c.func, ast.Name) and c.func.id.endswith("Error")):
        for keyword in (k for k in call.keywords if k.arg == "code"):
            constants = [c for c in ast.walk(keyword.value) if isinstance(c, ast.Constant)]
            codes |= {c.value for c in constants if isinstance(c.value, str)}
    return codes


def test_every_refusal_code_of_linking_and_curation_has_a_catalogue_message() -> None:
    raised = _raised_codes(curation) | _raised_codes(linking_services)
    assert raised == set(REFUSAL_MESSAGES)
    assert refusal_phrase(CurationError("odd", code="something_new")).known is False


def test_a_refusal_is_told_by_its_code_and_params_whatever_its_wording() -> None:
    ui = UIContext(LANGUAGES["en"], "UTC")
    said = CurationError(
        "incident TL-0004 has since been merged into incident 9 by operation 7; undo first",
        code="incident_merged_since_by_operation",
        params={"code": "TL-0004", "op": 7},
    )
    reworded = CurationError(
        "TL-0004 went into 9 (op 7) meanwhile",
        code="incident_merged_since_by_operation",
        params={"code": "TL-0004", "op": 7},
    )
    for language in LANGUAGES:
        reader = UIContext(LANGUAGES[language], "UTC")
        assert refusal_phrase(said).text(reader) == refusal_phrase(reworded).text(reader)
    assert refusal_phrase(reworded).text(ui) == (
        "Incident TL-0004 has since been merged into another incident by operation 7: "
        "undo operation 7 first."
    )


def test_confirming_a_low_scored_link_is_audited_and_leaves_the_queue(
    as_role: Browser, seeded: Engine, ids: dict[str, int]
) -> None:
    mediator = as_role("mediator")
    tl4 = _incident(seeded, "TL-0004")
    response = _post(mediator, ids["low"], "confirm", {"incident_id": tl4.id})
    assert _done(mediator, response) == "The link of the report to incident TL-0004 is confirmed."
    assert _method(seeded, ids["low"]) == "confirmed"
    assert ("mona", str(tl4.id)) in _audit(seeded, "incident.report_linked")
    assert _code(seeded, ids["low"]) not in [c for c, _ in _queue(mediator)]
    shown = _queue(mediator, "?show=all&source_type=field_monitor")
    assert (_code(seeded, ids["low"]), "confirmed") in shown


def test_linking_to_a_candidate_shows_the_report_on_the_incident_page(
    as_role: Browser, seeded: Engine, ids: dict[str, int]
) -> None:
    monitor = as_role("field_monitor")
    tl4 = _incident(seeded, "TL-0004")
    response = _post(monitor, ids["proposed"], "link", {"incident_id": tl4.id})
    assert _done(monitor, response) == "The report is now linked to incident TL-0004."
    assert _linked_to(seeded, ids["proposed"]) == "TL-0004"
    assert "Two craters beside the canal, fresh." in monitor.get("/incidents/TL-0004").text
    assert ("maya", str(tl4.id)) in _audit(seeded, "incident.report_linked")


def test_linking_by_code_and_opening_a_new_incident(
    as_role: Browser, seeded: Engine, ids: dict[str, int]
) -> None:
    mediator = as_role("mediator")
    _done(mediator, _post(mediator, ids["community"], "link", {"incident_code": " TL-0002 "}))
    assert _linked_to(seeded, ids["community"]) == "TL-0002"
    message = _done(mediator, _post(mediator, ids["community"], "new-incident", {}))
    new_code = _linked_to(seeded, ids["community"])
    assert new_code and new_code.startswith("INC-") and new_code in message
    assert _method(seeded, ids["community"]) == "confirmed"
    assert ("mona", str(_incident(seeded, new_code).id)) in _audit(seeded, "incident.opened")
    page = mediator.get(f"/incidents/{new_code}").text
    assert "identity protected" in page and REPORTER_NAME not in page


def test_merge_then_undo_moves_the_reports_and_back(
    as_role: Browser, seeded: Engine, ids: dict[str, int]
) -> None:
    mediator = as_role("mediator")
    _done(mediator, _post(mediator, ids["proposed"], "new-incident", {}))
    duplicate = _incident(seeded, _linked_to(seeded, ids["proposed"]) or "")
    tl4 = _incident(seeded, "TL-0004")
    page = mediator.get(f"/triage/reports/{ids['proposed']}").text
    assert f'<option value="{tl4.id}"' in page.split('id="form-merge"')[1]
    merged = _post(mediator, ids["proposed"], "merge",
                   {"source_id": duplicate.id, "target_id": tl4.id, "reason": "same fire"})  # fmt: skip
    assert "their reports are now in TL-0004" in _done(mediator, merged)
    assert _linked_to(seeded, ids["proposed"]) == "TL-0004"
    assert "Two craters beside the canal" in mediator.get("/incidents/TL-0004").text
    assert ("mona", str(duplicate.id)) in _audit(seeded, "incident.merged")
    with transaction(seeded) as session:
        operation = session.scalars(select(IncidentOperation)).one()
    page = mediator.get(f"/triage/reports/{ids['proposed']}").text
    assert f'data-operation="{operation.id}" data-kind="merge"' in page and "same fire" in page
    undone = _post(mediator, ids["proposed"], "undo", {"operation_id": operation.id})
    assert _done(mediator, undone).startswith(f"Operation {operation.id} was undone")
    assert _linked_to(seeded, ids["proposed"]) == duplicate.code
    assert "Two craters beside the canal" not in mediator.get("/incidents/TL-0004").text
    assert ("mona", str(operation.id)) in _audit(seeded, "incident.operation_undone")
    assert (
        f'data-undone-by="{operation.id + 1}"'
        in mediator.get(f"/triage/reports/{ids['proposed']}").text
    )


def test_split_moves_the_chosen_reports_to_a_new_incident(
    as_role: Browser, seeded: Engine, ids: dict[str, int]
) -> None:
    monitor = as_role("field_monitor")
    tl4 = _incident(seeded, "TL-0004")
    chosen = {"incident_id": tl4.id, "report_ids": [ids["allegation"], ids["low"]]}
    message = _done(monitor, _post(monitor, ids["allegation"], "split", chosen))
    new_code = _linked_to(seeded, ids["allegation"])
    assert new_code and new_code != "TL-0004" and new_code in message
    assert _linked_to(seeded, ids["low"]) == new_code
    assert "Dand-e-Patan" not in monitor.get("/incidents/TL-0004").text
    assert "Dand-e-Patan" in monitor.get(f"/incidents/{new_code}").text
    assert ("maya", str(tl4.id)) in _audit(seeded, "incident.split")


def _refusal(response: Response, form: str) -> str:
    found = re.search(rf'data-refusal="{form}">(.*?)</p>', response.text, re.S)
    assert found is not None, response.text
    return found[1]


def test_refusals_are_shown_next_to_their_form(
    as_role: Browser, seeded: Engine, ids: dict[str, int]
) -> None:
    mediator = as_role("mediator")
    tl4 = _incident(seeded, "TL-0004")
    itself = _post(mediator, ids["low"], "merge", {"source_id": tl4.id, "target_id": tl4.id})
    assert itself.status_code == 422
    assert "cannot be merged into itself" in _refusal(itself, "merge")
    unknown = _post(mediator, ids["proposed"], "link", {"incident_code": "INC-NOPE"})
    assert unknown.status_code == 422
    assert _refusal(unknown, "link") == "No incident has the code INC-NOPE."
    odd = _post(mediator, ids["proposed"], "link", {"incident_id": "²"})
    assert odd.status_code == 422 and _refusal(odd, "link") == "Choose an incident."
    assert _post(mediator, ids["proposed"], "delete", {}).status_code == 404
    nothing = _post(mediator, ids["low"], "split", {"incident_id": tl4.id})
    assert _refusal(nothing, "split") == "Choose the reports to move to a new incident."
    stranger = _post(mediator, ids["low"], "split",
                     {"incident_id": tl4.id, "report_ids": [ids["proposed"]]})  # fmt: skip
    assert stranger.status_code == 422
    assert "no longer linked to incident TL-0004" in _refusal(stranger, "split")
    with transaction(seeded) as session:
        everything = [link.report_id for link in active_links_of(session, tl4.id)]
    whole = _post(mediator, ids["low"], "split", {"incident_id": tl4.id, "report_ids": everything})
    assert _refusal(whole, "split") == (
        "Choose some, but not all, of the incident&#39;s reports to move to a new incident."
    )
    assert _linked_to(seeded, ids["low"]) == "TL-0004"  # nothing changed


def test_linking_to_a_merged_incident_and_undoing_twice_are_refused(
    as_role: Browser, seeded: Engine, ids: dict[str, int]
) -> None:
    mediator = as_role("mediator")
    tl2, tl4 = _incident(seeded, "TL-0002"), _incident(seeded, "TL-0004")
    _done(
        mediator, _post(mediator, ids["low"], "merge", {"source_id": tl2.id, "target_id": tl4.id})
    )
    gone = _post(mediator, ids["proposed"], "link", {"incident_id": tl2.id})
    assert gone.status_code == 422
    assert _refusal(gone, "link") == (
        "Incident TL-0002 was merged into another incident: link the report to that one."
    )
    with transaction(seeded) as session:
        operation_id = session.scalars(select(IncidentOperation.id)).one()
    _done(mediator, _post(mediator, ids["low"], "undo", {"operation_id": operation_id}))
    again = _post(mediator, ids["low"], "undo", {"operation_id": operation_id})
    assert again.status_code == 422
    assert _refusal(again, "undo") == "This operation has already been undone."
    assert "Undo" not in again.text.split(f'data-operation="{operation_id}"')[1].split("</tr>")[0]


def test_the_policy_refuses_a_team_member_a_merge_with_its_reason(
    as_role: Browser, seeded: Engine, ids: dict[str, int]
) -> None:
    """Party-nominated team members see the queue's reports but do not shape incidents."""
    team = as_role("team_member")
    tl2, tl4 = _incident(seeded, "TL-0002"), _incident(seeded, "TL-0004")
    token = re.search(r'name="csrf_token" value="([^"]+)"', team.get("/").text)
    assert token is not None and team.get("/triage").status_code == 403
    refused = team.post(
        f"/triage/reports/{ids['low']}/merge",
        data={"csrf_token": token[1], "source_id": tl2.id, "target_id": tl4.id},
        follow_redirects=False,
    )
    assert refused.status_code == 403
    assert _incident(seeded, "TL-0002").merged_into_id is None


def test_a_form_without_its_csrf_field_is_refused(
    as_role: Browser, seeded: Engine, ids: dict[str, int]
) -> None:
    mediator = as_role("mediator")
    response = mediator.post(
        f"/triage/reports/{ids['proposed']}/new-incident", data={}, follow_redirects=False
    )
    assert response.status_code == 403 and "CSRF" in response.text
    assert _linked_to(seeded, ids["proposed"]) is None


@pytest.mark.parametrize(
    ("key", "allowed"),
    [("mediator", True), ("team_member", False), ("field_monitor", True), ("admin", False),
     ("liaison_af", False), ("community_liaison", False), ("community_reporter", False)],
)  # fmt: skip
def test_triage_is_for_the_roles_the_policy_lets_link_and_so_is_its_link(
    as_role: Browser, ids: dict[str, int], key: str, allowed: bool
) -> None:
    browser = as_role(key)
    assert browser.get("/triage").status_code == (200 if allowed else 403)
    assert browser.get(f"/triage/reports/{ids['proposed']}").status_code == (
        200 if allowed else 403
    )
    assert ('href="/triage"' in browser.get("/").text) is allowed
    if not allowed:
        token = re.search(r'name="csrf_token" value="([^"]+)"', browser.get("/").text)
        assert token is not None
        refused = browser.post(f"/triage/reports/{ids['proposed']}/new-incident",
                               data={"csrf_token": token[1]}, follow_redirects=False)  # fmt: skip
        assert refused.status_code == 403


def test_the_public_is_sent_to_sign_in(client: TestClient, ids: dict[str, int]) -> None:
    response = client.get("/triage", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login?next=/triage"
    assert 'href="/triage"' not in client.get("/").text
    (item,) = [i for i in build_registry().nav_items if i.path == "/triage"]
    assert item.shown is may_triage
    assert triage_roles() == {"mediator", "field_monitor"}


def test_a_community_reporters_identity_never_appears(
    as_role: Browser, seeded: Engine, ids: dict[str, int]
) -> None:
    mediator = as_role("mediator")
    payloads: list[tuple[str, str]] = []
    for path in ("/triage", "/triage?show=all", "/triage?show=all&source_type=community_reporter",
                 f"/triage/reports/{ids['community']}", f"/triage/reports/{ids['proposed']}"):  # fmt: skip
        page = mediator.get(path)
        assert page.status_code == 200
        payloads.append((path, page.text))
    tl4 = _incident(seeded, "TL-0004")
    linked = _post(mediator, ids["community"], "link", {"incident_id": tl4.id})
    payloads.append(("after linking", mediator.get(linked.headers["location"]).text))
    split_page = mediator.get(f"/triage/reports/{ids['allegation']}").text
    assert "د شپې په کلي کې ډزې واورېدل شوې" in split_page  # the account itself is shown
    payloads.append(("split choices", split_page))
    assert_no_identity_leak([REPORTER_NAME, REPORTER_PHONE], payloads)


def test_imported_history_stays_out_of_the_queues_under_its_own_filter(
    as_role: Browser, seeded: Engine, ids: dict[str, int]
) -> None:
    when = datetime(2009, 5, 1, tzinfo=UTC)
    with transaction(seeded) as session:
        history = Incident(code="ucdp-ged-1001", title="GED event", occurred_at=when,
                           event_type="armed_clash", verification_state="historical")  # fmt: skip
        dataset = Report(code="ucdp-ged-1001-r1", channel="import", source_type="dataset",
                         source_name="UCDP GED", reliability="F", credibility=6, text="GED event",
                         received_at=when, content_hash="ged-1001")  # fmt: skip
        session.add_all([history, dataset])
        session.flush()
        session.add(IncidentReportLink(incident_id=history.id, report_id=dataset.id))
    mediator = as_role("mediator")
    for query in ("", "?show=all", "?show=imported", "?show=all&source_type=dataset"):
        assert "ucdp-ged-1001-r1" not in dict(_queue(mediator, query)), query
    assert _queue(mediator, "?show=history") == [("ucdp-ged-1001-r1", "import")]
    page = mediator.get("/triage").text
    assert "ucdp-ged-1001" not in page.split('id="reported"')[1]
    assert '<option value="history">Imported history</option>' in page


def triage_roles() -> set[str]:
    """The roles the policy lets triage (a party-bound role tried with a party)."""
    return {
        role.value
        for role in Role
        if may_triage(Principal("-", role, PARTIES[0] if role in PARTY_BOUND_ROLES else None))
    }


#: Written from the public reporting of 17-18 October 2025, in our own words.
PAKTIKA_NEWS = (
    "KABUL, Oct 18, 2025 - Afghan officials said Pakistani airstrikes late on Friday killed at "
    "least 10 civilians and wounded 12 others in Barmal district of Paktika province."
)


def test_a_new_incident_opened_in_triage_takes_the_facts_as_reviewed_and_shows_where_from(
    as_role: Browser, seeded: Engine
) -> None:
    desk = Actor(name="news-desk", role="mediator", party=None)
    submission = ReportSubmission.model_validate(
        {"source_type": "media", "source_party": None, "source_name": "wire service",
         "reliability": "B", "credibility": 3, "text": PAKTIKA_NEWS}
    )  # fmt: skip
    with transaction(seeded) as session:
        report_id = submit_report(session, submission, actor=desk, link=False).report.id
        proposal = next(p for p in proposals_of(session, report_id) if p.field == "event_type")
        review_fact(session, proposal.id, decision="corrected",
                    correction="shelling_artillery_missile_attack", actor=desk, role="mediator")  # fmt: skip
    mediator = as_role("mediator")
    _done(mediator, _post(mediator, report_id, "new-incident", {}))
    incident = _incident(seeded, _linked_to(seeded, report_id) or "")
    assert incident.event_type == "shelling_artillery_missile_attack"
    assert incident.occurred_at.date().isoformat() == "2025-10-17" and incident.lat is not None
    page = mediator.get(f"/incidents/{incident.code}").text
    assert f'data-read-from-text="{report_id}"' in page
    assert "Event type: corrected in triage" in page
