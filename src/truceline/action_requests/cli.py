"""``truceline requests …``: requests for action and intelligence from the command line.

Every command acts as an accounts user (``--as``), checked by the same policy
as the web and the API. Without ``--as``, reading commands (``list``, ``show``,
``figures``, ``export``) act as the mechanism's operator with a mediator's view
(interfaces.md: the export then holds what the mediator may see); writing
commands need ``--as``. Refusals exit 1 naming the field; ``--json`` prints one
JSON document.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import typer
from sqlalchemy.orm import Session

from truceline.accounts.policy import AccessDenied
from truceline.accounts.roles import Principal, Role
from truceline.accounts.services import AccountError, principal_for, require_user
from truceline.cli.output import EXIT_REJECTED, JsonOption, emit, stderr, usage_error
from truceline.config import get_settings
from truceline.db.base import utcnow
from truceline.db.engine import transaction

app = typer.Typer(help="Requests for action and intelligence shared between the parties.")

OPERATOR = Principal("operator", Role.MEDIATOR)
AsOption = typer.Option(None, "--as", help="The accounts user acting (checked by the policy).")
Work = Callable[[Session, Principal], Any]
OutputOption = typer.Option(..., "-o", "--output", dir_okay=False, help="File to write.")
BundleArgument = typer.Argument(..., exists=True, dir_okay=False, help="A STIX 2.1 bundle.")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="requests")


def _principal(session: Session, as_user: str | None, *, writes: bool) -> Principal:
    if as_user is None:
        if writes:
            raise AccountError("--as: say which user acts (a write is always in someone's name)")
        return OPERATOR
    user = require_user(session, as_user)
    if user.disabled:
        raise AccountError(f"user {as_user!r} is disabled")
    return principal_for(user)


def _fail(payload: dict[str, Any], as_json: bool) -> NoReturn:
    if as_json:
        emit(payload, as_json=True)
    else:
        stderr.print(f"[red]error:[/red] {payload['error']}")
    raise typer.Exit(EXIT_REJECTED)


def run(as_json: bool, as_user: str | None, work: Work, *, writes: bool = False) -> Any:
    """Run ``work`` in one transaction; refusals exit 1 with the reason and field."""
    from truceline.action_requests.exceptions import RequestRefused

    try:
        with transaction() as session:
            return work(session, _principal(session, as_user, writes=writes))
    except RequestRefused as refused:
        _fail({"error": str(refused), "code": refused.code, "field": refused.field}, as_json)
    except (AccessDenied, AccountError) as error:
        _fail({"error": str(error).strip("'\"")}, as_json)


def _keys() -> Path:
    return get_settings().resolved_keys_dir


@app.command("list")
def list_command(
    box: str = typer.Option("all", help="outbox, inbox, screening, verification or all."),
    limit: int = typer.Option(50, min=1, max=1000),
    as_user: str | None = AsOption,
    as_json: bool = JsonOption,
) -> None:
    """A box of requests, newest first, with deadlines and states."""
    from truceline.action_requests import queries

    try:
        chosen = queries.Box(box)
    except ValueError:
        usage_error(f"--box: {box!r} is not one of {', '.join(b.value for b in queries.Box)}")

    def work(session: Session, principal: Principal) -> dict[str, Any]:
        page = queries.list_box(session, principal, chosen, limit=limit)
        now = utcnow()
        return {"box": chosen.value, "total": page.total,
                "items": [queries.request_summary(r, now) for r in page.items]}  # fmt: skip

    payload = run(as_json, as_user, work)
    emit(payload, as_json=as_json, human=lambda: _print_list(payload))


def _print_list(payload: dict[str, Any]) -> None:
    print(f"{payload['box']}: {payload['total']} request(s)")
    for item in payload["items"]:
        late = "  OVERDUE" if item["overdue"] else ""
        print(f"  {item['code']}  {item['requesting_party']}→{item['addressed_party']}  "
              f"{item['asked_action']} {item['group']}  {item['state']}  "
              f"due {item['deadline_at'] or '-'}{late}")  # fmt: skip


@app.command("submit")
def submit_command(
    group: str = typer.Option(..., help="The group, by any alias the registry knows."),
    action: str = typer.Option(
        ..., help="arrest, expel, close, disrupt, investigate, share_information."
    ),  # fmt: skip
    clause: str = typer.Option(..., help="The clause relied on (its id)."),
    summary: str = typer.Option(..., help="What is asked and why."),
    target_kind: str = typer.Option(
        "group", help="group, individuals, location, financing_channel."
    ),  # fmt: skip
    target_detail: str = typer.Option("", help="Names, place or channel."),
    tlp: str = typer.Option("amber", help="red, amber, green or clear."),
    as_user: str | None = AsOption,
    as_json: bool = JsonOption,
) -> None:
    """File a request in the acting liaison's party's name."""
    from truceline.action_requests import queries
    from truceline.action_requests.services import RequestSpec, submit_request

    spec = RequestSpec(group=group, asked_action=action, target_kind=target_kind, clause=clause,
                       summary=summary, target_detail=target_detail, tlp=tlp)  # fmt: skip

    def work(session: Session, principal: Principal) -> dict[str, Any]:
        now = utcnow()
        request = submit_request(session, principal, spec, now=now)
        return queries.request_detail(session, principal, request, now)

    payload = run(as_json, as_user, work, writes=True)
    emit(payload, as_json=as_json, human=lambda: print(payload["code"], payload["state"]))


@app.command("show")
def show_command(
    ref: str, as_user: str | None = AsOption, as_json: bool = JsonOption
) -> None:  # fmt: skip
    """One request with its explained history."""
    from truceline.action_requests import queries
    from truceline.action_requests.access import request_resource
    from truceline.action_requests.exceptions import RequestNotFound
    from truceline.action_requests.services import find_request

    def work(session: Session, principal: Principal) -> dict[str, Any]:
        from truceline.accounts.policy import Action, authorize

        request = find_request(session, ref)
        if not authorize(principal, Action.READ, request_resource(request)).allowed:
            raise RequestNotFound("request", ref)
        return queries.request_detail(session, principal, request, utcnow())

    payload = run(as_json, as_user, work)
    emit(payload, as_json=as_json, human=lambda: _print_detail(payload))


def _print_detail(payload: dict[str, Any]) -> None:
    print(f"{payload['code']}  {payload['state']}  due {payload['deadline_at'] or '-'}")
    for event in payload["history"]:
        print(f"  {event['at']}  {event['step']}  {event['actor']}: {event['explanation']}")


@app.command("step")
def step_command(
    ref: str,
    step: str = typer.Argument(
        ..., help="admit, return, deliver, acknowledge, respond, verify, close."
    ),  # fmt: skip
    note: str = typer.Option("", help="What was done, or why."),
    reason: str | None = typer.Option(None, help="Return reason, or dispute reason."),
    response_kind: str | None = typer.Option(None, help="action_taken, declined, disputed."),
    outcome: str | None = typer.Option(None, help="confirmed, not_confirmed, not_possible."),
    as_user: str | None = AsOption,
    as_json: bool = JsonOption,
) -> None:
    """Take one step of a request's workflow."""
    from truceline.action_requests import queries
    from truceline.action_requests.domain import Step, parse_choice
    from truceline.action_requests.services import StepInput, find_request, take_step

    given = StepInput(note=note, reason=reason, response_kind=response_kind, outcome=outcome)

    def work(session: Session, principal: Principal) -> dict[str, Any]:
        request = find_request(session, ref)
        now = utcnow()
        take_step(session, principal, request, parse_choice(Step, step, field="step"), now=now,
                  given=given)  # fmt: skip
        return queries.request_detail(session, principal, request, now)

    payload = run(as_json, as_user, work, writes=True)
    emit(payload, as_json=as_json, human=lambda: _print_detail(payload))


