"""Agreements, designations and findings pages, on both back ends."""

from __future__ import annotations

import html
import re
from datetime import datetime

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from truceline.agreements import services as agreements
from truceline.agreements.documents import builtin_documents
from truceline.agreements.pages.agreements import DURATION_LABELS, STANCE_LABELS
from truceline.agreements.schema import AgreementDocument
from truceline.audit.actor import Actor
from truceline.db.engine import transaction
from truceline.designations.domain.positions import Stance
from truceline.http.i18n import LANGUAGES, UIContext, translations_for


def test_the_agreement_list_links_each_agreement_with_its_version(client: TestClient) -> None:
    page = client.get("/agreements")
    assert page.status_code == 200
    assert 'href="/agreements/truce-2025-10-15"' in page.text
    assert "48-hour temporary ceasefire" in page.text


def test_an_agreement_page_shows_its_clauses_verbatim_at_a_chosen_version(
    client: TestClient,
) -> None:
    page = client.get("/agreements/truce-2025-10-15?version=1")
    assert page.status_code == 200
    assert 'id="clause-cease-hostilities"' in page.text
    assert "Both sides cease hostilities for 48 hours" in page.text
    assert 'data-version="1"' in page.text
    assert client.get("/agreements/truce-2025-10-15?version=99").status_code == 404
    assert client.get("/agreements/no-such-agreement").status_code == 404


def test_the_designation_matrix_marks_groups_where_the_parties_diverge(client: TestClient) -> None:
    page = client.get("/designations?as_of=2025-10-20").text
    assert 'id="group-BLA"' in page
    row = page.split('id="group-BLA"')[0].rsplit("<tr", 1)[1]
    assert 'data-diverges="true"' in row


def test_the_matrix_shows_stances_as_labels_and_keeps_the_codes_in_data_stance(
    client: TestClient,
) -> None:
    assert set(STANCE_LABELS) == {stance.value for stance in Stance}
    page = client.get("/designations?as_of=2025-10-20").text
    row = page.split('id="group-BLA"')[1].split("</tr>")[0]
    cells = re.findall(r'<td title="[^"]*" data-stance="([a-z_]+)">([^<]*)</td>', row)
    assert cells == [("unknown", "Unknown"), ("designated", "Designated"), ("disputed", "Disputed")]
    matrix = page.split('id="designation-matrix"')[1].split("</table>")[0]
    for stance in Stance:
        assert f">{stance.value}<" not in matrix  # never the raw code as the text
    assert 'data-stance="not_designated">Not designated<' in matrix


def test_the_replay_page_names_the_lists_instead_of_showing_their_codes(
    client: TestClient,
) -> None:
    page = client.get("/designations/replay?baseline=joint&candidate=PK").text
    assert '<option value="joint" selected>Joint list</option>' in page
    assert '<option value="PK" selected>Pakistan&#39;s list</option>' in page
    assert ">AF</option>" not in page


def test_the_impact_replay_compares_named_lists_only(client: TestClient) -> None:
    page = client.get("/designations/replay?baseline=joint&candidate=PK")
    assert page.status_code == 200 and 'data-count="changed"' in page.text
    refused = client.get("/designations/replay?candidate=/etc/passwd&lang=ps")
    assert refused.status_code == 422
    assert 'id="candidate-error"' in refused.text and "root:" not in refused.text


def test_the_incident_page_shows_findings_with_their_explanation(mediator: TestClient) -> None:
    page = mediator.get("/incidents/TL-0001").text
    assert 'id="findings"' in page and 'data-finding="violation"' in page
    assert "Facts relied on" in page


def test_the_public_sees_findings_of_released_incidents_only(client: TestClient) -> None:
    assert 'data-finding="violation"' in client.get("/public/incidents/TL-0001").text
    assert client.get("/public/incidents/TL-0005").status_code == 404


def test_dashboard_counts_verified_violations_per_party_and_agreement(
    client: TestClient, mediator: TestClient
) -> None:
    for viewer in (client, mediator):
        page = viewer.get("/?date_from=2025-10-01&date_to=2025-10-31").text
        assert 'data-count="violations">1<' in page
        assert 'data-violations-party="PK">1<' in page
        assert 'data-violations-agreement="truce-extension-2025-10-17">1<' in page
    quiet = client.get("/?date_from=2025-11-01&date_to=2025-11-30").text
    assert 'data-count="violations">0<' in quiet


