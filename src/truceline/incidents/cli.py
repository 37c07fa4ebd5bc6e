"""``truceline incidents``: link candidates for a report, link, merge, split, undo, corroboration,
release (publication)."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from sqlalchemy import select
from sqlalchemy.orm import Session

from truceline.accounts.policy import AccessDenied
from truceline.accounts.roles import Principal
from truceline.accounts.services import AccountError, principal_for, require_user
from truceline.cli.operator import ActorOption, fail, operator
from truceline.cli.output import EXIT_REJECTED, JsonOption, emit, stderr, usage_error
from truceline.db.bounds import parse_record_id
from truceline.db.engine import transaction
from truceline.incidents.curation import (
    CurationError,
    corroboration,
    merge_incidents,
    split_incident,
    take_write_lock,
    undo_operation,
)
from truceline.incidents.models import Incident, IncidentOperation, Report
from truceline.incidents.services import (
    LinkingError,
    confirm_link,
    find_candidates,
    open_incident_for,
)
from truceline.verification.publication import PublicationError, set_released

incidents_app = typer.Typer(
    help="Link reports into incidents; merge, split and undo; publish.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(incidents_app, name="incidents")


def _report(session: Session, ref: str, as_json: bool) -> Report:
    found = (
        session.get(Report, number)
        if (number := parse_record_id(ref)) is not None
        else session.scalars(select(Report).where(Report.code == ref)).first()
    )
    if found is None:
        usage_error(f"no report {ref!r}", as_json=as_json)
    return found


def _incident_id(session: Session, ref: str, as_json: bool) -> int:
    found = (
        session.get(Incident, number)
        if (number := parse_record_id(ref)) is not None
        else session.scalars(select(Incident).where(Incident.code == ref)).first()
    )
    if found is None:
        usage_error(f"no incident {ref!r}", as_json=as_json)
    return found.id


def _operation(op: IncidentOperation) -> dict[str, Any]:
    return {"operation": op.id, "kind": op.kind, "source_incident": op.source_incident_id,
            "target_incident": op.target_incident_id, "details": op.details, "undoes": op.undoes_id}  # fmt: skip


@incidents_app.command("link-candidates")
def candidates_command(
    report: str = typer.Argument(..., help="Report id or code."),
    limit: int = 10,
    as_json: bool = JsonOption,
) -> None:
    """Incidents a report may describe, best first, with score and reasons."""
    with transaction() as session:
        found = _report(session, report, as_json)
        listed: list[dict[str, Any]] = [
            {"incident_id": c.incident_id, "incident_code": c.incident_code, "score": c.match.score,
             "decision": c.match.decision, "reasons": list(c.match.reasons)}
            for c in find_candidates(session, found, limit=limit)]  # fmt: skip
        payload = {"report": found.id, "candidates": listed}

    def human() -> None:
        for c in listed:
            stderr.print(
                f"{c['incident_code']}  {c['score']:.3f}  {c['decision']}: "
                + "; ".join(c["reasons"])
            )

    emit(payload, as_json=as_json, human=human)


@incidents_app.command("link")
def link_command(
    report: str = typer.Argument(..., help="Report id or code."),
    incident: str | None = typer.Argument(None, help="Incident id or code (omit with --new)."),
    new: bool = typer.Option(False, "--new", help="Open a new incident for the report."),
    actor: str = ActorOption,
    as_json: bool = JsonOption,
) -> None:
    """Confirm or move a report's link to an incident, or open a new incident for it."""
    try:
        with transaction() as session:
            found = _report(session, report, as_json)
            if new:
                incident_id = open_incident_for(
                    session, found, actor=operator(actor), method="confirmed"
                ).id
            elif incident is None:
                usage_error("give an INCIDENT or --new", as_json=as_json)
            else:
                incident_id = confirm_link(
                    session,
                    report=found,
                    incident_id=_incident_id(session, incident, as_json),
                    actor=operator(actor),
                ).incident_id
    except LinkingError as exc:
        fail(str(exc), as_json=as_json)
        return
    emit(
        {"report": found.id, "incident": incident_id},
        as_json=as_json,
        human=lambda: stderr.print(f"report {found.code} linked to incident {incident_id}"),
    )


