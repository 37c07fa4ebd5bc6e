"""Operators' commands: ``truceline verification queue|open|assign|transition|task|reply-window|
reply|view|obstruct|determine|actions|show``.

Every command that changes a case acts as an accounts user (``--as NAME``)
and is checked through the access policy and the state machine exactly as the
API is; a refusal exits 1 with the reason (with ``--json``, one JSON document
naming the state, the attempted transition and the reason). The queue may be
read by the operator without ``--as``.
"""

from __future__ import annotations

import getpass
import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn

import typer
from sqlalchemy.orm import Session

from truceline.accounts.policy import AccessDenied
from truceline.accounts.roles import Principal, Role
from truceline.accounts.services import AccountError, principal_for, require_user
from truceline.cli.output import EXIT_REJECTED, JsonOption, emit, stderr
from truceline.db.engine import transaction
from truceline.verification import determination, queue, record, services
from truceline.verification.api import known_roles
from truceline.verification.domain import TransitionRefused
from truceline.verification.models import VerificationCase
from truceline.verification.serialisation import case_record
from truceline.verification.services import MemberSpec, VerificationError
from truceline.verification.tasks import TaskRefused, parse_member

app = typer.Typer(help="The verification workflow: queue, teams, tasks, replies, determination.")
task_app = typer.Typer(help="Verification tasks and their deadlines.")
app.add_typer(task_app, name="task")

AsOption = typer.Option(..., "--as", help="The accounts user acting (checked by the policy).")
NowOption = typer.Option(None, "--now", help="Evaluate as of this ISO instant (default: now).")
MemberOption = typer.Option(..., "--member", help="NAME:PARTY, PARTY AF, PK or NEUTRAL (repeat).")
FactsOption = typer.Option(..., exists=True, dir_okay=False, help="JSON file of the facts.")
Work = Callable[[Session, Principal], Any]


def register(root: typer.Typer) -> None:
    from truceline.verification import evidence_cli, proposal_cli  # noqa: F401 (adds commands)

    if not any(group.name == "evidence" for group in app.registered_groups):
        app.add_typer(evidence_cli.app, name="evidence")
    root.add_typer(app, name="verification")


def _fail(payload: dict[str, Any], *, as_json: bool) -> NoReturn:
    if as_json:
        emit(payload, as_json=True)
    else:
        stderr.print(f"[red]error:[/red] {payload.get('reason') or payload['error']}")
    raise typer.Exit(EXIT_REJECTED)


def run_as(as_json: bool, as_user: str | None, work: Work) -> Any:
    """Run ``work`` as ``as_user`` in one transaction; refusals exit 1 and name the reason."""
    try:
        with transaction() as session:
            return work(session, _principal(session, as_user))
    except TransitionRefused as refused:
        _fail(
            {
                "error": "transition_refused",
                "state": refused.state.value,
                "attempted": refused.attempted,
                "reason": refused.reason,
            },
            as_json=as_json,
        )
    except (AccessDenied, AccountError, LookupError, VerificationError, TaskRefused) as error:
        _fail({"error": str(error).strip("'\"")}, as_json=as_json)


def _principal(session: Session, as_user: str | None) -> Principal:
    if as_user is None:
        return Principal(name=f"cli:{getpass.getuser()}"[:64], role=Role.ADMIN)
    user = require_user(session, as_user)
    if user.disabled:
        raise AccountError(f"user {as_user!r} is disabled")
    return principal_for(user)


def case_of(session: Session, incident: str) -> VerificationCase:
    return services.case_for(session, services.find_incident(session, incident).id)


def _show_case(as_json: bool, as_user: str | None, incident: str, change: Work) -> None:
    """Apply ``change`` to the incident's case and print its record."""

    def work(session: Session, principal: Principal) -> dict[str, Any]:
        change(session, principal)
        session.flush()
        return case_record(session, case_of(session, incident), principal=principal)

    payload = run_as(as_json, as_user, work)
    emit(payload, as_json=as_json, human=lambda: _print_case(payload))


