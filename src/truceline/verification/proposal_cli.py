"""``truceline verification propose|correct|history|actions``: proposals, incident versions, and
what a user may do now.

Kept beside ``cli.py`` (which registers these commands on the same group) so each
module stays short; every command acts as ``--as USER`` through the policy.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from sqlalchemy.orm import Session

from truceline.accounts.roles import Principal
from truceline.cli.output import JsonOption, emit
from truceline.verification import determination, history, services
from truceline.verification.access import step_answers
from truceline.verification.cli import AsOption, FactsOption, _show_case, app, case_of, run_as

DraftOption = typer.Option(None, exists=True, dir_okay=False, help="Draft facts (JSON).")


def _facts_file(path: Path) -> dict[str, Any]:
    try:
        facts = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise typer.BadParameter(f"{path}: not JSON ({error})", param_hint="--facts") from None
    if not isinstance(facts, dict):
        raise typer.BadParameter(f"{path}: expected a JSON object", param_hint="--facts")
    return facts


@app.command("propose")
def propose_command(
    incident: str,
    facts: Path | None = DraftOption,
    as_user: str = AsOption,
    as_json: bool = JsonOption,
) -> None:
    """Propose findings: the draft facts (default: the incident's) and their draft findings."""
    draft = _facts_file(facts) if facts else None

    def change(session: Session, principal: Principal) -> None:
        checked = determination.established_facts(draft) if draft else None
        services.transition(
            session, case_of(session, incident).incident_id, "propose_findings",
            principal=principal, note=checked["summary"] if checked else "", draft=checked,
        )  # fmt: skip

    _show_case(as_json, as_user, incident, change)


@app.command("correct")
def correct_command(
    incident: str,
    facts: Path = FactsOption,
    reason: str = typer.Option(..., help="Why the determined facts are corrected."),
    as_user: str = AsOption,
    as_json: bool = JsonOption,
) -> None:
    """Correct a determined incident's facts (mediators): a new version, findings recomputed."""
    changes = _facts_file(facts)
    _show_case(
        as_json,
        as_user,
        incident,
        lambda s, p: history.correct_incident(
            s, case_of(s, incident).incident_id, principal=p, changes=changes, reason=reason
        ),
    )


@app.command("history")
def history_command(incident: str, as_user: str = AsOption, as_json: bool = JsonOption) -> None:
    """The incident's versions: who changed which facts, when and why."""

    def work(session: Session, principal: Principal) -> list[dict[str, Any]]:
        services.require_read(principal)
        found = services.find_incident(session, incident)
        return history.history_json(history.incident_history(session, found.id))

    versions = run_as(as_json, as_user, work)

    def human() -> None:
        for v in versions:
            print(f"v{v['version']} {v['kind']} {v['changed_at']} {v['changed_by']}: {v['reason']}")
            for c in v["changes"]:
                print(f"    {c['field']}: {c['before']} -> {c['after']}")

    emit({"incident": incident, "versions": versions}, as_json=as_json, human=human)


@app.command("actions")
def actions_command(incident: str, as_user: str = AsOption, as_json: bool = JsonOption) -> None:
    """What USER may do on the incident's case now, each step with the policy's reason."""

    def work(session: Session, principal: Principal) -> list[dict[str, Any]]:
        services.require_read(principal)
        found = services.find_incident(session, incident)
        return step_answers(session, principal, services.case_of_incident(session, found))

    answers = run_as(as_json, as_user, work)

    def human() -> None:
        for answer in answers:
            mark = "yes" if answer["allowed"] else "no "
            print(f"{mark}  {answer['step']:<20} {answer['reason']}")

    emit(
        {"incident": incident, "actions": answers,
         "available": [a["step"] for a in answers if a["allowed"]]},
        as_json=as_json, human=human,
    )  # fmt: skip