@incidents_app.command("merge")
def merge_command(
    source: str = typer.Argument(..., help="Incident merged away (id or code)."),
    target: str = typer.Argument(..., help="Incident that remains (id or code)."),
    reason: str = typer.Option("", help="Why, for the record."),
    actor: str = ActorOption,
    as_json: bool = JsonOption,
) -> None:
    """Merge incident SOURCE into TARGET (undo with `incidents undo OP`)."""
    try:
        with transaction() as session:
            take_write_lock(session)
            op = merge_incidents(
                session,
                source_id=_incident_id(session, source, as_json),
                target_id=_incident_id(session, target, as_json),
                actor=operator(actor),
                reason=reason,
            )
            payload = _operation(op)
    except CurationError as exc:
        fail(str(exc), as_json=as_json)
        return
    emit(
        payload,
        as_json=as_json,
        human=lambda: stderr.print(f"merged as operation {payload['operation']}"),
    )


@incidents_app.command("split")
def split_command(
    incident: Annotated[str, typer.Argument(help="Incident id or code.")],
    report: Annotated[list[str], typer.Option("--report", help="A report to move; repeat.")],
    reason: str = typer.Option("", help="Why, for the record."),
    actor: str = ActorOption,
    as_json: bool = JsonOption,
) -> None:
    """Move the chosen reports of INCIDENT to a new incident."""
    try:
        with transaction() as session:
            take_write_lock(session)
            report_ids = [_report(session, r, as_json).id for r in report]
            op = split_incident(
                session,
                incident_id=_incident_id(session, incident, as_json),
                report_ids=report_ids,
                actor=operator(actor),
                reason=reason,
            )
            payload = _operation(op)
    except CurationError as exc:
        fail(str(exc), as_json=as_json)
        return
    emit(
        payload,
        as_json=as_json,
        human=lambda: stderr.print(
            f"split into incident {payload['target_incident']} (operation {payload['operation']})"
        ),
    )


@incidents_app.command("undo")
def undo_command(
    operation: int = typer.Argument(..., help="Operation id from merge or split."),
    reason: str = "",
    actor: str = ActorOption,
    as_json: bool = JsonOption,
) -> None:
    """Undo a merge or split, if its links are still as it left them."""
    try:
        with transaction() as session:
            take_write_lock(session)
            payload = _operation(
                undo_operation(
                    session, operation_id=operation, actor=operator(actor), reason=reason
                )
            )
    except CurationError as exc:
        fail(str(exc), as_json=as_json)
        return
    emit(
        payload,
        as_json=as_json,
        human=lambda: stderr.print(f"undone (operation {payload['operation']})"),
    )


@incidents_app.command("corroboration")
def corroboration_command(
    incident: str = typer.Argument(..., help="Incident id or code."), as_json: bool = JsonOption
) -> None:
    """Independent sources of an incident and their grades."""
    with transaction() as session:
        payload = corroboration(session, _incident_id(session, incident, as_json))
    emit(payload, as_json=as_json, human=lambda: stderr.print(
        f"{payload['incident_code']}: {payload['independent_sources']} independent source(s), best grade {payload['best_grade']}"))  # fmt: skip


@incidents_app.command("release")
def release_command(
    incident: str = typer.Argument(..., help="Incident id or code."),
    as_user: str = typer.Option(..., "--as", help="The accounts user acting (a mediator)."),
    withdraw: bool = typer.Option(False, "--withdraw", help="Take a published incident back."),
    reason: str = typer.Option("", help="Why (kept in the audit log and sent to both parties)."),
    as_json: bool = JsonOption,
) -> None:
    """Publish a determined incident (mediators only), or withdraw it; audited, both parties told.

    A refusal (not a mediator, an incident still under verification) exits 1
    with the policy's reason and the incident's unchanged state.
    """
    current: dict[str, Any] = {"incident": incident, "released": False}
    try:
        with transaction() as session:
            found = session.get(Incident, _incident_id(session, incident, as_json))
            assert found is not None
            current = {"incident": found.code, "released": bool(found.released)}
            outcome = set_released(
                session, found, principal=_acting_user(session, as_user),
                released=not withdraw, reason=reason,
            )  # fmt: skip
    except (AccessDenied, AccountError, PublicationError) as refused:
        message = str(refused).strip("'\"")
        emit(current | {"error": message}, as_json=as_json,
             human=lambda: stderr.print(f"[red]refused:[/red] {message}"))  # fmt: skip
        raise typer.Exit(EXIT_REJECTED) from None
    payload = outcome.as_json()
    state = "released" if outcome.released else "not released"
    emit(payload, as_json=as_json, human=lambda: stderr.print(
        f"{outcome.incident}: {state}" + ("" if outcome.changed else " (unchanged)")))  # fmt: skip


def _acting_user(session: Session, name: str) -> Principal:
    user = require_user(session, name)
    if user.disabled:
        raise AccountError(f"user {name!r} is disabled")
    return principal_for(user)
