"""Evidence from the incident page, through real sign-in, on both back ends."""

from __future__ import annotations

import re
from collections.abc import Callable

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from truceline.db.engine import transaction
from truceline.verification import services
from truceline.verification.models import CustodyEntry, EvidenceItem
from truceline.verification.pages.messages import FIELD_MESSAGES

CODE = "TL-0004"
Browser = Callable[[str | None], TestClient]
STATEMENT = b"Witness: the shells came from the east at dawn. Name: Gul Khan."


def _open_case(engine: Engine) -> None:
    from truceline.accounts.roles import Principal, Role

    with transaction(engine) as session:
        incident = services.find_incident(session, CODE)
        services.open_case(session, incident, principal=Principal("mona", Role.MEDIATOR))


def _token(browser: TestClient) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', browser.get(f"/incidents/{CODE}").text)
    assert match
    return match.group(1)


def _post(browser: TestClient, form: str, data: dict[str, str], **files: object) -> httpx.Response:
    return browser.post(
        f"/incidents/{CODE}/evidence/{form}",
        data={"csrf_token": _token(browser), **data},
        files=files or None,  # type: ignore[arg-type]
        follow_redirects=False,
    )


def _items(engine: Engine) -> list[EvidenceItem]:
    with transaction(engine) as session:
        return list(session.scalars(select(EvidenceItem).order_by(EvidenceItem.id)))


ADD = {"obtained_by": "maya", "obtained_on": "2025-10-19", "obtained_time": "09:30",
       "how_obtained": "Statement taken in Kurram", "description": "Witness statement"}  # fmt: skip


def test_a_mediator_adds_hands_over_redacts_and_discloses_evidence(
    as_role: Browser, seeded: Engine
) -> None:
    _open_case(seeded)
    mediator = as_role("mediator")
    added = _post(mediator, "evidence", ADD, file=("statement.txt", STATEMENT, "text/plain"))
    assert added.status_code == 303, re.findall(
        r"(?:field-error|form-errors)[^>]*>([^<]*)", added.text
    )
    (original,) = _items(seeded)
    assert (original.filename, original.obtained_by) == ("statement.txt", "maya")
    ref = {"evidence_id": str(original.id)}
    handed = {**ref, "custody_action": "sealed", "holder": "Mechanism safe, Kabul office"}
    assert _post(mediator, "evidence-custody", handed).status_code == 303
    redacted = {**ref, "terms": "Gul Khan", "redaction_note": "Witness name protected"}
    assert _post(mediator, "evidence-redact", redacted).status_code == 303
    assert _post(mediator, "evidence-disclose", ref).status_code == 303
    items = _items(seeded)
    assert items[0].disclosed and items[1].derived_from_id == original.id
    with transaction(seeded) as session:
        chain = session.scalars(
            select(CustodyEntry.action).where(CustodyEntry.evidence_id == original.id)
        ).all()
    assert {"received", "sealed", "redacted", "disclosed"} <= set(chain)
    page = mediator.get(f"/incidents/{CODE}").text
    assert "The original is disclosed to both parties." in page
    assert f'href="/api/verification/evidence/{items[1].id}/content"' in page
    copy = mediator.get(f"/api/verification/evidence/{items[1].id}/content")
    assert b"Gul Khan" not in copy.content and b"shells came from the east" in copy.content


def test_missing_file_and_metadata_are_named_next_to_their_fields(
    as_role: Browser, seeded: Engine
) -> None:
    _open_case(seeded)
    mediator = as_role("mediator")
    response = _post(mediator, "evidence", {**ADD, "obtained_on": "2999-01-01"})
    assert response.status_code == 422
    assert FIELD_MESSAGES["file"] in response.text
    no_how = _post(mediator, "evidence", {**ADD, "how_obtained": " "},
                   file=("s.txt", STATEMENT, "text/plain"))  # fmt: skip
    assert no_how.status_code == 422 and FIELD_MESSAGES["how_obtained"] in no_how.text
    future = _post(mediator, "evidence", {**ADD, "obtained_on": "2999-01-01"},
                   file=("s.txt", STATEMENT, "text/plain"))  # fmt: skip
    assert future.status_code == 422 and FIELD_MESSAGES["obtained_on"] in future.text
    assert _items(seeded) == []


def test_the_other_party_cannot_read_an_undisclosed_original_or_disclose_it(
    as_role: Browser, seeded: Engine
) -> None:
    _open_case(seeded)
    mediator = as_role("mediator")
    _post(mediator, "evidence", ADD, file=("statement.txt", STATEMENT, "text/plain"))
    (original,) = _items(seeded)
    liaison = as_role("liaison_pk")
    assert f'data-evidence="{original.id}"' not in liaison.get(f"/incidents/{CODE}").text
    assert liaison.get(f"/api/verification/evidence/{original.id}/content").status_code == 403
    refused = _post(liaison, "evidence-disclose", {"evidence_id": str(original.id)})
    assert refused.status_code == 403 and not _items(seeded)[0].disclosed