@app.command("figures")
def figures_command(as_user: str | None = AsOption, as_json: bool = JsonOption) -> None:
    """Requests per party, share answered in time, outcomes."""
    from truceline.action_requests import queries

    payload = run(as_json, as_user, lambda s, p: queries.figures(s, p, utcnow()))
    emit(payload, as_json=as_json, human=lambda: print(payload))


@app.command("export")
def export_command(
    output: Path = OutputOption,
    file_format: str = typer.Option("stix", "--format", help="stix (a STIX 2.1 bundle)."),
    as_user: str | None = AsOption,
    as_json: bool = JsonOption,
) -> None:
    """Write the requests and intelligence the caller may see as a STIX 2.1 bundle."""
    from truceline.action_requests import stix

    if file_format != "stix":
        usage_error(f"--format: {file_format!r} is not supported; use stix", as_json=as_json)

    def work(session: Session, principal: Principal) -> int:
        text, count = stix.export_bundle(session, principal, keys_dir=_keys())
        output.write_text(text, encoding="utf-8")
        return count

    count = run(as_json, as_user, work)
    payload = {"exported": count, "path": str(output)}
    emit(payload, as_json=as_json, human=lambda: print(f"exported {count} requests to {output}"))


@app.command("import-stix")
def import_command(
    file: Path = BundleArgument,
    audience: str = typer.Option("mediator", help="mediator, mediator_and_party, monitors."),
    request: str | None = typer.Option(None, help="The request it supports (its code)."),
    as_user: str | None = AsOption,
    as_json: bool = JsonOption,
) -> None:
    """Seal a STIX bundle as an intelligence package."""
    from truceline.action_requests import intelligence, stix
    from truceline.action_requests.services import find_request

    text = file.read_text(encoding="utf-8", errors="replace")

    def work(session: Session, principal: Principal) -> dict[str, Any]:
        attached = find_request(session, request) if request else None
        package = stix.import_bundle(session, principal, text, keys_dir=_keys(),
                                     audience=audience, request=attached)  # fmt: skip
        return intelligence.package_json(package)

    payload = run(as_json, as_user, work, writes=True)
    emit(payload, as_json=as_json, human=lambda: print(payload["code"], payload["tlp"]))


