"""The project's own files a newcomer meets first: pyproject.toml, the Makefile, the README."""

import re
import tomllib
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_license_is_an_spdx_expression_not_a_deprecated_table() -> None:
    # setuptools warns (twice per build) that a TOML table here is deprecated.
    assert _pyproject()["project"]["license"] == "AGPL-3.0-or-later"


def test_build_requires_a_setuptools_that_understands_spdx_license_strings() -> None:
    requires = _pyproject()["build-system"]["requires"]
    setuptools = next(r for r in requires if r.startswith("setuptools"))
    match = re.fullmatch(r"setuptools>=(\d+)", setuptools)
    assert match and int(match.group(1)) >= 77, setuptools


def test_a_warning_raised_from_the_projects_own_code_fails_the_test() -> None:
    # pyproject's filterwarnings turns it into an error; a third-party module's is left alone.
    with pytest.raises(DeprecationWarning):
        warnings.warn_explicit("old API", DeprecationWarning, "x.py", 1, module="truceline.web.x")
    with warnings.catch_warnings(record=True):
        warnings.warn_explicit("old API", DeprecationWarning, "x.py", 1, module="othermodule")
