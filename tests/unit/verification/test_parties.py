"""Who alleges what against whom: taken from a party's allegation (never a denial or a media
item), and corrected only by a mediator with a reason that is kept and audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from truceline.accounts.policy import AccessDenied
from truceline.audit.models import AuditEntry
from truceline.db.engine import transaction
from truceline.exchange.demo import OCTOBER_FILE, data_file
from truceline.exchange.importer import import_file
from truceline.incidents.models import Incident, IncidentReportLink, Report
from truceline.verification import parties, services
from truceline.verification.models import PartyCorrection
from truceline.verification.services import VerificationError

from .conftest import as_user
from .factories import AF_LIAISON, MEDIATOR, MONITOR, OCCURRED, PK_LIAISON, cross_border_fire

FLAGSHIP = "demo-2025-10-17-paktika-strikes"


def _report(
    session: Session, incident: Incident, code: str, minutes: int, **fields: object
) -> Report:
    report = Report(
        code=code,
        channel="web",
        content_hash=code,
        text=f"{code} text",
        received_at=OCCURRED + timedelta(minutes=minutes),
        **fields,
    )
    session.add(report)
    session.flush()
    session.add(IncidentReportLink(incident_id=incident.id, report_id=report.id))
    session.flush()
    return report


def test_the_alleging_party_comes_from_the_allegation_not_an_earlier_denial_or_media(
    engine: Engine,
) -> None:
    with transaction(engine) as session:
        incident = cross_border_fire(session)
        _report(session, incident, "MEDIA-1", 0, source_type="media", source_name="Dawn")
        _report(session, incident, "PK-DENIAL", 5, source_type="party_liaison",
                source_party="PK", claimed_perpetrator="PK")  # fmt: skip
        allegation = _report(session, incident, "AF-ALLEGES", 30, source_type="party_liaison",
                             source_party="AF", claimed_perpetrator="PK")  # fmt: skip
        case = services.open_case(session, incident, principal=MEDIATOR)
        assert (case.alleging_party, case.accused_party) == ("AF", "PK")
        assert case.allegation_report_id == allegation.id
        assert session.get(Report, allegation.id).kind == "allegation"  # type: ignore[union-attr]


def test_a_denial_or_a_media_item_alone_names_no_alleging_party(engine: Engine) -> None:
    with transaction(engine) as session:
        incident = cross_border_fire(session)
        _report(session, incident, "MEDIA-1", 0, source_type="media", source_party=None)
        _report(session, incident, "PK-DENIAL", 5, source_type="party_liaison",
                source_party="PK", kind="denial")  # fmt: skip
        case = services.open_case(session, incident, principal=MEDIATOR)
        assert case.alleging_party is None and case.allegation_report_id is None


def test_the_flagship_demo_case_is_alleged_by_afghanistan_against_pakistan(
    engine: Engine,
) -> None:
    with data_file(OCTOBER_FILE) as path:
        import_file(engine, path, "truceline-json")
    with transaction(engine) as session:
        incident = services.find_incident(session, FLAGSHIP)
        case = services.open_case(session, incident, principal=MEDIATOR)
        assert (case.alleging_party, case.accused_party) == ("AF", "PK")
        source = session.get(Report, case.allegation_report_id)
        assert source is not None and source.code == f"{FLAGSHIP}-af"


def _open_case(session: Session) -> int:
    incident = cross_border_fire(session)
    _report(session, incident, "PK-ALLEGES", 0, source_type="party_liaison", source_party="PK")
    services.open_case(session, incident, principal=MEDIATOR)
    return incident.id


def test_a_mediator_corrects_the_parties_with_a_reason_kept_and_audited(engine: Engine) -> None:
    with transaction(engine) as session:
        incident_id = _open_case(session)
        case = services.case_for(session, incident_id)
        assert (case.alleging_party, case.accused_party) == ("PK", "AF")
        parties.correct_parties(
            session, case, alleging_party="AF", accused_party="PK",
            reason="The PK report answers AF's allegation filed by telephone.", principal=MEDIATOR,
        )  # fmt: skip
    with transaction(engine) as session:
        case = services.case_for(session, incident_id)
        assert (case.alleging_party, case.accused_party, case.allegation_report_id) == (
            "AF", "PK", None,
        )  # fmt: skip
        kept = session.scalars(select(PartyCorrection)).one()
        assert (kept.alleging_before, kept.alleging_after, kept.corrected_by) == (
            "PK",
            "AF",
            "mona",
        )
        assert "telephone" in kept.reason
        actions = session.scalars(
            select(AuditEntry.action).where(AuditEntry.object_id == str(incident_id))
        ).all()
        assert "verification.parties_corrected" in actions


@pytest.mark.parametrize("principal", [AF_LIAISON, PK_LIAISON, MONITOR])
def test_only_a_mediator_corrects_the_parties(engine: Engine, principal: object) -> None:
    with transaction(engine) as session:
        case = services.case_for(session, _open_case(session))
        with pytest.raises(AccessDenied):
            parties.correct_parties(
                session, case, alleging_party="AF", accused_party="PK", reason="Mine.",
                principal=principal,  # type: ignore[arg-type]
            )  # fmt: skip


@pytest.mark.parametrize(
    ("alleging", "accused", "reason", "field"),
    [
        ("AF", "PK", "  ", "reason"),
        ("AF", "AF", "Typo.", "accused_party"),
        ("QA", "PK", "Typo.", "alleging_party"),
    ],
)
def test_a_bad_correction_names_the_field(
    engine: Engine, alleging: str, accused: str, reason: str, field: str
) -> None:
    with transaction(engine) as session:
        case = services.case_for(session, _open_case(session))
        with pytest.raises(VerificationError, match=f"^{field}: "):
            parties.correct_parties(
                session, case, alleging_party=alleging, accused_party=accused, reason=reason,
                principal=MEDIATOR,
            )  # fmt: skip


def test_the_api_corrects_and_refuses_a_liaison(
    api_client: TestClient, sqlite_engine: Engine
) -> None:
    body = {"alleging_party": "AF", "accused_party": "PK", "reason": "Filed by telephone."}
    mediator = as_user(sqlite_engine, "mona")
    opened = {"alleging_party": "PK", "accused_party": "AF"}
    response = api_client.post("/api/verification/INC-API-1", json=opened, headers=mediator)
    assert response.status_code == 200, response.text
    refused = api_client.post(
        "/api/verification/INC-API-1/parties", json=body, headers=as_user(sqlite_engine, "sana")
    )
    assert refused.status_code == 403
    response = api_client.post("/api/verification/INC-API-1/parties", json=body, headers=mediator)
    assert response.status_code == 200, response.text
    case = response.json()
    assert (case["alleging_party"], case["accused_party"]) == ("AF", "PK")
    assert case["party_corrections"][0]["reason"] == "Filed by telephone."
    bad = api_client.post(
        "/api/verification/INC-API-1/parties", json=body | {"accused_party": "AF"}, headers=mediator
    )
    assert bad.status_code == 422 and "accused_party" in bad.text
