"""Commands ``truceline groups ...`` and ``truceline designations ...``.

``groups resolve NAME``, ``groups list --as-of DATE``, ``groups show ID``, ``designations joint``,
``designations matrix``, ``designations replay --list FILE|AF|PK|joint``,
``designations compare`` and ``designations import FILE``. All take ``--json``.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import typer

from truceline.audit.actor import Actor
from truceline.cli.output import EXIT_REJECTED, JsonOption, emit, stderr, usage_error
from truceline.db.engine import default_engine, transaction
from truceline.designations import queries
from truceline.designations.domain.positions import DesignationError
from truceline.designations.replay import candidate_definition, compare, facts_from_file, replay
from truceline.designations.resolution import resolve_group
from truceline.designations.services.importer import import_rows, read_rows

groups_app = typer.Typer(help="The armed-group registry: aliases, relations, listings.")
designations_app = typer.Typer(help="Each party's designations, the joint list, replay.")

AsOfOption = typer.Option(None, "--as-of", help="Date (YYYY-MM-DD); default today (UTC).")
CompareListsOption = typer.Option(["PK", "AF", "joint"], "--list", help="Definitions to compare.")
FactsOption = typer.Option(
    None,
    "--facts",
    help="Replay these incident facts (adjudicate format) instead of stored incidents.",
)
CLI_ACTOR = Actor(name="cli", role="admin")


def register(app: typer.Typer) -> None:
    app.add_typer(groups_app, name="groups")
    app.add_typer(designations_app, name="designations")


def _as_of(value: str | None, as_json: bool) -> date:
    if value is None:
        return datetime.now(UTC).date()
    try:
        return date.fromisoformat(value)
    except ValueError:
        usage_error(f"--as-of {value!r}: expected a date as YYYY-MM-DD", as_json=as_json)


@groups_app.command("resolve")
def resolve_command(name: str, as_json: bool = JsonOption) -> None:
    """Resolve any alias or spelling (Latin, Pashto, Dari, Urdu script) to a group."""
    with transaction(default_engine()) as session:
        result = resolve_group(name, session=session)
    payload: dict[str, Any] = {"query": name, "resolution": asdict(result) if result else None}
    if result is not None:
        payload["resolution"]["ambiguous"] = result.ambiguous
    emit(payload, as_json=as_json, human=lambda: _print_resolution(name, payload["resolution"]))
    if result is None:
        raise typer.Exit(EXIT_REJECTED)


def _print_resolution(name: str, resolution: dict[str, Any] | None) -> None:
    if resolution is None:
        stderr.print(f"no group matches {name!r}")
    elif resolution["ambiguous"]:
        groups = ", ".join(c["group_id"] for c in resolution["candidates"])
        print(f"{name!r} is ambiguous: used for {groups}")
    else:
        print(
            f"{resolution['group_id']} ({resolution['method']}, score {resolution['score']}, "
            f"alias {resolution['matched_alias']!r} used by {resolution['origin']})"
        )


@groups_app.command("list")
def list_command(as_of: str | None = AsOfOption, as_json: bool = JsonOption) -> None:
    """Every group with its aliases, listings, relations and positions on a date."""
    day = _as_of(as_of, as_json)
    with transaction(default_engine()) as session:
        groups = queries.list_groups(session, as_of=day)
    emit(
        {"as_of": day.isoformat(), "groups": groups},
        as_json=as_json,
        human=lambda: _print_groups(groups),
    )


def _print_groups(groups: list[dict[str, Any]]) -> None:
    for group in groups:
        stances = "  ".join(f"{h}={p['stance'] or '-'}" for h, p in group["positions"].items())
        print(f"{group['id']:<8} {group['name']:<40} {stances}")


@groups_app.command("show")
def show_command(group_id: str, as_json: bool = JsonOption) -> None:
    """One group's full record: every position (with corrections), relation, listing and process."""
    with transaction(default_engine()) as session:
        try:
            history = queries.group_history(session, group_id.upper())
        except DesignationError as exc:
            usage_error(str(exc), as_json=as_json)
    emit(history, as_json=as_json, human=lambda: _print_history(history))


def _print_history(history: dict[str, Any]) -> None:
    print(f"{history['id']}: {history['name']}")
    for p in history["positions"]:
        mark = " (superseded)" if p["superseded"] else ""
        print(f"  {p['holder']:<5} {p['stance']:<15} since {p['since']:<10}{mark} {p['rationale']}")
    for r in history["relations"]:
        print(
            f"  {r['subject']} {r['kind']} {r['object']} ({r['valid_from'] or '…'} – {r['valid_until'] or '…'})"
        )
    for x in history["listings"]:
        print(f"  listed: {x['list']} ({x['year']})")


