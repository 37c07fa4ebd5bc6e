"""Commands: ``truceline adjudicate`` and ``truceline agreements list|show|validate|amend|schema``.

``adjudicate`` prints a JSON list of findings (docs/cli.md), with or without
``--json``. Incidents with bad facts are reported on stderr, one line each
naming the index, the incident id and the field, and the command exits 1;
the other incidents are still judged and printed. A file that is not JSON, or
not a JSON list, is a usage error (exit 2) whose message says what the file
should look like; under ``--json`` it is the one document ``{"error": ...}``. ``--report`` prints
``{"findings": [...], "rejected": [...]}`` instead, for tools.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn

import typer
import yaml
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session

from truceline.agreements import services
from truceline.agreements.adjudication import Adjudicator
from truceline.agreements.documents import AgreementInvalid, builtin_documents, load_document_file
from truceline.agreements.domain import AgreementCompileError, compile_agreements
from truceline.agreements.facts import (
    EXPECTED_SHAPE,
    document_shape_problem,
    load_facts_file,
    parse_facts,
)
from truceline.agreements.messages import english
from truceline.agreements.registry_port import definition_for, known_group_ids, what_if_definition
from truceline.agreements.schema import agreement_json_schema
from truceline.agreements.threat import ThreatDefinition
from truceline.agreements.versions import AmendmentInvalid, effective_start
from truceline.audit.actor import Actor
from truceline.cli.output import EXIT_REJECTED, JsonOption, emit, stderr, usage_error
from truceline.db.engine import default_engine, transaction

agreements_app = typer.Typer(help="Agreements as versioned data.", no_args_is_help=True)

DefinitionOption = typer.Option(
    "joint",
    "--definition",
    help="Which groups count as groups attacking a party: joint, AF, PK, or a file PATH "
    '({"name": ..., "groups": [...], "undecided": [...]}). Lists apply as of each incident\'s time.',
)

FactsFileArgument = typer.Argument(
    ..., help="JSON list of incident facts (docs/cli.md, section Incident facts)."
)
DocumentArgument = typer.Argument(..., help="An agreement document (YAML or JSON).")
SchemaOutputOption = typer.Option(None, "-o", "--output", help="Write to this file.")


def register(app: typer.Typer) -> None:
    app.command("adjudicate")(adjudicate_command)
    app.add_typer(agreements_app, name="agreements")


def adjudicate_command(
    file: Path = FactsFileArgument,
    as_json: bool = JsonOption,
    definition: str = DefinitionOption,
    report: bool = typer.Option(False, "--report", help="Print {findings, rejected} instead."),
) -> None:
    """Judge incident facts against the agreements in force at each incident's time."""
    try:
        items = load_facts_file(file.read_text(encoding="utf-8"))
    except OSError as problem:
        usage_error(f"{file}: {problem}", as_json=as_json or report)
    except ValueError as problem:
        usage_error(f"{file}: {problem}; {EXPECTED_SHAPE}", as_json=as_json or report)
    shape_problem = document_shape_problem(items)
    if shape_problem is not None:
        # Nothing in it could be read as incidents: a usage error (2), not a partial rejection.
        usage_error(f"{file}: {shape_problem}", as_json=as_json or report)
    with transaction(default_engine()) as session:
        adjudicator = _adjudicator(session, definition, as_json=as_json)
    facts, errors = parse_facts(items, known_groups=adjudicator.known_groups)
    findings = [f.to_json() for f in adjudicator.adjudicate_many(facts)]
    for rejected in errors:
        stderr.print(f"rejected: {rejected}", markup=False, highlight=False, soft_wrap=True)
    payload: Any = findings
    if report:
        payload = {"findings": findings, "rejected": [e.to_json() for e in errors]}
    emit(payload, as_json=True)
    if errors:
        raise typer.Exit(EXIT_REJECTED)


def _adjudicator(session: Session, spec: str, *, as_json: bool) -> Adjudicator:
    try:
        threat = _definition(session, spec)
        return Adjudicator(
            services.agreement_index(session),
            definition=threat,
            known_groups=known_group_ids(session),
        )
    except (OperationalError, ProgrammingError):
        usage_error("the database is not initialised: run `truceline init`", as_json=as_json)
    except (LookupError, ValueError) as problem:
        usage_error(f"--definition {spec}: {problem}", as_json=as_json)


def _definition(session: Session, spec: str) -> ThreatDefinition:
    path = Path(spec)
    if spec.lower() not in {"joint", "af", "pk"} and path.is_file():
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if not isinstance(data, dict) or not isinstance(data.get("groups", []), list):
            raise ValueError('expected {"name": str, "groups": [ids], "undecided": [ids]}')
        return what_if_definition(
            str(data.get("name") or f"what-if list {path.name}"),
            [str(g) for g in data.get("groups", [])],
            [str(g) for g in data.get("undecided", [])],
        )
    return definition_for(session, spec)