def _clauses_in_effect(document: AgreementDocument) -> tuple[list[str], str | None]:
    """The clause ids an agreement applies and where they come from (its own: None)."""
    by_id = {d.id: d for d in builtin_documents()}
    origin = None
    while not document.clauses and document.inherits_clauses_from:
        origin = document.inherits_clauses_from
        document = by_id[origin]
    return [c.id for c in document.clauses], origin


def _duration_text(document: AgreementDocument, language: str) -> str:
    translate = translations_for(language).gettext
    hours = document.duration_hours
    if isinstance(hours, int):
        return translate("%(hours)s h") % {
            "hours": UIContext(LANGUAGES[language], "UTC").number(hours)
        }
    return translate(DURATION_LABELS[hours])


def test_every_agreement_of_the_profile_renders_in_every_language(client: TestClient) -> None:
    """Doha and Istanbul are open-ended: their pages used to fail formatting that as a number."""
    for language in LANGUAGES:
        listing = client.get(f"/agreements?lang={language}")
        assert listing.status_code == 200, language
        for document in builtin_documents():
            clause_ids, _origin = _clauses_in_effect(document)
            assert f'href="/agreements/{document.id}"' in listing.text
            row = listing.text.split(f'href="/agreements/{document.id}"')[1].split("</tr>")[0]
            assert f'data-clauses="{len(clause_ids)}"' in row
            page = client.get(f"/agreements/{document.id}?lang={language}")
            assert page.status_code == 200, (language, document.id)
            assert clause_ids
            for clause_id in clause_ids:
                assert f'id="clause-{clause_id}"' in page.text
            duration = page.text.split('data-duration="')[1].split("</dd>")[0]
            assert duration.startswith(f'{document.duration_hours}">')
            assert duration.endswith(html.escape(_duration_text(document, language), quote=False))


def test_the_truce_extension_shows_the_truce_clauses_as_carried_over(client: TestClient) -> None:
    """Its finding cites ``cease-hostilities``: the page must list it, marked as inherited."""
    page = client.get("/agreements/truce-extension-2025-10-17").text
    clause = page.split('id="clause-cease-hostilities"')[1].split("</article>")[0]
    assert 'data-carried-over-from="truce-2025-10-15"' in page
    assert "carried over from truce-2025-10-15" in clause
    assert "Both sides cease hostilities for 48 hours" in clause
    own = client.get("/agreements/truce-2025-10-15").text
    assert "data-carried-over-from" not in own and 'id="clause-cease-hostilities"' in own
    listing = client.get("/agreements").text
    row = listing.split('href="/agreements/truce-extension-2025-10-17"')[1].split("</tr>")[0]
    assert 'data-clauses="1"' in row


def test_an_agreement_page_says_from_when_each_version_governs_incidents(
    client: TestClient, seeded: Engine
) -> None:
    doha = next(d for d in builtin_documents() if d.id == "doha-2025-10-19")
    start = datetime.fromisoformat("2025-10-27T00:00:00+05:00")
    amended = doha.model_copy(update={"notes": "Amended.", "effective_from": start})
    with transaction(seeded) as session:
        agreements.amend(session, amended, actor=Actor(name="mona", role="mediator"))
    first = client.get("/agreements/doha-2025-10-19?version=1").text
    assert 'data-governs-from="">from the start<' in first
    second = client.get("/agreements/doha-2025-10-19").text
    assert f'data-governs-from="{start.isoformat()}"' in second
    shown = UIContext(LANGUAGES["en"], "UTC").datetime_text(start)
    assert f'data-governs-from="{start.isoformat()}">from {shown}<' in second


def test_agreement_pages_name_kinds_and_prohibited_acts_instead_of_codes(
    client: TestClient,
) -> None:
    listing = client.get("/agreements").text
    assert "monitoring and verification mechanism" in listing and ">mechanism<" not in listing
    doha = client.get("/agreements/doha-2025-10-19").text
    assert "targeting civilians" in doha and "targeting_civilians" not in doha
    assert "support to groups attacking the other side" in doha
    urdu = client.get("/agreements/doha-2025-10-19?lang=ur").text
    assert "targeting_civilians" not in urdu and "targeting civilians" not in urdu
