"""``truceline warning`` commands: deliver the outbox, list clocks, measure escalation.

``deliver`` is what a cron job or systemd timer runs (``--loop`` to keep
draining); ``subscribe`` registers a webhook endpoint or an email address;
``scan`` re-checks every cooling-off clock against stored incidents.
"""

from __future__ import annotations

import time
from typing import Any

import typer

from truceline.audit.log import Actor
from truceline.cli.output import JsonOption, emit, stderr, usage_error
from truceline.db.base import utcnow
from truceline.db.engine import default_engine, transaction
from truceline.warning.domain import WarningError

warning_app = typer.Typer(
    name="warning",
    help="Early warning: cooling-off clocks, notifications and escalation between the parties.",
    no_args_is_help=True,
)

OPERATOR = Actor(name="operator", role="admin")


def register(app: typer.Typer) -> None:
    app.add_typer(warning_app, name="warning")


@warning_app.command("deliver")
def deliver_command(
    limit: int = typer.Option(50, min=1, help="Messages claimed per pass."),
    loop: bool = typer.Option(False, "--loop", help="Keep draining every --interval seconds."),
    interval: float = typer.Option(30.0, min=0.1, help="Seconds between passes with --loop."),
    as_json: bool = JsonOption,
) -> None:
    """Send due webhooks and emails from the outbox, recording every attempt."""
    from truceline.warning.outbox import deliver_due

    engine = default_engine()
    while True:
        run = deliver_due(engine, limit=limit)
        if not loop:
            break
        stderr.print(f"delivered {len(run.delivered)}, retrying {len(run.retrying)}")
        time.sleep(interval)
    payload = run.as_json()
    emit(payload, as_json=as_json, human=lambda: _print_run(payload))


def _print_run(payload: dict[str, list[int]]) -> None:
    for status, ids in payload.items():
        print(f"{status}: {len(ids)}" + (f" ({', '.join(map(str, ids))})" if ids else ""))


@warning_app.command("clocks")
def clocks_command(
    all_clocks: bool = typer.Option(False, "--all", help="Include clocks that have run out."),
    as_json: bool = JsonOption,
) -> None:
    """Running cooling-off clocks, with time remaining and any breach flags."""
    from truceline.warning.services import list_clocks

    with transaction() as session:
        clocks = list_clocks(session, running_only=not all_clocks)
    emit({"clocks": clocks}, as_json=as_json, human=lambda: _print_clocks(clocks))


def _print_clocks(clocks: list[dict[str, Any]]) -> None:
    if not clocks:
        print("no running cooling-off clocks")
    for clock in clocks:
        print(
            f"{clock['report']}: {clock['alleging_party']} allegation, "
            f"{clock['remaining_hours']} h left (ends {clock['ends_at']}), "
            f"{len(clock['flags'])} flag(s)"
        )
        for flag in clock["flags"]:
            print(f"  FLAG {flag['incident']}: {flag['explanation']}")


@warning_app.command("escalation")
def escalation_command(
    since: str | None = typer.Option(
        None, help="Start of the window: ISO date/time, or e.g. 90d for the last 90 days."
    ),
    until: str | None = typer.Option(None, help="End of the window (ISO date/time); default now."),
    as_json: bool = JsonOption,
) -> None:
    """Cross-excitation AF←PK and PK←AF, branching ratio and retaliation shares."""
    from truceline.warning.escalation import escalation_report, parse_since

    try:
        end = parse_since(until, until=utcnow()) if until else utcnow()
        assert end is not None
        start = parse_since(since, until=end)
    except ValueError as error:
        usage_error(f"--since/--until: {error}", as_json=as_json)
    with transaction() as session:
        report = escalation_report(session, since=start, until=end)
    emit(report, as_json=as_json, human=lambda: _print_escalation(report))


def _print_escalation(report: dict[str, Any]) -> None:
    window = report["window"]
    print(f"window {window['since']} .. {window['until']}")
    print(f"attributed events: AF {report['events']['AF']}, PK {report['events']['PK']}")
    fit = report["fit"]
    if fit:
        print(f"AF←PK {fit['cross_af_from_pk']}   PK←AF {fit['cross_pk_from_af']}")
        print(f"branching ratio {fit['branching_ratio']}")
        shares = fit["retaliation_share_now"]
        print(f"retaliation share now: AF {shares['AF']:.0%}, PK {shares['PK']:.0%}")
    print(report["explanation"])


@warning_app.command("scan")
def scan_command(as_json: bool = JsonOption) -> None:
    """Re-check every cooling-off clock against stored incidents; prints new flags."""
    from truceline.warning.services import flag_json, scan_breaches

    with transaction() as session:
        flags = [flag_json(flag) for flag in scan_breaches(session)]
    emit({"new_flags": flags}, as_json=as_json, human=lambda: print(f"{len(flags)} new flag(s)"))


@warning_app.command("subscribe")
def subscribe_command(
    channel: str = typer.Argument(..., help="webhook or email"),
    target: str = typer.Argument(..., help="The endpoint URL or email address."),
    audience: str = typer.Option(..., help="Whose notices it receives: AF, PK or mediator."),
    secret: str | None = typer.Option(
        None, envvar="TRUCELINE_WEBHOOK_SECRET", help="Webhook signing secret (≥16 characters)."
    ),
    as_json: bool = JsonOption,
) -> None:
    """Register a webhook endpoint (HMAC-SHA256 signed) or an email address."""
    from truceline.warning.notify import add_subscription

    try:
        with transaction() as session:
            sub = add_subscription(
                session,
                channel=channel,
                target=target,
                audience=audience,
                secret=secret,
                actor=OPERATOR,
            )
            payload = {"id": sub.id, "channel": channel, "target": target, "audience": audience}
    except WarningError as error:
        usage_error(str(error), as_json=as_json)
    emit(payload, as_json=as_json, human=lambda: print(f"subscription {payload['id']} added"))


@warning_app.command("outbox")
def outbox_command(as_json: bool = JsonOption) -> None:
    """Counts of outbox messages by status."""
    from truceline.warning.outbox import outbox_status

    with transaction() as session:
        counts = outbox_status(session)
    emit(counts, as_json=as_json, human=lambda: print(counts))
