"""Commands loaded only when they run, so that ``truceline --help`` starts fast.

Each context's ``cli`` module imports its services, and through them SQLAlchemy,
pydantic, the geography and sometimes FastAPI: importing all fourteen took about
1.5 s before any command ran, ``--help`` included. The top-level group here
knows every command by name and one-line help (``COMMANDS`` in ``cli/main.py``)
and imports a command's module only when that command is invoked.
``tests/unit/cli/test_main.py`` checks that this list and the modules agree.
"""

from __future__ import annotations

import importlib
from typing import Any, NamedTuple

import typer
from typer import _click as click  # typer's own copy of click, which its classes derive from
from typer.core import TyperCommand, TyperGroup


class LazyCommand(NamedTuple):
    """Where a top-level command lives and the line ``--help`` shows for it."""

    name: str
    module: str
    help: str


class LazyGroup(TyperGroup):
    """A group whose commands are placeholders until one is resolved to run."""

    lazy_commands: tuple[LazyCommand, ...] = ()

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        for entry in self.lazy_commands:
            self.commands.setdefault(entry.name, _placeholder(entry))

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        if args:
            self._load(args[0])
        return super().resolve_command(ctx, args)

    def _load(self, name: str) -> None:
        """Replace the placeholder of ``name`` (and its module's siblings) by the real commands."""
        entry = next((e for e in self.lazy_commands if e.name == name), None)
        if entry is None or not isinstance(self.commands.get(name), _Placeholder):
            return
        # The contexts are connected (event subscriptions, ports) before any command runs.
        from truceline.startup import wire

        wire()
        holder = typer.Typer()
        importlib.import_module(entry.module).register(holder)
        for loaded_name, command in typer.main.get_group(holder).commands.items():
            self.commands[loaded_name] = command


class _Placeholder(TyperCommand):
    """Stands for a command in the help listing; never invoked (``resolve_command`` loads first)."""


def _placeholder(entry: LazyCommand) -> TyperCommand:
    return _Placeholder(name=entry.name, help=entry.help, short_help=entry.help)


def lazy_group_class(commands: tuple[LazyCommand, ...]) -> type[LazyGroup]:
    """A ``LazyGroup`` subclass bound to ``commands``, for ``typer.Typer(cls=...)``."""
    return type("TrucelineCommands", (LazyGroup,), {"lazy_commands": commands})
