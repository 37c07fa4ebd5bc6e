"""Storage contracts, run on SQLite and PostgreSQL (the ``engine`` fixture)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from truceline.agreements import services
from truceline.agreements.documents import builtin_documents
from truceline.agreements.facts import FactsInvalid
from truceline.agreements.models import StoredFinding
from truceline.agreements.profile_loader import load_profile
from truceline.agreements.threat import StaticThreatDefinition
from truceline.agreements.versions import AmendmentInvalid
from truceline.audit.actor import Actor
from truceline.audit.models import AuditEntry
from truceline.db.engine import transaction
from truceline.incidents.models import Incident

MEDIATOR = Actor(name="mediator-1", role="mediator")


def add_incident(engine: Engine, **overrides: Any) -> int:
    values: dict[str, Any] = {
        "code": "INC-1",
        "occurred_at": datetime.fromisoformat("2025-10-17T09:00:00+05:00"),
        "lat": 32.98,
        "lon": 70.27,
        "country": "PK",
        "event_type": "suicide_bomb",
        "perpetrator": "TTP",
        "targets": ["security_forces"],
        "casualties": {"security_forces": {"low": 7, "best": 7, "high": 7}},
        "attribution": [{"party": "AF", "link": "facilitated", "established": False}],
    }
    values.update(overrides)
    with transaction(engine) as session:
        incident = Incident(**values)
        session.add(incident)
        session.flush()
        return incident.id


def audit_actions(engine: Engine) -> list[str]:
    with transaction(engine) as session:
        return list(session.execute(select(AuditEntry.action).order_by(AuditEntry.seq)).scalars())


def test_init_loads_the_four_agreements_once(engine: Engine) -> None:
    with transaction(engine) as session:
        assert [a.id for a in services.list_agreements(session)] == sorted(
            d.id for d in builtin_documents()
        )
        assert load_profile(session) == {"agreements": 0}


def test_amending_an_agreement_creates_a_new_version_and_keeps_the_old(engine: Engine) -> None:
    doha = next(d for d in builtin_documents() if d.id == "doha-2025-10-19")
    amended = doha.model_copy(update={"notes": "Penalty levels agreed at a later meeting."})
    with transaction(engine) as session:
        stored = services.amend_agreement(session, amended, actor=MEDIATOR, note="test")
        assert stored is not None and stored.version == 2
        assert services.amend_agreement(session, amended, actor=MEDIATOR) is None
        versions = services.agreement_versions(session, "doha-2025-10-19")
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].document["notes"] != versions[1].document["notes"]
    assert versions[1].document["version"] == 2
    assert "agreement.amended" in audit_actions(engine)


def test_refresh_findings_stores_the_findings_and_audits(engine: Engine) -> None:
    incident_id = add_incident(engine)
    with transaction(engine) as session:
        rows = services.refresh_findings(session, incident_id, actor=MEDIATOR)
        assert [(r.agreement_id, r.finding) for r in rows] == [
            ("truce-2025-10-15", "spirit_concern")
        ]
        assert rows[0].facts_hash and rows[0].rules_version
    assert audit_actions(engine).count("findings.recomputed") == 1


def test_refreshing_unchanged_facts_changes_nothing(engine: Engine) -> None:
    incident_id = add_incident(engine)
    with transaction(engine) as session:
        first = services.refresh_findings(session, incident_id, actor=MEDIATOR)
        again = services.refresh_findings(session, incident_id, actor=MEDIATOR)
        assert [r.id for r in again] == [r.id for r in first]
        assert session.execute(select(func.count(StoredFinding.id))).scalar() == 1


def test_a_mediators_determination_supersedes_the_finding_and_keeps_history(engine: Engine) -> None:
    incident_id = add_incident(
        engine, occurred_at=datetime.fromisoformat("2025-10-22T09:00:00+05:00")
    )
    with transaction(engine) as session:
        services.refresh_findings(session, incident_id, actor=MEDIATOR)
        incident = session.get(Incident, incident_id)
        assert incident is not None
        incident.attribution = [{"party": "AF", "link": "facilitated", "established": True}]
        session.flush()
        current = services.refresh_findings(session, incident_id, actor=MEDIATOR)
        history = services.findings_history(session, incident_id)
    assert [(r.finding, r.violating_party, r.basis) for r in current] == [
        ("violation", "AF", "attributed")
    ]
    assert [r.finding for r in history] == ["spirit_concern", "violation"]
    assert history[0].superseded_at is not None and history[0].superseded_by_id == current[0].id
    assert audit_actions(engine).count("findings.recomputed") == 2


def test_recompute_all_applies_a_new_definition_and_lists_skipped_incidents(engine: Engine) -> None:
    harbouring = add_incident(
        engine,
        occurred_at=datetime.fromisoformat("2025-10-25T10:00:00+05:00"),
        event_type="headquarters_or_base_established",
        perpetrator="BLA",
        targets=[],
        attribution=[{"party": "AF", "link": "sanctioned", "established": True}],
    )
    broken = add_incident(engine, code="INC-2", perpetrator="Somebody")
    with transaction(engine) as session:
        first = services.recompute_all(session)
        pk_list = StaticThreatDefinition.of("PK's list", {"BLA"})
        second = services.recompute_all(session, definition=pk_list)
        current = services.current_findings(session, harbouring)
    assert first["incidents"] == 1 and first["skipped"][0]["incident_id"] == broken
    assert "perpetrator" in first["skipped"][0]["reason"]
    assert second["changed"] == 1
    assert [(r.finding, r.definition) for r in current] == [("violation", "PK's list")]


def test_refresh_of_an_unknown_incident_raises(engine: Engine) -> None:
    with transaction(engine) as session, pytest.raises(LookupError):
        services.refresh_findings(session, 999_999, actor=MEDIATOR)


def test_stored_facts_that_cannot_be_judged_name_the_field(engine: Engine) -> None:
    incident_id = add_incident(engine, event_type="not_a_type")
    with transaction(engine) as session, pytest.raises(FactsInvalid, match="event_type"):
        services.refresh_findings(session, incident_id, actor=MEDIATOR)


def test_adjudication_uses_an_amendment_that_corrects_the_terms_from_the_start(
    engine: Engine,
) -> None:
    truce = builtin_documents()[0]
    shorter = truce.model_copy(update={"duration_hours": 24, "effective_from": truce.in_force_from})
    incident_id = add_incident(engine)  # 17 Oct 09:00 PKT: after 24 hours
    with transaction(engine) as session:
        services.refresh_findings(session, incident_id, actor=MEDIATOR)
        services.amend_agreement(session, shorter, actor=MEDIATOR, note="record corrected")
        rows = services.current_findings(session, incident_id)
    assert [(r.agreement_id, r.finding) for r in rows] == [(None, "outside_scope")]


DOHA = "doha-2025-10-19"


def _doha_amended(**changes: Any) -> Any:
    doha = next(d for d in builtin_documents() if d.id == DOHA)
    return doha.model_copy(update={"notes": "Amended at a later meeting.", **changes})


def test_an_amendment_governs_only_incidents_from_its_effective_date(engine: Engine) -> None:
    """Incidents of 25-26 October happened under version 1: they keep their findings."""
    days = {day: add_incident(engine, code=f"INC-{day}", occurred_at=datetime.fromisoformat(
        f"2025-10-{day}T10:00:00+05:00")) for day in (25, 26, 28)}  # fmt: skip
    with transaction(engine) as session:
        before = {
            day: services.refresh_findings(session, i, actor=MEDIATOR) for day, i in days.items()
        }
        amendment = _doha_amended(
            effective_from=datetime.fromisoformat("2025-10-27T00:00:00+05:00")
        )
        result = services.amend(session, amendment, actor=MEDIATOR, note="new terms")
        after = {day: services.current_findings(session, i) for day, i in days.items()}
    assert (result["incidents"], result["changed"]) == (1, 1)
    for day in (25, 26):
        assert [r.id for r in after[day]] == [r.id for r in before[day]]
        assert {(r.agreement_id, r.agreement_version) for r in after[day]} == {(DOHA, 1)}
    assert {(r.agreement_id, r.agreement_version) for r in after[28]} == {(DOHA, 2)}
    assert "Version 2 governs incidents from 2025-10-26 19:00 UTC" in after[28][0].explanation


def test_an_amendment_without_a_date_governs_from_its_adoption(engine: Engine) -> None:
    incident_id = add_incident(
        engine, occurred_at=datetime.fromisoformat("2025-10-25T10:00:00+05:00")
    )
    with transaction(engine) as session:
        (finding,) = services.refresh_findings(session, incident_id, actor=MEDIATOR)
        result = services.amend(session, _doha_amended(), actor=MEDIATOR)
        version = result["version"]
        assert version is not None and version.document["effective_from"] is not None
        assert datetime.fromisoformat(version.document["effective_from"]) == version.created_at
        assert result["incidents"] == 0
        (current,) = services.current_findings(session, incident_id)
    assert (current.id, current.agreement_version) == (finding.id, 1)


def test_an_amendment_dated_before_the_current_version_is_refused(engine: Engine) -> None:
    first = _doha_amended(effective_from=datetime.fromisoformat("2025-10-27T00:00:00+05:00"))
    second = _doha_amended(
        notes="Amended again.", effective_from=datetime.fromisoformat("2025-10-26T00:00:00+05:00")
    )
    with transaction(engine) as session:
        services.amend(session, first, actor=MEDIATOR)
        with pytest.raises(
            AmendmentInvalid, match="effective_from: 2025-10-26T00:00:00\\+05:00 is not after"
        ):
            services.amend(session, second, actor=MEDIATOR)
        assert [v.version for v in services.agreement_versions(session, DOHA)] == [1, 2]
