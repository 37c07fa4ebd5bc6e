"""``truceline reports build``: a public or restricted periodic report as PDF, HTML or JSON."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import typer

from truceline.audit.actor import Actor
from truceline.cli.output import JsonOption, emit, stderr, usage_error
from truceline.config import get_settings
from truceline.db.base import utcnow
from truceline.db.engine import transaction

reports_app = typer.Typer(
    name="reports",
    help="Periodic reports: public (released findings) and restricted (mediators and parties).",
    no_args_is_help=True,
)

OutputOption = typer.Option(..., "-o", "--output", help="File to write.")
OPERATOR = Actor(name="operator", role="mediator")


def register(app: typer.Typer) -> None:
    app.add_typer(reports_app, name="reports")


@reports_app.command("build")
def build_command(
    kind: str = typer.Option(..., help="public or restricted"),
    period_end: str = typer.Option(..., help="Last day of the period (YYYY-MM-DD), included."),
    output: Path = OutputOption,
    fmt: str = typer.Option("pdf", "--format", help="pdf, html or json"),
    days: int = typer.Option(7, help="Length of the period in days."),
    cutoff: str | None = typer.Option(
        None, help="Cut-off time (ISO 8601 with zone); default: the end of the period."
    ),
    sign: bool = typer.Option(False, "--sign", help="Also write OUTPUT.sig (detached signature)."),
    lang: str = typer.Option("en", "--lang", help="Language: en, ps, fa-AF (or prs) or ur."),
    as_json: bool = JsonOption,
) -> None:
    """Build a report for the period ending on --period-end and write it to -o FILE."""
    from truceline.reports.domain import ReportError, ReportKind, period_ending
    from truceline.reports.language import ReportLanguage
    from truceline.reports.render import Format, write_signature
    from truceline.reports.services import issue_report

    try:
        report_kind, report_format = ReportKind(kind), Format(fmt)
        language = ReportLanguage(lang).code
        cut = datetime.fromisoformat(cutoff) if cutoff else None
        period = period_ending(date.fromisoformat(period_end), days=days, cutoff=cut, now=utcnow())
    except ValueError as error:  # ReportError is a ValueError too
        usage_error(_usage_message(error, ReportError), as_json=as_json)
    keys = _keys_or_exit(as_json) if sign else []
    with transaction() as session:
        content = issue_report(
            session,
            report_kind,
            period,
            report_format,
            actor=OPERATOR,
            settings=get_settings(),
            lang=language,
        )
    output.write_bytes(content)
    payload: dict[str, object] = {
        "kind": kind,
        "format": fmt,
        "language": language,
        "path": str(output),
        "bytes": len(content),
        "period": period.as_json(),
    }
    if sign:
        payload["signature"] = str(write_signature(output, keys))
    emit(payload, as_json=as_json, human=lambda: stderr.print(f"wrote {output}"))


def _keys_or_exit(as_json: bool) -> list[Any]:
    """Signing keys, checked before anything is built or written."""
    from truceline.reports.render import signing_keys

    try:
        return signing_keys(get_settings().resolved_keys_dir)
    except (RuntimeError, OSError, ValueError) as error:
        usage_error(f"--sign: {error}", as_json=as_json)


def _usage_message(error: ValueError, report_error: type[Exception]) -> str:
    if isinstance(error, report_error):
        return str(error)
    return f"--kind public|restricted, --format pdf|html|json, dates as ISO 8601: {error}"
