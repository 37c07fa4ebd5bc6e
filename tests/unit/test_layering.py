"""The layering of the packages: pure domain modules, adapters on top, no package cycles.

``docs/architecture.md`` draws the layers. These tests hold the code to them:

- a context's ``domain`` (``domain.py`` or a ``domain/`` package) imports no
  SQLAlchemy, FastAPI or Starlette, not even through another module, so it
  can be imported, reasoned about and tested without the database or the web;
- the packages form no cycle. Each context counts as two nodes: its core
  (models, services, domain) and its adapters (``api.py``, ``*_api.py``,
  ``cli.py``, ``*_cli.py``, ``cli_*.py``, ``pages``, ``middleware.py``,
  ``api_errors.py``), which sit on top of every core; ``web`` and the
  ``cli`` package are the outer layer. A core never imports an adapter.

The thin ``http`` layer (app factory, request dependencies, languages,
templates, rendering, errors, middleware) imports only ``db``, ``config`` and
the access policy, never a context: contexts' adapters import it, and hand it
their routers and pages through a registry that the composition root
(``truceline.app``) fills. ``web`` (the composite pages) and ``truceline.app``
are the outer layer: no context imports them. ``KNOWN_WEB_EDGES_TO_REMOVE``
once listed the imports of ``web`` from the contexts; it is empty and stays so.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from collections import defaultdict
from functools import cache
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "truceline"
FRAMEWORKS = frozenset({"sqlalchemy", "fastapi", "starlette"})
OUTER = frozenset({"web", "cli", "app"})
#: What the HTTP layer may import: the database, the settings and the access policy.
HTTP_MAY_IMPORT = (
    "truceline.http",
    "truceline.db",
    "truceline.config",
    "truceline.accounts.roles",
    "truceline.accounts.requester",
    "truceline.accounts.policy",
    "truceline.accounts.permissions",
    "truceline.accounts.csrf",
)
_ADAPTER = re.compile(r"(^|_)(api|cli|pages)(_|$)|^middleware$")

#: Imports of ``web`` from outside it (importer, imported): the web layer's cycle, which
#: the move to a thin ``http`` layer removes. Strike an edge when it goes; never add one.
KNOWN_WEB_EDGES_TO_REMOVE: frozenset[tuple[str, str]] = frozenset()


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(p for p in parts if p != "__init__")


@cache
def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(SRC.rglob("*.py"))}


def _runtime_imports(tree: ast.AST) -> list[str]:
    """Every module named by an import statement, outside ``if TYPE_CHECKING:`` blocks."""
    found: list[str] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
            found.extend(f"{node.module}.{alias.name}" for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


@cache
def _imports_of(module: str, *, parents: bool = True) -> frozenset[str]:
    """The truceline modules a module imports and the third-party roots; with ``parents``,
    also the packages whose ``__init__`` the import runs (for what a module loads)."""
    modules = _modules()
    tree = ast.parse(modules[module].read_text(encoding="utf-8"))
    found: set[str] = set()
    for name in _runtime_imports(tree):
        if not name.startswith("truceline"):
            found.add(name.split(".")[0])
            continue
        parts = name.split(".")
        prefixes = [".".join(parts[:i]) for i in range(2, len(parts) + 1)]
        existing = [p for p in prefixes if p in modules]
        found |= set(existing if parents else existing[-1:])
    return frozenset(found - {module})


def _closure(module: str) -> set[str]:
    seen: set[str] = set()
    todo = [module]
    while todo:
        current = todo.pop()
        for name in _imports_of(current) if current in _modules() else ():
            if name not in seen:
                seen.add(name)
                todo.append(name)
    return seen


def _domain_modules() -> list[str]:
    return [m for m in _modules() if "domain" in m.split(".")[2:]]


def _node(module: str) -> str | None:
    """The layering node of a module: ``<context>``, ``<context>:adapters``, ``web``, ``cli``."""
    parts = module.split(".")
    if len(parts) < 2:
        return None
    package = parts[1]
    if package in OUTER or package == "http":
        return package
    if any(_ADAPTER.search(p) for p in parts[2:]):
        return f"{package}:adapters"
    return package


def _edges() -> dict[tuple[str, str], set[tuple[str, str]]]:
    """Node edges, each with the module imports that make it."""
    edges: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
    for module in _modules():
        for imported in _imports_of(module, parents=False):
            source, target = _node(module), _node(imported)
            if source and target and source != target:
                edges[(source, target)].add((module, imported))
    return edges


def _cycles(edges: dict[tuple[str, str], set[tuple[str, str]]]) -> list[list[str]]:
    """Strongly connected components of more than one node (Tarjan)."""
    graph: dict[str, set[str]] = defaultdict(set)
    for source, target in edges:
        graph[source].add(target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    components: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                connect(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return components


def _without_known_web_edges() -> dict[tuple[str, str], set[tuple[str, str]]]:
    edges = {}
    for pair, imports in _edges().items():
        kept = imports - KNOWN_WEB_EDGES_TO_REMOVE
        if kept:
            edges[pair] = kept
    return edges


@pytest.mark.parametrize("module", _domain_modules())
def test_a_domain_module_imports_no_database_or_web_framework(module: str) -> None:
    loaded = {m for m in _closure(module) if "." not in m} & FRAMEWORKS
    through = sorted(m for m in _closure(module) if m in _modules() and _imports_of(m) & FRAMEWORKS)
    assert not loaded, f"{module} loads {sorted(loaded)} through {through}"


@pytest.mark.parametrize("module", _domain_modules())
def test_importing_a_domain_module_loads_no_database_or_web_framework(module: str) -> None:
    """The same, measured: a fresh interpreter imports the module and lists what it loaded."""
    probe = (
        "import sys, importlib; importlib.import_module(sys.argv[1]); "
        "print(' '.join(sorted({m.split('.')[0] for m in sys.modules} "
        "& {'sqlalchemy', 'fastapi', 'starlette'})))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, module], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "", f"{module} loads {result.stdout.strip()}"


def test_the_packages_form_no_cycle() -> None:
    edges = _without_known_web_edges()
    problems = []
    for component in _cycles(edges):
        inside = sorted(
            f"{a} -> {b}"
            for (source, target), imports in edges.items()
            if source in component and target in component
            for a, b in imports
        )
        problems.append(f"cycle {component}:\n  " + "\n  ".join(inside))
    assert not problems, "\n".join(problems)


def test_no_core_module_imports_an_adapter_or_the_outer_layer() -> None:
    wrong = sorted(
        f"{a} -> {b}"
        for (source, target), imports in _without_known_web_edges().items()
        if ":" not in source and source not in OUTER and (":" in target or target in OUTER)
        for a, b in imports
    )
    assert wrong == []


def test_the_known_web_edges_only_shrink() -> None:
    """Every listed edge still exists (strike it when it goes), and no other module imports web."""
    actual = {
        (a, b)
        for (source, target), imports in _edges().items()
        if target == "web" and source != "web"
        for a, b in imports
    }
    assert sorted(KNOWN_WEB_EDGES_TO_REMOVE - actual) == [], "struck from the code: strike here"
    assert sorted(actual - KNOWN_WEB_EDGES_TO_REMOVE) == [], "a new import of web"


def _within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


def http_layer_imports_outside_policy() -> list[str]:
    """Imports by ``truceline.http`` of anything but the db, the settings and the policy."""
    return sorted(
        f"{module} -> {imported}"
        for module in _modules()
        if _within(module, ("truceline.http",))
        for imported in _imports_of(module, parents=False)
        if imported.startswith("truceline.") and not _within(imported, HTTP_MAY_IMPORT)
    )


def test_the_http_layer_imports_no_context() -> None:
    assert http_layer_imports_outside_policy() == []


def test_the_http_layer_check_sees_a_context_import(monkeypatch: pytest.MonkeyPatch) -> None:
    """The check can fail: the HTTP layer made to import a context is caught."""
    real = _imports_of

    def with_made_up_import(module: str, *, parents: bool = True) -> frozenset[str]:
        found = real(module, parents=parents)
        if module == "truceline.http.rendering":
            return found | {"truceline.verification.domain"}
        return found

    monkeypatch.setitem(globals(), "_imports_of", with_made_up_import)
    assert http_layer_imports_outside_policy() == [
        "truceline.http.rendering -> truceline.verification.domain"
    ]


def test_no_context_imports_the_composition_root() -> None:
    """``truceline.app`` wires every context into the HTTP layer; nothing below imports it."""
    wrong = sorted(
        f"{a} -> {b}"
        for (source, target), imports in _edges().items()
        if target == "app" and source not in OUTER
        for a, b in imports
    )
    assert wrong == []


def test_the_layering_check_sees_a_cycle_and_a_framework_import() -> None:
    """The checks above can fail: a made-up cycle is found, a made-up import is seen."""
    made_up = {("a", "b"): {("x.a", "x.b")}, ("b", "c"): {("x.b", "x.c")}, ("c", "a"): set()}
    assert _cycles(made_up) == [["a", "b", "c"]]
    tree = ast.parse("import sqlalchemy\nif TYPE_CHECKING:\n    import fastapi\n")
    assert _runtime_imports(tree) == ["sqlalchemy"]


#: Modules besides the adapters, ``http`` and the outer layer that may look up the global
#: settings or engine: where they are defined, Alembic's entry point, and the background
#: jobs the served app starts (a composition of the contexts' services, like ``app``).
MAY_LOOK_UP_GLOBALS = frozenset(
    {"truceline.config", "truceline.db.engine", "truceline.db.migrations.env", "truceline.jobs"}
)
GLOBAL_LOOKUPS = frozenset({"get_settings", "default_engine"})


def global_lookups(tree: ast.AST) -> list[int]:
    """Lines naming ``get_settings`` or ``default_engine`` (a call or a reference), not imports."""
    return sorted(
        node.lineno
        for node in ast.walk(tree)
        if (isinstance(node, ast.Name) and node.id in GLOBAL_LOOKUPS)
        or (isinstance(node, ast.Attribute) and node.attr in GLOBAL_LOOKUPS)
    )


def core_modules_looking_up_globals() -> list[str]:
    found = []
    for module, path in _modules().items():
        node = _node(module)
        if node is None or node in OUTER or node == "http" or node.endswith(":adapters"):
            continue
        if module in MAY_LOOK_UP_GLOBALS:
            continue
        lines = global_lookups(ast.parse(path.read_text(encoding="utf-8")))
        if lines:
            found.append(f"{module}: lines {lines}")
    return sorted(found)


def test_no_service_looks_up_the_settings_or_the_engine_itself() -> None:
    """Services take the session, the engine and the settings they need as parameters: only
    adapters (api, cli, pages, middleware), ``http`` and the outer layer look them up."""
    assert core_modules_looking_up_globals() == [], (
        "pass the settings (or the value needed) and the session in from the adapter"
    )


def test_the_global_lookup_check_sees_a_call_and_a_reference() -> None:
    tree = ast.parse(
        "from truceline.config import get_settings\n"
        "x = get_settings().data_dir\n"
        "limiter = Limiter(engine=engine_module.default_engine)\n"
    )
    assert global_lookups(tree) == [2, 3]
