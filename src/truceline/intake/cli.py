"""``truceline intake``: submit a report from the command line, import a CSV file of reports."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError

from truceline.cli.operator import ActorOption, fail, operator
from truceline.cli.output import EXIT_REJECTED, JsonOption, emit, stderr, usage_error
from truceline.config import get_settings
from truceline.content_store import ContentStore
from truceline.db.engine import transaction
from truceline.intake.csv_import import import_csv
from truceline.intake.schemas import ReportSubmission
from truceline.intake.services import IntakeError, submit_report

intake_app = typer.Typer(
    help="Receive reports: submit one, or import a CSV file.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(intake_app, name="intake")


@intake_app.command("submit")
def submit_command(
    text: str = typer.Option(..., help="The report, verbatim."),
    source_type: str = typer.Option(
        ..., help="party_liaison, field_monitor, community_reporter, media or other."
    ),
    source_name: str = typer.Option("", help="Who reported (organisation or person)."),
    party: str | None = typer.Option(None, help="AF or PK, for a party's allegation."),
    grade: str = typer.Option(
        "F6", help="Source reliability A-F and information credibility 1-6, e.g. B2."
    ),
    occurred_at: str | None = typer.Option(None, help="ISO 8601 with time zone."),
    time_precision: int = typer.Option(
        1, help="0 hour, 1 day, 2 within 2-6 days, 3 month, 4 year."
    ),
    lat: float | None = typer.Option(None),
    lon: float | None = typer.Option(None),
    geo_precision: int = typer.Option(1, help="UCDP where_prec 1 (exact) to 7."),
    place: str = typer.Option("", help="Place as the source describes it."),
    event_type: str | None = typer.Option(None),
    perpetrator: str | None = typer.Option(
        None, help="Claimed perpetrator, as named by the source."
    ),
    target: Annotated[list[str] | None, typer.Option(help="A target category; repeat.")] = None,
    casualties: str | None = typer.Option(None, help='JSON, e.g. {"civilians": 3}.'),
    agreement: str | None = typer.Option(None, help="Agreement id the report alleges a breach of."),
    client_token: str | None = typer.Option(None, help="Idempotency token."),
    attach: Annotated[list[Path] | None, typer.Option(help="A file to attach; repeat.")] = None,
    obtained_by: str = typer.Option("", help="Who obtained the attached files (default: --actor)."),
    how_obtained: str = typer.Option("", help="How the attached files were obtained."),
    actor: str = ActorOption,
    as_json: bool = JsonOption,
) -> None:
    """Submit one report; prints the stored report and what linking did."""
    fields: dict[str, Any] = {
        "text": text, "source_type": source_type, "source_name": source_name, "source_party": party,
        "reliability": grade[:1].upper(), "credibility": grade[1:] or 6, "occurred_at": occurred_at,
        "time_precision": time_precision, "lat": lat, "lon": lon, "geo_precision": geo_precision,
        "place_text": place, "event_type": event_type, "claimed_perpetrator": perpetrator,
        "targets": target or [], "agreement_id": agreement, "client_token": client_token, "channel": "api",
        "attachments": [_attachment(path, obtained_by or actor, how_obtained) for path in attach or []],
    }  # fmt: skip
    try:
        fields["casualties"] = json.loads(casualties) if casualties else {}
        submission = ReportSubmission.model_validate(fields)
    except (ValidationError, json.JSONDecodeError) as exc:
        usage_error(str(exc), as_json=as_json)
    try:
        with transaction() as session:
            result = submit_report(
                session,
                submission,
                actor=operator(actor),
                store=ContentStore.under(get_settings().data_dir),
            )
    except IntakeError as exc:
        fail(str(exc), as_json=as_json, field=exc.field)
        return
    payload = result.model_dump(mode="json")
    emit(payload, as_json=as_json, human=lambda: stderr.print(
        f"report {result.report.code} ({'new' if result.created else 'already stored'}), "
        f"language {result.report.language}; linking: {result.link.status if result.link else '-'}"))  # fmt: skip


def _attachment(path: Path, obtained_by: str, how: str) -> dict[str, Any]:
    if not path.is_file():
        usage_error(f"--attach {path}: no such file")
    obtained_at = datetime.fromtimestamp(path.stat().st_mtime, UTC).isoformat()
    return {"filename": path.name, "content_base64": base64.b64encode(path.read_bytes()).decode(),
            "obtained_by": obtained_by, "obtained_at": obtained_at, "how_obtained": how}  # fmt: skip


@intake_app.command("import-csv")
def import_csv_command(
    file: Annotated[Path, typer.Argument(help="CSV file, one report per row (docs/intake.md).")],
    actor: str = ActorOption,
    as_json: bool = JsonOption,
) -> None:
    """Import reports from CSV in one transaction; bad rows are rejected with row and column."""
    if not file.is_file():
        usage_error(f"{file}: no such file", as_json=as_json)
    try:
        with transaction() as session:
            summary = import_csv(session, file, actor=operator(actor))
    except IntakeError as exc:
        usage_error(str(exc), as_json=as_json)
    payload = summary.as_json()
    emit(payload, as_json=as_json, human=lambda: stderr.print(
        f"imported {summary.imported}, duplicates {summary.duplicates}, rejected {len(summary.rejected)}"))  # fmt: skip
    if summary.rejected:
        raise typer.Exit(EXIT_REJECTED)