def _print_case(case: dict[str, Any]) -> None:
    incident = case["incident"]
    print(f"{incident['code']}  {case['state']}  {incident['title']}")
    for member in (m for m in case["team"] if m["released_at"] is None):
        print(f"  team: {member['name']} ({member['role']}, {member['nominated_by'] or 'neutral'})")
    for task in case["tasks"]:
        status = f"done {task['done_at']}" if task["done_at"] else "open"
        print(f"  task {task['id']}: {task['kind']} due {task['due_at']} {status}")
    if case["dissent"]:
        print(f"  dissent: {', '.join(case['dissent'])}")


def parse_time(value: str | None, option: str) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not an ISO 8601 instant", param_hint=option
        ) from None
    if parsed.tzinfo is None:
        raise typer.BadParameter("give a time zone, e.g. +05:00 or Z", param_hint=option)
    return parsed


@app.command("queue")
def queue_command(
    overdue: bool = typer.Option(False, "--overdue", help="Only overdue tasks."),
    as_user: str | None = typer.Option(None, "--as", help="Read as this user (default operator)."),
    now: str | None = NowOption,
    as_json: bool = JsonOption,
) -> None:
    """What is due and what is overdue, soonest first, with the reason for each delay."""
    at = parse_time(now, "--now")
    items = run_as(
        as_json,
        as_user,
        lambda s, p: [
            i.to_json() for i in queue.work_queue(s, principal=p, overdue_only=overdue, now=at)
        ],
    )

    def human() -> None:
        for item in items:
            late = f"OVERDUE {item['hours_overdue']}h ({item['reason']})" if item["overdue"] else ""
            print(
                f"{item['due_at']}  {item['incident_code']}  task {item['task_id']} "
                f"{item['kind']}  {late}".rstrip()
            )
        stderr.print(f"{len(items)} open task(s)")

    emit({"items": items, "count": len(items)}, as_json=as_json, human=human)


@app.command("open")
def open_command(
    incident: str,
    as_user: str = AsOption,
    agreement: str | None = typer.Option(None, help="Agreement whose deadlines apply."),
    alleging: str | None = typer.Option(None, help="Alleging party (AF or PK)."),
    accused: str | None = typer.Option(None, help="Accused party (AF or PK)."),
    as_json: bool = JsonOption,
) -> None:
    """Open the verification of an incident (id or code), with its first-assessment task."""

    def change(session: Session, principal: Principal) -> None:
        found = services.find_incident(session, incident)
        services.open_case(
            session,
            found,
            principal=principal,
            agreement_id=agreement,
            alleging_party=alleging,
            accused_party=accused,
        )

    _show_case(as_json, as_user, incident, change)


@app.command("assign")
def assign_command(
    incident: str,
    member: list[str] = MemberOption,
    as_user: str = AsOption,
    as_json: bool = JsonOption,
) -> None:
    """Assign the joint team: a nominee of each party and a mediator or neutral monitor."""

    def change(session: Session, principal: Principal) -> None:
        specs = [MemberSpec(*parse_member(spec)) for spec in member]
        roles = known_roles(session, [s.name for s in specs])
        services.assign_team(
            session, case_of(session, incident), specs, principal=principal, roles_by_name=roles
        )

    _show_case(as_json, as_user, incident, change)


@app.command("transition")
def transition_command(
    incident: str,
    name: str = typer.Argument(..., help="triage, start_verification, propose_findings, ..."),
    as_user: str = AsOption,
    note: str = typer.Option("", help="Why (kept in the case's history)."),
    as_json: bool = JsonOption,
) -> None:
    """Move a case through the state machine (determine has its own command)."""

    def change(session: Session, principal: Principal) -> None:
        if name == "determine":
            raise VerificationError("name: use `truceline verification determine`", field="name")
        case = case_of(session, incident)
        services.transition(session, case.incident_id, name, principal=principal, note=note)

    _show_case(as_json, as_user, incident, change)


@task_app.command("add")
def task_add_command(
    incident: str,
    kind: str = typer.Argument(..., help="site_visit, interview, evidence_request, ..."),
    as_user: str = AsOption,
    due: str | None = typer.Option(None, help="ISO instant; default: the agreement's hours."),
    requested_from: str | None = typer.Option(None, help="Party asked (AF or PK)."),
    description: str = typer.Option("", help="What the task is."),
    as_json: bool = JsonOption,
) -> None:
    """Add a task with a deadline (never in the past)."""
    due_at = parse_time(due, "--due")
    _show_case(
        as_json,
        as_user,
        incident,
        lambda s, p: services.add_task(
            s,
            case_of(s, incident),
            kind,
            principal=p,
            due_at=due_at,
            requested_from=requested_from,
            description=description,
        ),
    )