@designations_app.command("joint")
def joint_command(as_of: str | None = AsOfOption, as_json: bool = JsonOption) -> None:
    """The joint list on a date: designated, agreed not designated, undecided."""
    day = _as_of(as_of, as_json)
    with transaction(default_engine()) as session:
        result = queries.joint_list(session, as_of=day)
    emit(result, as_json=as_json, human=lambda: _print_joint(result))


def _print_joint(result: dict[str, Any]) -> None:
    for bucket in ("designated", "not_designated", "undecided"):
        print(f"{bucket}:")
        for entry in result[bucket]:
            print(f"  {entry['group']:<8} {entry['reason']}")


@designations_app.command("matrix")
def matrix_command(as_of: str | None = AsOfOption, as_json: bool = JsonOption) -> None:
    """The divergence matrix: group × party × criterion, where and why the parties disagree."""
    day = _as_of(as_of, as_json)
    with transaction(default_engine()) as session:
        matrix = queries.divergence_matrix(session, as_of=day)
    emit(matrix, as_json=as_json, human=lambda: _print_matrix(matrix))


def _print_matrix(matrix: dict[str, Any]) -> None:
    codes = [c["code"] for c in matrix["criteria"]]
    print(f"divergence matrix as of {matrix['as_of']}")
    for row in matrix["groups"]:
        stances = ", ".join(f"{p}: {v['stance'] or '-'}" for p, v in row["positions"].items())
        mark = "DIFFER" if row["stance_divergent"] else "agree"
        print(f"{row['group']:<8} [{mark}] {stances}; joint: {row['joint']['stance'] or '-'}")
        for code in codes:
            cell = row["criteria"][code]
            if cell["divergent"]:
                print(f"    {code} ({cell['divergence']}): {cell['why']}")


@designations_app.command("replay")
def replay_command(
    list_spec: str = typer.Option(
        ..., "--list", help="AF, PK, joint, or a JSON/YAML file of group ids."
    ),
    baseline: str = typer.Option("joint", "--baseline", help="Definition to compare with."),
    facts_file: Path | None = FactsOption,
    as_json: bool = JsonOption,
) -> None:
    """Re-run adjudication over stored incidents under a candidate list; report what changes."""
    with transaction(default_engine()) as session:
        try:
            report = replay(
                session,
                candidate=candidate_definition(session, list_spec),
                baseline=candidate_definition(session, baseline),
                facts=facts_from_file(facts_file) if facts_file else None,
            )
        except DesignationError as exc:
            usage_error(str(exc), as_json=as_json)
    emit(report, as_json=as_json, human=lambda: _print_replay(report))


def _print_replay(report: dict[str, Any]) -> None:
    print(f"{report['candidate']} vs {report['baseline']}: {report['changed']} finding(s) change")
    for party, tally in report["by_party"].items():
        print(f"  {party}: {tally['exposed']} newly in violation, {tally['cleared']} cleared")
    settled = report["indeterminate"]
    print(
        f"  indeterminate findings settled: {settled['settled']}, unsettled: {settled['unsettled']}"
    )
    for change in report["changes"]:
        print(f"  - {change['summary']}")
    for rejected in report["rejected"]:
        stderr.print(
            f"skipped incident {rejected['incident']}: {rejected['field']}: {rejected['reason']}"
        )


@designations_app.command("compare")
def compare_command(
    lists: list[str] = CompareListsOption,
    facts_file: Path | None = FactsOption,
    as_json: bool = JsonOption,
) -> None:
    """Each stored incident's findings side by side under several lists."""
    with transaction(default_engine()) as session:
        try:
            facts = facts_from_file(facts_file) if facts_file else None
            result = compare(session, lists, facts=facts)
        except DesignationError as exc:
            usage_error(str(exc), as_json=as_json)
    emit(result, as_json=as_json, human=lambda: _print_compare(result))


def _print_compare(result: dict[str, Any]) -> None:
    for row in result["rows"]:
        cells = "  ".join(
            f"{spec}={cell['finding']}{'/' + cell['violating_party'] if cell['violating_party'] else ''}"
            for spec, cell in row["under"].items()
        )
        print(f"{'*' if row['differs'] else ' '} {row['incident']} {row['agreement']}: {cells}")


@designations_app.command("import")
def import_command(path: Path, as_json: bool = JsonOption) -> None:
    """Import positions, relations, aliases, listings and evidence from a JSON/YAML list."""
    try:
        rows = read_rows(path)
    except DesignationError as exc:
        usage_error(str(exc), as_json=as_json)
    with transaction(default_engine()) as session:
        result = import_rows(session, rows, actor=CLI_ACTOR)
    emit(result, as_json=as_json, human=lambda: _print_import(result))
    if result["rejected"]:
        raise typer.Exit(EXIT_REJECTED)


def _print_import(result: dict[str, Any]) -> None:
    print(f"imported {result['imported']}, duplicates {result['duplicates']}")
    for rejected in result["rejected"]:
        stderr.print(f"row {rejected['row']}: {rejected['reason']}")
