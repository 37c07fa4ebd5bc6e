"""Commands ``truceline import``, ``truceline export`` and ``truceline demo``.

Output follows ``truceline.cli.output``: with ``--json`` exactly one JSON
document on stdout; progress bars and messages on stderr (bars only when
stderr is a terminal). ``import`` and ``demo`` exit 1 when rows were rejected.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

from truceline.audit.bootstrap import baseline_state, prepare_log_key, sign_uncovered
from truceline.audit.keys import KeyFileError
from truceline.cli.output import EXIT_REJECTED, JsonOption, emit, stderr, usage_error
from truceline.config import get_settings
from truceline.db.engine import default_engine
from truceline.db.migrate import upgrade
from truceline.exchange.demo import attribution, run_demo
from truceline.exchange.exporter import export_file
from truceline.exchange.importer import (
    DEFAULT_BATCH_SIZE,
    ImportSummary,
    default_rejected_path,
    import_file,
)
from truceline.exchange.rejections import DEFAULT_KEEP, RejectionLog
from truceline.exchange.textio import is_gzip

CREDIT = (
    "Data: UCDP Georeferenced Event Dataset (GED), CC BY 4.0 - Sundberg & Melander (2013), "
    "Davies, Pettersson & Öberg (2023); October 2025 events from public reporting "
    "(`truceline demo --json` lists the full attribution)."
)

#: How many rejected rows the human-readable output lists (``--json`` lists up to 1,000).
SHOWN_REJECTIONS = 20


class ImportFormat(StrEnum):
    UCDP_GED = "ucdp-ged"
    ACLED = "acled"
    TRUCELINE_JSON = "truceline-json"


class ExportFormat(StrEnum):
    ACLED_CSV = "acled-csv"
    GEOJSON = "geojson"
    TRUCELINE_JSON = "truceline-json"


def register(app: typer.Typer) -> None:
    app.command("import")(import_command)
    app.command("export")(export_command)
    app.command("demo")(demo_command)


FileArgument = typer.Argument(
    exists=True, dir_okay=False, readable=True, help="File to import (may be gzipped)."
)
ImportFormatOption = typer.Option("--format", help="Format of the file.")
ExportFormatOption = typer.Option("--format", help="Format to write.")
OutputOption = typer.Option("-o", "--output", dir_okay=False, help="File to write.")
RejectedOption = typer.Option(
    "--rejected",
    dir_okay=False,
    help="Write every rejected row here (JSON Lines). Default: only past the first "
    f"{DEFAULT_KEEP:,} rejections, to FILE.rejected.jsonl.",
)


def import_command(
    file: Annotated[Path, FileArgument],
    file_format: Annotated[ImportFormat, ImportFormatOption],
    batch_size: int = typer.Option(DEFAULT_BATCH_SIZE, min=1, help="Rows per transaction."),
    rejected_file: Annotated[Path | None, RejectedOption] = None,
    as_json: bool = JsonOption,
) -> None:
    """Import events; bad rows are rejected one by one with a reason, the rest are imported.

    Re-importing the same file creates no duplicates (the source's event ids are kept).
    The summary lists the first rejections; past those, all go to a JSON Lines file.
    """
    engine = default_engine()
    upgrade(engine)
    total = None if is_gzip(file) else file.stat().st_size
    log = RejectionLog(rejected_file or default_rejected_path(file), write_all=bool(rejected_file))
    with progress_bar(f"importing {file.name}", total) as advance:
        summary = import_file(
            engine,
            file,
            file_format.value,
            batch_size=batch_size,
            on_progress=advance,
            rejections=log,
        )
    emit(summary.to_json(), as_json=as_json, human=lambda: _print_import(summary))
    if summary.rejected or summary.error:
        raise typer.Exit(EXIT_REJECTED)


def export_command(
    file_format: Annotated[ExportFormat, ExportFormatOption],
    output: Annotated[Path, OutputOption],
    released_only: bool = typer.Option(
        False,
        "--released-only",
        help="Only what the public may read: released incidents, coarsened places, no reports.",
    ),
    as_json: bool = JsonOption,
) -> None:
    """Export incidents with their sources; ACLED CSV uses ACLED's column names."""
    engine = default_engine()
    upgrade(engine)
    summary = export_file(
        engine, output, file_format.value, settings=get_settings(), released_only=released_only
    )
    payload = summary.to_json()
    emit(
        payload,
        as_json=as_json,
        human=lambda: stderr.print(
            f"exported {summary.exported} incidents to {summary.path}"
            + (f" ({summary.skipped} without coordinates skipped)" if summary.skipped else "")
        ),
    )


def demo_command(as_json: bool = JsonOption) -> None:
    """Load the demonstration data: the profile, UCDP GED events for Pakistan and the October 2025 events (idempotent)."""
    engine = default_engine()
    bars: list[Any] = []

    def progress_for(label: str) -> Callable[[int], None] | None:
        if not sys.stderr.isatty():
            return None
        bar = progress_bar(f"demo: {label}", None)
        bars.append(bar)
        return bar.__enter__()

    try:
        summary = run_demo(
            engine, keys_dir=get_settings().resolved_keys_dir, on_progress=progress_for
        )
    finally:
        for bar in bars:
            bar.__exit__(None, None, None)
    try:  # the demo's log is signed from the start, as after `init`
        summary["log_key"] = prepare_log_key(engine, get_settings())
        summary["state_baseline"] = baseline_state(engine)
        summary["checkpoint_size"] = sign_uncovered(engine, get_settings())
    except KeyFileError as exc:
        usage_error(str(exc), as_json=as_json)
    summary["database"] = engine.url.render_as_string(hide_password=True)
    summary["attribution"] = attribution()
    emit(summary, as_json=as_json, human=lambda: _print_demo(summary))
    if summary["rejected"]:
        raise typer.Exit(EXIT_REJECTED)


@contextmanager
def progress_bar(description: str, total: int | None) -> Iterator[Callable[[int], None] | None]:
    """A rich progress bar on stderr, counting bytes read; nothing when stderr is not a terminal."""
    if not sys.stderr.isatty():
        yield None
        return
    columns = [
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
    ]
    with Progress(*columns, console=stderr, transient=True) as progress:
        task = progress.add_task(description, total=total)
        yield lambda size: progress.advance(task, size)


def _print_import(summary: ImportSummary) -> None:
    rejected = summary.rejected
    stderr.print(
        f"imported {summary.imported}, duplicates {summary.duplicates}, rejected {len(rejected)}"
    )
    for rejection in sorted(rejected, key=lambda r: r.row)[:SHOWN_REJECTIONS]:
        stderr.print(f"  row {rejection.row}: {rejection.reason}", markup=False, highlight=False)
    if len(rejected) > SHOWN_REJECTIONS:
        where = summary.to_json()["rejected_file"] or "use --json to see them"
        stderr.print(f"  … and {len(rejected) - SHOWN_REJECTIONS} more ({where})", markup=False)
    if summary.error:
        stderr.print(f"error: {summary.error}", markup=False, highlight=False)


def _print_demo(summary: dict[str, Any]) -> None:
    for label, result in summary["imports"].items():
        stderr.print(
            f"{label}: imported {result['imported']}, duplicates {result['duplicates']}, "
            f"rejected {len(result['rejected'])}"
        )
    stderr.print(f"{summary['incidents']} incidents in {summary['database']}")
    stderr.print(f"{summary['findings']} current findings on determined incidents")
    stderr.print(CREDIT, markup=False, highlight=False, soft_wrap=True)