@agreements_app.command("list")
def list_command(as_json: bool = JsonOption) -> None:
    """List stored agreements with their current version and window in force."""
    with transaction(default_engine()) as session:
        rows = [
            {"id": a.id, "title": a.title, "current_version": a.current_version}
            for a in services.list_agreements(session)
        ]
        index = services.agreement_index(session)
    for row in rows:
        compiled = index.get(str(row["id"]))
        row["in_force"] = english(compiled.window_text) if compiled else None

    def human() -> None:
        for row in rows:
            print(f"{row['id']:32} v{row['current_version']}  {row['title']}  ({row['in_force']})")

    emit({"agreements": rows}, as_json=as_json, human=human)


@agreements_app.command("show")
def show_command(
    agreement_id: str = typer.Argument(..., help="Agreement id, e.g. doha-2025-10-19."),
    version: int | None = typer.Option(
        None, "--version", help="A past version (default: current)."
    ),
    as_json: bool = JsonOption,
) -> None:
    """Show one agreement's document (current or a given version) and its version history."""
    with transaction(default_engine()) as session:
        versions = services.agreement_versions(session, agreement_id)
    if not versions:
        usage_error(f"no agreement {agreement_id!r}", as_json=as_json)
    chosen = (
        versions[-1]
        if version is None
        else next((v for v in versions if v.version == version), None)
    )
    if chosen is None:
        usage_error(f"{agreement_id} has no version {version}", as_json=as_json)
    payload = {
        "id": agreement_id,
        "version": chosen.version,
        "versions": [
            {
                "version": v.version,
                "created_at": v.created_at.isoformat(),
                "created_by": v.created_by,
                "note": v.note,
                "effective_from": _iso(effective_start(v)),
            }
            for v in versions
        ],
        "document": chosen.document,
    }
    emit(
        payload,
        as_json=as_json,
        human=lambda: print(yaml.safe_dump(payload, allow_unicode=True, sort_keys=False)),
    )


def _iso(instant: datetime | None) -> str | None:
    return instant.isoformat() if instant else None


@agreements_app.command("validate")
def validate_command(
    file: Path = DocumentArgument,
    as_json: bool = JsonOption,
) -> None:
    """Check an agreement document against the schema; exit 1 naming each problem."""
    try:
        document = load_document_file(file)
    except OSError as error:
        usage_error(f"{file}: {error}", as_json=as_json)
    except AgreementInvalid as invalid:
        _report_invalid(file, invalid.errors, as_json=as_json)
    try:
        others = [d for d in builtin_documents() if d.id != document.id]
        compile_agreements([*others, document])
    except AgreementCompileError as error:
        _report_invalid(file, [str(error)], as_json=as_json)
    emit(
        {"valid": True, "id": document.id, "errors": []},
        as_json=as_json,
        human=lambda: stderr.print(f"{file}: valid agreement {document.id}"),
    )


def _report_invalid(file: Path, errors: list[str], *, as_json: bool) -> NoReturn:
    def human() -> None:
        for error in errors:
            stderr.print(f"{file}: {error}", markup=False, highlight=False, soft_wrap=True)

    emit({"valid": False, "id": None, "errors": errors}, as_json=as_json, human=human)
    raise typer.Exit(EXIT_REJECTED)


@agreements_app.command("amend")
def amend_command(
    file: Path = DocumentArgument,
    note: str = typer.Option("", help="Why the agreement was amended."),
    actor: str = typer.Option("cli", help="Who amends it (recorded in the audit log)."),
    as_json: bool = JsonOption,
) -> None:
    """Store a new version of an agreement (the old one is kept) and re-judge the incidents
    it governs: those from its effective_from (stated in the file, else now) on."""
    try:
        document = load_document_file(file)
    except (OSError, AgreementInvalid) as error:
        usage_error(str(error), as_json=as_json)
    try:
        with transaction(default_engine()) as session:
            result = services.amend(
                session, document, actor=Actor(name=actor, role="mediator"), note=note
            )
            stored = result["version"]
            start = effective_start(stored) if stored else None
            payload = {
                "id": document.id,
                "version": stored.version if stored else None,
                "changed": stored is not None,
                "effective_from": _iso(start),
                "rejudged": result["incidents"],
                "findings_changed": result["changed"],
            }
    except AmendmentInvalid as error:
        usage_error(f"{file}: {error}", as_json=as_json)
    emit(payload, as_json=as_json, human=lambda: stderr.print(json.dumps(payload)))


@agreements_app.command("schema")
def schema_command(
    output: Path | None = SchemaOutputOption,
) -> None:
    """Print (or write) the JSON Schema of agreement documents."""
    text = json.dumps(agreement_json_schema(), indent=2, ensure_ascii=False) + "\n"
    if output is None:
        print(text, end="")
    else:
        output.write_text(text, encoding="utf-8")
        stderr.print(f"wrote {output}")
