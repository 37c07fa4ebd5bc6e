"""A party's allegation is corrected only by that party; the mechanism annotates it instead.

Enforced in the services (``correct_report``, ``annotate_report``) through the
policy, so the API, pages and command line cannot disagree; the API tests at the
end use real accounts and tokens.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import DBAPIError

from truceline.accounts.policy import AccessDenied
from truceline.accounts.roles import Principal, Role
from truceline.app import create_app
from truceline.audit.actor import Actor
from truceline.config import get_settings
from truceline.content_store import ContentStore
from truceline.db.engine import transaction
from truceline.incidents.models import Report
from truceline.intake.annotations import annotate_report
from truceline.intake.models import ReportAnnotation
from truceline.intake.schemas import AnnotationIn, ReportCorrection, ReportSubmission
from truceline.intake.services import correct_report, report_out, submit_report
from unit.accounts.conftest import Account, bearer, token_for

AF_ACTOR = Actor(name="farid", role="party_liaison", party="AF")
AF_LIAISON = Principal("farid", Role.PARTY_LIAISON, "AF")
AF_COLLEAGUE = Principal("wahid", Role.PARTY_LIAISON, "AF")
NOT_AF = [
    Principal("ada", Role.ADMIN),
    Principal("mona", Role.MEDIATOR),
    Principal("maya", Role.FIELD_MONITOR),
    Principal("tariq", Role.TEAM_MEMBER),
    Principal("sana", Role.PARTY_LIAISON, "PK"),
    Principal("elder-gul", Role.COMMUNITY_LIAISON),
]
TOLL = ReportCorrection(reason="toll revised", changes={"casualties": {"civilians": 40}})


def _allegation(engine: Engine, submission: Callable[..., ReportSubmission]) -> int:
    with transaction(engine) as session:
        return submit_report(
            session, submission(), actor=AF_ACTOR, store=ContentStore.under(get_settings().data_dir)
        ).report.id


def _versions(engine: Engine) -> int:
    with transaction(engine) as session:
        return session.scalar(select(func.count()).select_from(Report)) or 0


@pytest.mark.parametrize("principal", NOT_AF, ids=lambda p: p.name)
def test_nobody_but_the_party_rewrites_its_allegation(
    engine: Engine, submission: Callable[..., ReportSubmission], principal: Principal
) -> None:
    report_id = _allegation(engine, submission)
    refusal = pytest.raises(AccessDenied, match="corrected only by AF's liaisons")
    with refusal, transaction(engine) as session:
        correct_report(session, report_id, TOLL, principal=principal)
    assert _versions(engine) == 1


@pytest.mark.parametrize("principal", [AF_LIAISON, AF_COLLEAGUE], ids=lambda p: p.name)
def test_the_partys_liaisons_correct_its_allegation(
    engine: Engine, submission: Callable[..., ReportSubmission], principal: Principal
) -> None:
    report_id = _allegation(engine, submission)
    with transaction(engine) as session:
        corrected = correct_report(session, report_id, TOLL, principal=principal)
        assert (corrected.source_party, corrected.submitted_by) == ("AF", principal.name)


def test_a_mediator_annotates_in_its_own_name_and_the_allegation_is_unchanged(
    engine: Engine, submission: Callable[..., ReportSubmission]
) -> None:
    report_id = _allegation(engine, submission)
    mediator = Principal("mona", Role.MEDIATOR)
    with transaction(engine) as session:
        before = session.get_one(Report, report_id).content_hash
        annotate_report(
            session, report_id, AnnotationIn(text="Hospital lists 12 dead"), principal=mediator
        )
    with transaction(engine) as session:
        shown = report_out(session, session.get_one(Report, report_id))
    assert shown.superseded_by_id is None and _versions(engine) == 1
    assert session.get_one(Report, report_id).content_hash == before
    assert [(a.text, a.author, a.author_role) for a in shown.annotations] == [
        ("Hospital lists 12 dead", "mona", "mediator")
    ]


@pytest.mark.parametrize(
    "principal",
    [AF_LIAISON, Principal("ada", Role.ADMIN), Principal("elder-gul", Role.COMMUNITY_LIAISON)],
    ids=lambda p: p.name,
)
def test_annotating_is_the_mechanisms_act(
    engine: Engine, submission: Callable[..., ReportSubmission], principal: Principal
) -> None:
    report_id = _allegation(engine, submission)
    with pytest.raises(AccessDenied), transaction(engine) as session:
        annotate_report(session, report_id, AnnotationIn(text="no"), principal=principal)


@pytest.mark.parametrize(
    "statement", ["UPDATE report_annotations SET text = 'x'", "DELETE FROM report_annotations"]
)
def test_the_database_refuses_to_change_an_annotation(
    engine: Engine, submission: Callable[..., ReportSubmission], statement: str
) -> None:
    report_id = _allegation(engine, submission)
    with transaction(engine) as session:
        annotate_report(
            session,
            report_id,
            AnnotationIn(text="seen"),
            principal=Principal("mona", Role.MEDIATOR),
        )
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(text(statement))
    with transaction(engine) as session:
        assert session.scalar(select(ReportAnnotation.text)) == "seen"


@pytest.fixture
def party_and_staff(engine: Engine) -> dict[str, Account]:
    from unit.accounts.conftest import create_accounts

    return create_accounts(engine)


def test_through_the_api_a_mediator_is_refused_the_correction_and_annotates_instead(
    engine: Engine,
    party_and_staff: dict[str, Account],
    submission: Callable[..., ReportSubmission],
) -> None:
    report_id = _allegation(engine, submission)
    with TestClient(create_app(), base_url="https://testserver") as client:
        for name in ("mona", "maya", "ada", "sana"):
            refused = client.post(
                f"/api/intake/reports/{report_id}/corrections",
                json=TOLL.model_dump(),
                headers=bearer(token_for(engine, name)),
            )
            assert refused.status_code == 403, (name, refused.text)
        note = client.post(
            f"/api/intake/reports/{report_id}/annotations",
            json={"text": "Hospital lists 12 dead"},
            headers=bearer(token_for(engine, "mona")),
        )
        assert note.status_code == 201 and note.json()["author"] == "mona"
        seen = client.get(
            f"/api/intake/reports/{report_id}", headers=bearer(token_for(engine, "farid"))
        ).json()
        assert seen["superseded_by_id"] is None and seen["casualties"]["civilians"]["best"] == 10
        assert [a["author"] for a in seen["annotations"]] == ["mona"]
        corrected = client.post(
            f"/api/intake/reports/{report_id}/corrections",
            json=TOLL.model_dump(),
            headers=bearer(token_for(engine, "farid")),
        )
        assert corrected.status_code == 201 and corrected.json()["source_party"] == "AF"