@app.command("release")
def release_command(
    package: str, as_user: str | None = AsOption, as_json: bool = JsonOption
) -> None:  # fmt: skip
    """Release an intelligence package to the other party (the submitting party only)."""
    from truceline.action_requests import intelligence

    def work(session: Session, principal: Principal) -> dict[str, Any]:
        found = intelligence.find_package(session, principal, package)
        intelligence.release_package(session, principal, found, keys_dir=_keys(), now=utcnow())
        return intelligence.package_json(found)

    payload = run(as_json, as_user, work, writes=True)
    emit(payload, as_json=as_json, human=lambda: print(payload["code"], "released"))


@app.command("judge")
def judge_command(
    group: str = typer.Option(..., help="The group (registry id)."),
    party: str = typer.Option(..., help="The party whose responses are judged (AF or PK)."),
    as_user: str | None = AsOption,
    as_json: bool = JsonOption,
) -> None:
    """Judge a party's responses about a group against the clauses relied on."""
    from truceline.action_requests import outcomes

    def work(session: Session, principal: Principal) -> list[dict[str, Any]]:
        found = outcomes.judge_group(session, principal, group, party, now=utcnow())
        return [outcomes.finding_json(f) for f in found]

    payload = run(as_json, as_user, work, writes=True)
    emit(payload, as_json=as_json, human=lambda: _print_findings(payload))


def _print_findings(found: list[dict[str, Any]]) -> None:
    for finding in found:
        print(finding["finding"], finding["explanation"])
