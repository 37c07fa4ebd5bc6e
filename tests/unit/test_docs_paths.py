"""Documentation points at files that exist, and names every setting.

A doc (``docs/*.md``, ``README.md``) or a docstring, help text or comment in
``src/`` that names a file of the repository (``docs/cli.md``,
``audit/capture.py``, ``tests/unit/db/test_autogenerate.py``) must name one
that exists: a reader following it must not land nowhere. A path is looked
up from the repository root, from ``src/truceline``, from ``docs/``, from
``tests/``, and from the folder of the file that names it (and, in ``src``,
from its context's package).
"""

from __future__ import annotations

import re
from pathlib import Path

from truceline.config import Settings

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "truceline"
EXTENSIONS = "py|md|json|jsonl|yaml|yml|csv|gz|txt|html|toml|sh|svg|po|pot|mo|cfg|ini|j2"
PATH = re.compile(rf"(?<![\w./:<>{{}}*-])((?:[\w.-]+/)+[\w.-]+\.(?:{EXTENSIONS}))(?![\w/*<>{{}}-])")


def _documents() -> list[Path]:
    docs = sorted((ROOT / "docs").glob("*.md")) + [ROOT / "README.md"]
    return docs + sorted(PACKAGE.rglob("*.py"))


def _bases(document: Path) -> list[Path]:
    """Where a named path may start: the root, ``src``, the package, each context and
    template folder, ``docs``, ``tests`` and the naming file's own folder."""
    contexts = [p for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()]
    templates = sorted(PACKAGE.rglob("templates"))
    return [ROOT, ROOT / "src", PACKAGE, *contexts, *templates, ROOT / "docs", ROOT / "tests",
            document.parent]  # fmt: skip


def named_paths(text: str) -> list[str]:
    """The repository paths a text names (``docs/cli.md``, ``audit/log.py``, ...)."""
    return [m for m in PATH.findall(text) if not m.startswith(("http", "www."))]


def missing_paths(document: Path) -> list[str]:
    text = document.read_text(encoding="utf-8")
    return sorted(
        {
            path
            for path in named_paths(text)
            if not any((base / path).exists() for base in _bases(document))
        }
    )


def test_docs_and_docstrings_name_only_files_that_exist() -> None:
    broken = {
        str(doc.relative_to(ROOT)): missing
        for doc in _documents()
        if (missing := missing_paths(doc))
    }
    assert broken == {}


def test_the_path_check_sees_a_file_that_does_not_exist() -> None:
    text = "See docs/interfaces.md and ``audit/capture.py``; not https://example.org/a/b.html."
    assert named_paths(text) == ["docs/interfaces.md", "audit/capture.py"]
    readme = ROOT / "README.md"
    assert [p for p in named_paths(text) if not any((b / p).exists() for b in _bases(readme))] == [
        "docs/interfaces.md"
    ]


def test_every_setting_is_in_the_configuration_reference() -> None:
    reference = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    missing = [
        f"TRUCELINE_{name.upper()}"
        for name in Settings.model_fields
        if f"`TRUCELINE_{name.upper()}`" not in reference
    ]
    assert missing == []
