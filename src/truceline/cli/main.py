"""Entry point of the ``truceline`` command.

A context adds its commands by listing its ``cli`` module in ``COMMAND_MODULES``;
that module defines ``register(app: typer.Typer) -> None``.
"""

from __future__ import annotations

import importlib

import typer

from truceline.cli.help import show_no_type_on_flags

app = typer.Typer(
    name="truceline",
    help="Ceasefire accountability mechanism for the Afghanistan–Pakistan border.",
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


def build_app() -> typer.Typer:
    show_no_type_on_flags()
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(app)
    return app


def main() -> None:
    build_app()()
