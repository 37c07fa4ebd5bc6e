"""The whole path on both back ends, as in the issue's "Done when".

A Pakistani allegation of cross-border fire, a community report and a media
report of the same event are linked into one incident; a joint team is
assigned; Afghanistan replies; one member dissents; the mediator determines;
adjudication finds a violation; and the audit log, exported and verified
offline, holds every step.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from typer.testing import CliRunner

from truceline.audit.actor import Actor
from truceline.cli.main import build_app
from truceline.config import get_settings
from truceline.content_store import ContentStore
from truceline.db.engine import transaction
from truceline.incidents.models import IncidentReportLink
from truceline.intake.schemas import ReportSubmission
from truceline.intake.services import submit_report
from truceline.verification import determination, record, services
from truceline.verification.serialisation import case_record

from .factories import AF_LIAISON, AF_MEMBER, JOINT_TEAM, MEDIATOR, MONITOR, PK_MEMBER

EVENT: dict[str, Any] = {
    "occurred_at": "2025-10-22T23:40:00+05:00",
    "time_precision": 0,
    "lat": 33.85,
    "lon": 70.05,
    "place_text": "border posts near Kharlachi, Kurram",
    "event_type": "cross_border_fire",
    "targets": ["security_forces"],
    "agreement_id": "doha-2025-10-19",
}
ALLEGATION = {
    **EVENT,
    "source_type": "party_liaison",
    "source_party": "PK",
    "source_name": "PK liaison office",
    "reliability": "B",
    "credibility": 3,
    "text": "Afghan Taliban forces fired mortars at Pakistani border posts near Kharlachi, "
    "Kurram, at 23:40, wounding two soldiers, in breach of the Doha ceasefire.",
    "claimed_perpetrator": "Afghan forces",
    "casualties": {"security_forces": 2},
}
COMMUNITY = {
    **EVENT,
    "source_type": "community_reporter",
    "reliability": "C",
    "credibility": 3,
    "text": "Late at night shells came from across the border and hit the posts by Kharlachi.",
    "lat": 33.86,
    "lon": 70.04,
}
MEDIA = {
    **EVENT,
    "source_type": "media",
    "source_name": "Dawn",
    "reliability": "B",
    "credibility": 2,
    "text": "Security officials said mortar rounds fired from Afghanistan struck border posts "
    "in Kurram district late on Wednesday; two soldiers were injured.",
    "claimed_perpetrator": "Afghan forces",
}
FACTS = {
    "perpetrator": "AF",
    "attribution": [],
    "targets": ["security_forces"],
    "casualties": {"security_forces": {"low": 2, "best": 2, "high": 2}},
    "confidence": "medium",
    "summary": "Fragments and crater orientation show mortar fire from the Afghan side.",
}
PK_LIAISON_ACTOR = Actor(name="sana", role="party_liaison", party="PK")
INTAKE_ACTOR = Actor(name="maya", role="field_monitor")


def _submit_three_reports(engine: Engine) -> int:
    with transaction(engine) as session:
        first = submit_report(
            session,
            ReportSubmission.model_validate(ALLEGATION),
            actor=PK_LIAISON_ACTOR,
            store=ContentStore.under(get_settings().data_dir),
        )
        for body in (COMMUNITY, MEDIA):
            submit_report(
                session,
                ReportSubmission.model_validate(body),
                actor=INTAKE_ACTOR,
                store=ContentStore.under(get_settings().data_dir),
            )
        links = session.scalars(
            select(IncidentReportLink).where(IncidentReportLink.unlinked_at.is_(None))
        ).all()
        assert first.link is not None
        incidents = {link.incident_id for link in links}
        assert len(links) == 3 and len(incidents) == 1, [link.reasons for link in links]
        return incidents.pop()


def _verify(engine: Engine, incident_id: int) -> dict[str, Any]:
    with transaction(engine) as session:
        incident = services.find_incident(session, incident_id)
        case = services.open_case(session, incident, principal=MEDIATOR, accused_party="AF")
        assert (case.alleging_party, case.agreement_id) == ("PK", "doha-2025-10-19")
        services.transition(session, incident_id, "triage", principal=MONITOR)
        services.assign_team(session, case, JOINT_TEAM, principal=MEDIATOR)
        services.transition(session, incident_id, "start_verification", principal=MEDIATOR)
        record.record_view(
            session,
            case,
            principal=PK_MEMBER,
            position="concurs",
            text="The fragments are Afghan-side mortar rounds.",
        )
        record.record_view(
            session,
            case,
            principal=AF_MEMBER,
            position="dissents",
            text="Who fired first is not established.",
        )
        services.transition(session, incident_id, "propose_findings", principal=MEDIATOR)
        record.open_reply_window(session, case, principal=MEDIATOR)
        record.file_reply(
            session, case, "Our posts only answered fire from the other side.", principal=AF_LIAISON
        )
        determination.determine(session, incident_id, principal=MEDIATOR, facts=FACTS)
        return case_record(session, case, principal=MEDIATOR)


def _exported_and_verified(tmp_path: Path) -> list[dict[str, Any]]:
    runner = CliRunner()

    def run(*args: str) -> dict[str, Any]:
        result = runner.invoke(build_app(), ["audit", *args])
        assert result.exit_code == 0, (result.stdout, result.stderr)
        return json.loads(result.stdout)

    run("keys", "generate", "--json")
    log = tmp_path / "audit.jsonl"
    run("export", "-o", str(log), "--json")
    keys = tmp_path / "keys.json"
    keys.write_text(json.dumps(run("keys", "show")))
    report = run("verify", str(log), "--key", str(keys), "--json")
    assert report["valid"] is True and report["errors"] == []
    records = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    assert any(r["type"] == "checkpoint" for r in records)
    return [json.loads(r["canonical"]) for r in records if r["type"] == "entry"]


def test_allegation_to_adjudicated_finding_with_everything_in_the_audit_trail(
    engine: Engine, tmp_path: Path
) -> None:
    incident_id = _submit_three_reports(engine)
    case = _verify(engine, incident_id)
    assert case["state"] == "determined"
    assert case["replies"][0]["party"] == "AF"
    assert case["dissent"] == ["af-nominee"]
    findings = case["determination"]["findings"]
    assert ("doha-2025-10-19", "violation", "AF") in {
        (f["agreement"], f["finding"], f["violating_party"]) for f in findings
    }
    exported = _exported_and_verified(tmp_path)
    actions = [entry.get("action") for entry in exported]
    for expected in (
        "intake.report_received",
        "incident.report_linked",
        "verification.opened",
        "verification.team_assigned",
        "verification.start_verification",
        "verification.reply_filed",
        "verification.view_recorded",
        "verification.determine",
        "incident.facts_established",
        "findings.recomputed",
        "verification.determination_recorded",
    ):
        assert expected in actions, expected
