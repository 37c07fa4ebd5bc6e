"""Entry point of the ``truceline`` command.

A context adds its commands by listing its ``cli`` module in ``COMMAND_MODULES``
(that module defines ``register(app: typer.Typer) -> None``) and each top-level
command it registers in ``COMMANDS`` with the one line ``--help`` shows. The
command runs through ``main()``, which imports a module only when one of its
commands is invoked (``cli/lazy.py``); ``build_app()`` imports them all (tests).
"""

from __future__ import annotations

import importlib

import typer

from truceline.cli.help import show_no_type_on_flags
from truceline.cli.lazy import LazyCommand, lazy_group_class

HELP = "Ceasefire accountability mechanism for the Afghanistan–Pakistan border."

app = typer.Typer(
    name="truceline",
    help=HELP,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

COMMAND_MODULES = [
    "truceline.cli.core",
    "truceline.designations.cli",
    "truceline.agreements.cli",
    "truceline.geo.cli",
    "truceline.accounts.cli",
    "truceline.verification.cli",
    "truceline.audit.cli",
    "truceline.intake.cli",
    "truceline.incidents.cli",
    "truceline.exchange.cli",
    "truceline.community.cli",
    "truceline.extraction.cli",
    "truceline.warning.cli",
    "truceline.reports.cli",
    "truceline.action_requests.cli",
]

_D = "truceline.designations.cli"
_A = "truceline.accounts.cli"
_X = "truceline.exchange.cli"

#: Every top-level command, in the order ``--help`` lists them (commands, then groups).
COMMANDS = (
    LazyCommand(
        "init",
        "truceline.cli.core",
        "Create or migrate the database and load the built-in Afghanistan–Pakistan profile (idempotent).",
    ),
    LazyCommand(
        "serve",
        "truceline.cli.core",
        "Run the web application and API, with the background jobs (run by one worker).",
    ),
    LazyCommand(
        "adjudicate",
        "truceline.agreements.cli",
        "Judge incident facts against the agreements in force at each incident's time.",
    ),
    LazyCommand(
        "import",
        _X,
        "Import events; bad rows are rejected one by one with a reason, the rest are imported.",
    ),
    LazyCommand(
        "export",
        _X,
        "Export incidents with their sources; ACLED CSV uses ACLED's column names.",
    ),
    LazyCommand(
        "demo",
        _X,
        "Load the demonstration data: the profile, UCDP GED events for Pakistan and the "
        "October 2025 events (idempotent).",
    ),
    LazyCommand(
        "extract",
        "truceline.extraction.cli",
        "Read news or statement text and propose incident facts (date, type, place, actor, counts).",
    ),
    LazyCommand("groups", _D, "The armed-group registry: aliases, relations, listings."),
    LazyCommand("designations", _D, "Each party's designations, the joint list, replay."),
    LazyCommand("agreements", "truceline.agreements.cli", "Agreements as versioned data."),
    LazyCommand(
        "geo",
        "truceline.geo.cli",
        "Geography: geoparse place descriptions and describe points near the "
        "Afghanistan–Pakistan border.",
    ),
    LazyCommand("users", _A, "Accounts: create, disable, reset, list, and issue API tokens."),
    LazyCommand("identities", _A, "Protected identities of community reporters."),
    LazyCommand("keys", _A, "Key files kept outside the database and the repository."),
    LazyCommand(
        "verification",
        "truceline.verification.cli",
        "The verification workflow: queue, teams, tasks, replies, determination.",
    ),
    LazyCommand("audit", "truceline.audit.cli", "The signed, append-only audit log."),
    LazyCommand(
        "intake", "truceline.intake.cli", "Receive reports: submit one, or import a CSV file."
    ),
    LazyCommand(
        "incidents",
        "truceline.incidents.cli",
        "Link reports into incidents; merge, split and undo; publish.",
    ),
    LazyCommand(
        "community", "truceline.community.cli", "Border districts, committees, short messages."
    ),
    LazyCommand(
        "warning",
        "truceline.warning.cli",
        "Early warning: cooling-off clocks, notifications and escalation between the parties.",
    ),
    LazyCommand(
        "reports",
        "truceline.reports.cli",
        "Periodic reports: public (released findings) and restricted (mediators and parties).",
    ),
    LazyCommand(
        "requests",
        "truceline.action_requests.cli",
        "Requests for action and intelligence shared between the parties.",
    ),
)


def build_app() -> typer.Typer:
    """The application with every command module imported (what tests drive)."""
    from truceline.startup import wire

    wire()
    show_no_type_on_flags()
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(app)
    return app


def lazy_app() -> typer.Typer:
    """The application as the ``truceline`` command runs it: modules imported on use."""
    show_no_type_on_flags()
    shell = typer.Typer(
        name="truceline",
        help=HELP,
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        add_completion=False,
        cls=lazy_group_class(COMMANDS),
    )
    # Typer builds a group only for an application with a callback or several commands;
    # this one has none until a command is resolved, so it gets an empty callback.
    shell.callback()(_no_options)
    return shell


def _no_options() -> None:
    """Nothing to do before the command: the top level has no options but ``--help``."""


def main() -> None:
    lazy_app()()
