"""Every benchmark names the code it times, and that code is importable from ``src/truceline``."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

import truceline

BENCHMARKS = Path(__file__).resolve().parents[3] / "benchmarks"
SCRIPTS = sorted(
    p for p in BENCHMARKS.glob("*.py") if p.name.startswith(("bench_", "eval_", "page_"))
)
SOURCE = Path(truceline.__file__).resolve().parent


def code_paths(script: Path) -> tuple[str, ...]:
    """The script's ``CODE_PATHS`` constant, read without running the script."""
    for node in ast.parse(script.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "CODE_PATHS" for t in node.targets
        ):
            return tuple(ast.literal_eval(node.value))
    return ()


def resolve(dotted: str) -> object:
    """The object a dotted path names: the longest importable module, then attributes."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found: object = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attribute in parts[cut:]:
            found = getattr(found, attribute)
        return found
    raise ModuleNotFoundError(dotted)


def test_there_are_benchmarks_to_check() -> None:
    assert len(SCRIPTS) >= 15


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_benchmark_names_code_that_src_defines(script: Path) -> None:
    paths = code_paths(script)
    assert paths, f"{script.name} has no CODE_PATHS naming the code it times"
    for dotted in paths:
        assert dotted.startswith("truceline."), dotted
        target = resolve(dotted)
        module = importlib.import_module(getattr(target, "__module__", None) or dotted)
        assert Path(module.__file__ or "").resolve().is_relative_to(SOURCE), dotted
