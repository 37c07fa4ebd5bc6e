"""The layering of the packages: pure domain modules and no package cycles.

``docs/architecture.md`` promises that a context's ``domain`` is pure: it can
be imported (and reasoned about, and tested) without the database or the web
framework. These tests hold the code to that promise.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "truceline"


def _domain_modules() -> list[str]:
    """Every ``domain.py`` and every module of a ``domain/`` package, as dotted names."""
    found: list[str] = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC.parent).with_suffix("")
        parts = rel.parts
        if parts[-1] == "domain" or "domain" in parts[:-1]:
            found.append(".".join(p for p in parts if p != "__init__"))
    return found


@pytest.mark.parametrize("module", _domain_modules())
def test_importing_a_domain_module_loads_no_database_or_web_framework(module: str) -> None:
    probe = (
        "import sys, importlib; importlib.import_module(sys.argv[1]); "
        "print(' '.join(sorted({m.split('.')[0] for m in sys.modules} "
        "& {'sqlalchemy', 'fastapi', 'starlette'})))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, module], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "", f"{module} loads {result.stdout.strip()}"
