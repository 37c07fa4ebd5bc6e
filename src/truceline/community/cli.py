"""Command line of the community context.

- ``truceline community districts [--country AF|PK] [--json]``: the border district
  registry, with crossings and posts;
- ``truceline community parse "TEXT" [--json]``: how the short-message grammar reads a
  text, and the reply the sender would get (nothing is stored);
- ``truceline community feedback [--json]``: queue the notices reporters are owed;
- committees, meetings and jirgas, local resolution and escalation: ``committee_cli``.
"""

from __future__ import annotations

import typer

from truceline.accounts.roles import Principal, Role
from truceline.cli.output import JsonOption, emit, stderr, usage_error
from truceline.community.feedback import send_feedback
from truceline.community.registry import district_json, list_districts, place_index
from truceline.community.replies import ReplyKind, ask_missing, render
from truceline.community.sms import parse_message
from truceline.db.engine import transaction

community_app = typer.Typer(name="community", help="Border districts, committees, short messages.")
CountryOption = typer.Option(None, "--country", help="AF or PK.")
#: The command line acts as the mechanism's mediator (operators run it on the server).
OPERATOR = Principal(name="cli", role=Role.MEDIATOR)


def register(app: typer.Typer) -> None:
    from truceline.community import committee_cli  # noqa: F401 (adds the committee commands)

    app.add_typer(community_app, name="community")


@community_app.command("districts")
def districts_command(country: str | None = CountryOption, as_json: bool = JsonOption) -> None:
    """List the border districts on both sides (computed from the boundary and gazetteer)."""
    if country is not None and country.upper() not in ("AF", "PK"):
        usage_error(f"--country {country!r}: expected AF or PK", as_json=as_json)
    with transaction() as session:
        rows = [district_json(row) for row in list_districts(session, country=country)]

    def human() -> None:
        for row in rows:
            sites = ", ".join([*row["crossings"], *row["posts"]])  # type: ignore[misc]
            print(
                f"{row['key']:<32} {row['admin1']:<20} {row['border_distance_km']:>6} km  {sites}"
            )

    emit({"districts": rows, "count": len(rows)}, as_json=as_json, human=human)


@community_app.command("parse")
def parse_command(text: str, as_json: bool = JsonOption) -> None:
    """Show how a short message is read and what the sender would be told."""
    with transaction() as session:
        parsed = parse_message(text, place_index(session).lexicon)
    if not parsed.readable:
        reply = render(ReplyKind.UNREADABLE, parsed.language)
    elif parsed.missing:
        reply = ask_missing(parsed)
    else:
        reply = render(ReplyKind.ACKNOWLEDGED, parsed.language, code="<code>")
    payload = parsed.as_json() | {"place_known": parsed.place_known, "reply": reply}

    def human() -> None:
        for key, value in payload.items():
            print(f"{key:>12}: {value}")

    emit(payload, as_json=as_json, human=human)


@community_app.command("feedback")
def feedback_command(as_json: bool = JsonOption) -> None:
    """Queue feedback notices (under verification, outcome, local decision) for reporters."""
    with transaction() as session:
        queued = send_feedback(session, principal=OPERATOR)
    stderr.print(f"{queued} notices queued for the gateway")
    emit({"queued": queued}, as_json=as_json, human=lambda: print(queued))
