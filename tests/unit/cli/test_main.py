"""The ``truceline`` entry point: help without the heavy imports, commands loaded on use."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys

import typer
from typer.testing import CliRunner

from truceline.cli.main import COMMAND_MODULES, COMMANDS, build_app, lazy_app

runner = CliRunner()

HEAVY_PACKAGES = {"sqlalchemy", "fastapi", "pydantic", "starlette", "shapely", "numpy"}

_PROBE = """
import json, sys
sys.argv = ["truceline", *ARGS]
from truceline.cli.main import main
try:
    main()
except SystemExit:
    pass
sys.stderr.write(json.dumps(sorted(sys.modules)))
"""


def _modules_after(*args: str) -> tuple[str, list[str]]:
    """Run the real entry point in a fresh interpreter; its output and the modules it imported."""
    code = _PROBE.replace("ARGS", repr(list(args)))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    return done.stdout, json.loads(done.stderr.splitlines()[-1])


def test_help_imports_neither_sqlalchemy_nor_fastapi() -> None:
    output, modules = _modules_after("--help")
    assert "Usage: truceline" in output
    assert [m for m in modules if m.split(".")[0] in HEAVY_PACKAGES] == []
    ours = {m for m in modules if m.startswith("truceline.")}
    assert ours <= {
        "truceline.cli",
        "truceline.cli.main",
        "truceline.cli.help",
        "truceline.cli.lazy",
    }


def test_help_lists_every_command_with_the_same_text_as_the_loaded_application() -> None:
    lazy = runner.invoke(lazy_app(), ["--help"], terminal_width=100)
    eager = runner.invoke(build_app(), ["--help"], terminal_width=100)
    assert lazy.exit_code == 0 and eager.exit_code == 0
    assert lazy.output == eager.output
    for command in COMMANDS:
        assert f" {command.name} " in lazy.output


def test_the_command_list_names_exactly_what_the_modules_register() -> None:
    registered: dict[str, str] = {}
    for module in COMMAND_MODULES:
        holder = typer.Typer()
        importlib.import_module(module).register(holder)
        for name in typer.main.get_group(holder).commands:
            registered[name] = module
    assert {c.name: c.module for c in COMMANDS} == registered


def test_a_command_runs_after_its_module_is_loaded_on_demand() -> None:
    output, modules = _modules_after(
        "extract", "Two killed in a drone strike in Angoor Adda", "--json"
    )
    assert json.loads(output)["events"][0]["killed"] == 2
    assert "truceline.extraction.cli" in modules
    assert "truceline.verification.cli" not in modules


def test_an_unknown_command_is_a_usage_error_with_a_suggestion() -> None:
    result = runner.invoke(lazy_app(), ["improt"])
    assert result.exit_code == 2
    assert "No such command 'improt'" in result.output and "'import'" in result.output
