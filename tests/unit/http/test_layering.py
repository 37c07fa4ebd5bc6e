"""The HTTP layer stays thin and below the contexts; the composite pages stay on top.

Read from the sources (``ast``), without importing them:

- ``truceline.http`` imports only ``truceline.db``, ``truceline.config``, the
  access policy (``accounts.roles``, ``policy*``, ``permissions``, ``csrf``) and
  itself: importing a context from it fails here;
- no context imports ``truceline.web`` (the composite pages) or the composition
  root ``truceline.app``: a context's pages reach the composite incident page only
  through the name it is registered under.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import truceline

SRC = Path(truceline.__file__).parent

HTTP_MAY_IMPORT = (
    "truceline.http",
    "truceline.db",
    "truceline.config",
    "truceline.accounts.roles",
    "truceline.accounts.policy",
    "truceline.accounts.permissions",
    "truceline.accounts.csrf",
)
#: The top layers: nothing below them imports these.
TOP = ("truceline.web", "truceline.app")
#: Who may import the top layers: themselves, the command line that serves the app.
MAY_IMPORT_TOP = ("truceline.web", "truceline.app", "truceline.cli")


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> Iterator[str]:
    """Every module a file imports, at any depth (lazy imports count)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    return imports_in(path.read_text(encoding="utf-8"), package)


def imports_in(source: str, package: str) -> Iterator[str]:
    """Every module (and imported name) a source names, relative imports resolved."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def _within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


def test_the_http_layer_imports_no_context() -> None:
    offending = []
    for path in sorted((SRC / "http").rglob("*.py")):
        for name in set(imports_of(path)):
            if name in ("truceline", "truceline.__version__") or not name.startswith("truceline"):
                continue
            if not _within(name, HTTP_MAY_IMPORT):
                offending.append(f"{module_name(path)} imports {name}")
    assert offending == []


def test_no_context_imports_the_composite_pages_or_the_composition_root() -> None:
    offending = []
    for path in sorted(SRC.rglob("*.py")):
        importer = module_name(path)
        if _within(importer, MAY_IMPORT_TOP):
            continue
        for name in set(imports_of(path)):
            if _within(name, TOP):
                offending.append(f"{importer} imports {name}")
    assert offending == []


def test_the_check_sees_a_lazy_and_a_relative_import_of_a_context() -> None:
    source = "from . import deps\ndef f():\n    from truceline.verification import domain\n"
    names = set(imports_in(source, "truceline.http"))
    assert {"truceline.http.deps", "truceline.verification.domain"} <= names
    assert not _within("truceline.verification.domain", HTTP_MAY_IMPORT)
    assert "truceline.accounts.roles.Principal" in set(imports_of(SRC / "http" / "deps.py"))