@task_app.command("done")
def task_done_command(
    task_id: int,
    outcome: str = typer.Option(..., help="What the task found."),
    as_user: str = AsOption,
    as_json: bool = JsonOption,
) -> None:
    """Complete a task."""
    run_as(
        as_json, as_user, lambda s, p: queue.complete_task(s, task_id, principal=p, outcome=outcome)
    )
    emit({"task_id": task_id, "done": True}, as_json=as_json, human=lambda: print("done"))


@task_app.command("blocked")
def task_blocked_command(
    task_id: int,
    reason: str = typer.Option(..., help="access_denied or waiting_on_party."),
    note: str = typer.Option("", help="What happened."),
    as_user: str = AsOption,
    as_json: bool = JsonOption,
) -> None:
    """Say why a task cannot go on."""
    run_as(
        as_json,
        as_user,
        lambda s, p: queue.block_task(s, task_id, principal=p, reason=reason, note=note),
    )
    emit({"task_id": task_id, "blocked": reason}, as_json=as_json, human=lambda: print(reason))


@app.command("reply-window")
def reply_window_command(
    incident: str,
    as_user: str = AsOption,
    party: str | None = typer.Option(None, help="Accused party; default the case's."),
    due: str | None = typer.Option(None, help="ISO instant; default the agreement's hours."),
    as_json: bool = JsonOption,
) -> None:
    """Open the accused party's right of reply."""
    due_at = parse_time(due, "--due")
    _show_case(
        as_json,
        as_user,
        incident,
        lambda s, p: record.open_reply_window(
            s, case_of(s, incident), principal=p, party=party, due_at=due_at
        ),
    )


@app.command("reply")
def reply_command(
    incident: str,
    text: str = typer.Option(..., help="The party's reply, verbatim."),
    as_user: str = AsOption,
    as_json: bool = JsonOption,
) -> None:
    """File the accused party's reply (its liaison only)."""
    _show_case(
        as_json,
        as_user,
        incident,
        lambda s, p: record.file_reply(s, case_of(s, incident), text, principal=p),
    )


@app.command("view")
def view_command(
    incident: str,
    position: str = typer.Option(..., help="concurs, dissents or abstains."),
    text: str = typer.Option(..., help="The member's view."),
    as_user: str = AsOption,
    as_json: bool = JsonOption,
) -> None:
    """Record a team member's view (append-only; dissent is kept)."""
    _show_case(
        as_json,
        as_user,
        incident,
        lambda s, p: record.record_view(
            s, case_of(s, incident), principal=p, position=position, text=text
        ),
    )


@app.command("obstruct")
def obstruct_command(
    incident: str,
    description: str = typer.Option(..., help="What the monitors were denied."),
    party: str | None = typer.Option(None, help="Obstructing party (AF or PK)."),
    task: int | None = typer.Option(None, help="The task that was blocked."),
    as_user: str = AsOption,
    as_json: bool = JsonOption,
) -> None:
    """Record obstruction of monitors as an incident of its own."""
    _show_case(
        as_json,
        as_user,
        incident,
        lambda s, p: record.record_obstruction(
            s,
            case_of(s, incident),
            principal=p,
            description=description,
            obstructing_party=party,
            task_id=task,
        ),
    )


@app.command("determine")
def determine_command(
    incident: str,
    facts: Path = FactsOption,
    as_user: str = AsOption,
    as_json: bool = JsonOption,
) -> None:
    """The mediator's determination: established facts, adjudication, findings."""
    try:
        established = json.loads(facts.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise typer.BadParameter(f"{facts}: not JSON ({error})", param_hint="--facts") from None
    if not isinstance(established, dict):
        raise typer.BadParameter(f"{facts}: expected a JSON object", param_hint="--facts")
    _show_case(
        as_json,
        as_user,
        incident,
        lambda s, p: determination.determine(
            s, case_of(s, incident).incident_id, principal=p, facts=established
        ),
    )


@app.command("show")
def show_command(incident: str, as_user: str = AsOption, as_json: bool = JsonOption) -> None:
    """The case's whole record."""
    _show_case(as_json, as_user, incident, lambda s, p: services.require_read(p))
