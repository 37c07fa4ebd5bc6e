"""``truceline warning`` commands: deliver the outbox, list clocks, measure escalation.

``deliver`` is what a cron job or systemd timer runs (``--loop`` to keep
draining); ``subscribe`` registers a webhook endpoint or an email address;
``scan`` re-checks every cooling-off clock against stored incidents.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import typer

from truceline.audit.actor import Actor
from truceline.cli.output import JsonOption, emit, stderr, usage_error
from truceline.config import get_settings
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
        run = deliver_due(engine, limit=limit, settings=get_settings())
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


def _day(value: str | None, option: str, as_json: bool) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        usage_error(f"{option}: {value!r} is not a date (YYYY-MM-DD)", as_json=as_json)


@warning_app.command("backtest")
def backtest_command(
    date_from: str | None = typer.Option(
        None,
        "--from",
        help="First forecast date (YYYY-MM-DD); default: where the last quarter of the events begins.",
    ),
    date_to: str | None = typer.Option(
        None,
        "--to",
        help="Last forecast date; default: four years later, or the last event minus the horizon.",
    ),
    horizon_days: int = typer.Option(
        30, "--horizon-days", min=1, max=365, help="Days each forecast covers."
    ),
    refit_days: int = typer.Option(
        365, "--refit-days", min=1, help="Refit the model every N days."
    ),
    event_type: str | None = typer.Option(
        None, "--event-type", help="Only events of this type (e.g. air_drone_strike)."
    ),
    svg: str | None = typer.Option(None, "--svg", help="Also write the reliability diagram here."),
    as_json: bool = JsonOption,
) -> None:
    """Rolling-origin backtest of the district risk forecast against persistence and climatology."""
    from truceline.warning.risk_service import RiskInputError, backtest_report
    from truceline.warning.risk_svg import reliability_svg

    first, last = _day(date_from, "--from", as_json), _day(date_to, "--to", as_json)
    try:
        with transaction() as session:
            report, _ = backtest_report(
                session, date_from=first, date_to=last,
                horizon_days=horizon_days, refit_days=refit_days, event_type=event_type,
            )  # fmt: skip
    except RiskInputError as error:
        usage_error(str(error), as_json=as_json)
    if svg is not None:
        title = f"{horizon_days}-day district risk, {report['from']} to {report['to']}"
        Path(svg).write_text(reliability_svg(report["reliability"], title=title), encoding="utf-8")
        report["svg"] = svg
    emit(report, as_json=as_json, human=lambda: _print_backtest(report))


def _print_backtest(report: dict[str, Any]) -> None:
    print(
        f"{report['units']} districts, {report['periods']} forecasts of {report['horizon_days']} days "
        f"from {report['from']} to {report['to']} ({report['events']['events']} events placed)"
    )
    for label, scores in (("any event", report), ("fatal event", report["fatal"])):
        print(f"{label}:")
        for name in ("model", "persistence", "climatology"):
            print(
                f"  {name:<12} Brier {scores[name]['brier']:.4f}   log loss {scores[name]['log_loss']:.4f}"
            )
        skill = scores["skill"]
        print(
            f"  skill vs persistence {skill['vs_persistence']:+.1%}, vs climatology {skill['vs_climatology']:+.1%}"
        )


@warning_app.command("risk")
def risk_command(
    at: str | None = typer.Option(None, "--at", help="Forecast date (YYYY-MM-DD); default today."),
    horizon_days: int = typer.Option(
        30, "--horizon-days", min=1, max=365, help="Days the forecast covers."
    ),
    event_type: str | None = typer.Option(
        None, "--event-type", help="Only events of this type (not with --store)."
    ),
    store: bool = typer.Option(
        False, "--store", help="Keep it for the dashboard, the incident pages and the report."
    ),
    with_backtest: bool = typer.Option(
        False, "--backtest", help="With --store: also run the backtest and keep its score."
    ),
    top: int = typer.Option(15, "--top", min=1, help="Districts listed (the human output)."),
    as_json: bool = JsonOption,
) -> None:
    """Probability of at least one event, and of a fatal one, per district in the next N days."""
    from truceline.warning.risk_service import RiskInputError, backtest_report, risk_report
    from truceline.warning.risk_store import forecast_json, store_forecast

    day = _day(at, "--at", as_json)
    when = datetime.combine(day, datetime.min.time(), tzinfo=UTC) if day else utcnow()
    if event_type and store:
        usage_error(
            "--event-type: the stored forecast covers every event; drop --store", as_json=as_json
        )
    if with_backtest and not store:
        usage_error(
            "--backtest: only with --store (use 'warning backtest' on its own)", as_json=as_json
        )
    with transaction() as session:
        if not store:
            try:
                report = risk_report(
                    session, at=when, horizon_days=horizon_days, event_type=event_type
                )
            except RiskInputError as error:
                usage_error(str(error), as_json=as_json)
        else:
            if with_backtest:
                stderr.print("running the backtest first (about a minute on the demo data)")
            backtest = (
                backtest_report(session, horizon_days=horizon_days)[0] if with_backtest else None
            )
            forecast, notes = store_forecast(
                session, at=when, horizon_days=horizon_days, backtest=backtest, actor=OPERATOR
            )
            report = {**forecast_json(forecast), "notified": [n.recipient for n in notes]}
    emit(report, as_json=as_json, human=lambda: _print_risk(report, top))


def _print_risk(report: dict[str, Any], top: int) -> None:
    print(f"forecast from {report['forecast_date']} for {report['horizon_days']} days")
    if "id" in report:
        print(
            f"stored as forecast {report['id']}; notified: {', '.join(report['notified']) or 'nobody'}"
        )
    if report["model"]["p_event"] is None:
        print("no past window to fit on: no forecast")
        return
    for row in report["districts"][:top]:
        print(
            f"  {row['p_event']:6.1%}  fatal {row.get('p_fatal', 0.0):6.1%}  {row['name']} ({row['country']})"
        )


threshold_app = typer.Typer(
    help="Be told when a district's risk reaches a probability.", no_args_is_help=True
)
warning_app.add_typer(threshold_app, name="threshold")


@threshold_app.command("add")
def threshold_add(
    user: str = typer.Argument(..., help="The mediator to notify (an account name)."),
    probability: float = typer.Option(..., "--probability", help="Between 0 and 1, e.g. 0.3."),
    district: str | None = typer.Option(None, "--district", help="A district key (default: any)."),
    fatal: bool = typer.Option(False, "--fatal", help="Watch the risk of a fatal event."),
    as_json: bool = JsonOption,
) -> None:
    """Notify USER when a stored forecast puts a district at or above the probability."""
    from truceline.accounts.policy import Action, Resource, ResourceType, authorize
    from truceline.accounts.services import AccountError, principal_for, require_user
    from truceline.warning.risk_store import RiskSettingError, set_threshold

    try:
        with transaction() as session:
            account = require_user(session, user)
            decision = authorize(
                principal_for(account), Action.CREATE, Resource(ResourceType.EARLY_WARNING)
            )
            if not decision.allowed:
                raise RiskSettingError(
                    "user", f"{user} may not set risk thresholds: {decision.reason}"
                )
            row = set_threshold(
                session, user=user, probability=probability, unit_key=district,
                fatal=fatal, actor=OPERATOR,
            )  # fmt: skip
            payload = {
                "id": row.id,
                "user": user,
                "district": district,
                "probability": probability,
                "fatal": fatal,
            }
    except (RiskSettingError, AccountError) as error:
        usage_error(str(error), as_json=as_json)
    emit(payload, as_json=as_json, human=lambda: print(f"threshold {payload['id']} set"))


@threshold_app.command("list")
def threshold_list(user: str = typer.Argument(...), as_json: bool = JsonOption) -> None:
    """USER's active thresholds."""
    from truceline.warning.risk_store import thresholds_of

    with transaction() as session:
        rows = [
            {"id": t.id, "district": t.unit_key, "probability": t.probability, "fatal": t.fatal}
            for t in thresholds_of(session, user)
        ]
    emit({"thresholds": rows}, as_json=as_json, human=lambda: print(rows or "no thresholds"))


@threshold_app.command("remove")
def threshold_remove(
    user: str = typer.Argument(...),
    threshold_id: int = typer.Argument(...),
    as_json: bool = JsonOption,
) -> None:
    """Stop one of USER's thresholds."""
    from truceline.warning.risk_store import RiskSettingError, remove_threshold

    try:
        with transaction() as session:
            remove_threshold(session, threshold_id, user=user, actor=OPERATOR)
    except RiskSettingError as error:
        usage_error(str(error), as_json=as_json)
    emit(
        {"removed": threshold_id},
        as_json=as_json,
        human=lambda: print(f"threshold {threshold_id} removed"),
    )
