"""``truceline verification evidence add|custody|redact|disclose|show``.

Like the other verification commands, each acts as an accounts user
(``--as NAME``) and is checked by the access policy; there is no command that
deletes or replaces evidence.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from sqlalchemy.orm import Session

from truceline.accounts.policy import Action, require
from truceline.accounts.roles import Principal
from truceline.cli.output import JsonOption, emit
from truceline.config import get_settings
from truceline.content_store import ContentStore
from truceline.verification import evidence
from truceline.verification.access import team_names
from truceline.verification.cli import AsOption, case_of, parse_time, run_as
from truceline.verification.serialisation import evidence_json, evidence_resource

app = typer.Typer(help="Evidence: metadata, chain of custody, redaction, disclosure.")

FileArgument = typer.Argument(..., exists=True, dir_okay=False, help="The evidence file.")
TermOption = typer.Option(None, "--term", help="Text to redact (text evidence; repeat).")
RedactedFileOption = typer.Option(None, "--file", exists=True, dir_okay=False)


def _out(session: Session, item: evidence.EvidenceItem) -> dict[str, Any]:
    return {**evidence_json(item), "custody": evidence.custody_chain(session, item)}


def _print(payload: dict[str, Any]) -> None:
    print(
        f"evidence {payload['id']} ({payload['kind']}) {payload['media_type']} {payload['sha256']}"
    )
    for entry in payload["custody"]:
        print(f"  {entry['recorded_at']}  {entry['action']:12} {entry['holder']}")


def _emit(payload: dict[str, Any], as_json: bool) -> None:
    emit(payload, as_json=as_json, human=lambda: _print(payload))


@app.command("add")
def add_command(
    incident: str,
    file: Path = FileArgument,
    obtained_by: str = typer.Option(..., help="Who obtained the file."),
    obtained_at: str = typer.Option(..., help="When (ISO 8601 with time zone)."),
    how: str = typer.Option(..., "--how", help="How it was obtained."),
    description: str = typer.Option("", help="What it shows."),
    party: str | None = typer.Option(None, help="Submitting party (AF or PK), if any."),
    as_user: str = AsOption,
    as_json: bool = JsonOption,
) -> None:
    """Store a file as evidence of the incident's case; its chain of custody starts."""
    when = parse_time(obtained_at, "--obtained-at")
    assert when is not None
    data = file.read_bytes()

    def work(session: Session, principal: Principal) -> dict[str, Any]:
        item = evidence.add_evidence(
            session,
            case_of(session, incident),
            data,
            principal=principal,
            obtained_by=obtained_by,
            obtained_at=when,
            how_obtained=how,
            filename=file.name,
            description=description,
            submitted_party=party,
            store=ContentStore.under(get_settings().data_dir),
        )
        return _out(session, item)

    _emit(run_as(as_json, as_user, work), as_json)


@app.command("custody")
def custody_command(
    evidence_id: int,
    action: str = typer.Option(..., help=", ".join(evidence.CUSTODY_ACTIONS)),
    holder: str = typer.Option(..., help="Who holds it now."),
    note: str = typer.Option("", help="Where, why."),
    as_user: str = AsOption,
    as_json: bool = JsonOption,
) -> None:
    """Append a hand-over to the chain of custody (the stored file is checked first)."""

    def work(session: Session, principal: Principal) -> dict[str, Any]:
        evidence.record_custody(
            session,
            evidence_id,
            principal=principal,
            action=action,
            holder=holder,
            note=note,
            store=ContentStore.under(get_settings().data_dir),
        )
        return _out(session, evidence.get_evidence(session, evidence_id))

    _emit(run_as(as_json, as_user, work), as_json)


@app.command("redact")
def redact_command(
    evidence_id: int,
    note: str = typer.Option(..., help="What was redacted and why."),
    term: list[str] | None = TermOption,
    redacted: Path | None = RedactedFileOption,
    as_user: str = AsOption,
    as_json: bool = JsonOption,
) -> None:
    """Create a redacted derivative; the original is kept under restricted access."""
    redacted_file = redacted.read_bytes() if redacted else None

    def work(session: Session, principal: Principal) -> dict[str, Any]:
        derived = evidence.redact(
            session,
            evidence_id,
            principal=principal,
            note=note,
            terms=term or None,
            redacted_file=redacted_file,
            store=ContentStore.under(get_settings().data_dir),
        )
        return _out(session, derived)

    _emit(run_as(as_json, as_user, work), as_json)


@app.command("disclose")
def disclose_command(evidence_id: int, as_user: str = AsOption, as_json: bool = JsonOption) -> None:
    """Give both parties access to an original (mediator only)."""
    _emit(
        run_as(
            as_json,
            as_user,
            lambda s, p: _out(s, evidence.disclose(s, evidence_id, principal=p)),
        ),
        as_json,
    )


@app.command("show")
def show_command(evidence_id: int, as_user: str = AsOption, as_json: bool = JsonOption) -> None:
    """Metadata and chain of custody."""

    def work(session: Session, principal: Principal) -> dict[str, Any]:
        item = evidence.get_evidence(session, evidence_id)
        require(
            principal, Action.READ, evidence_resource(item, team=team_names(session, item.case_id))
        )
        return _out(session, item)

    _emit(run_as(as_json, as_user, work), as_json)
