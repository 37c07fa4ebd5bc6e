"""``resolve_group(name, session=...)`` in the caller's session, and the built-in aliases."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from truceline.db.engine import transaction
from truceline.designations.resolution import builtin_alias_index, resolve_group


def test_resolves_against_the_registry_in_the_callers_session(engine: Engine) -> None:
    with transaction(engine) as session:
        result = resolve_group("Fitna al-Hindustan", session=session)
        majeed = resolve_group("مجید بریگیڈ", session=session)
    assert result is not None and result.ambiguous
    assert {c.group_id for c in result.candidates} == {"BLA", "BLF"}
    assert majeed is not None and majeed.group_id == "BLA_MB"


def test_the_built_in_aliases_resolve_with_no_database_and_create_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = builtin_alias_index().resolve("Jamat ul Ahrar")
    assert result is not None and result.group_id == "JUA"
    assert list(tmp_path.iterdir()) == []


def test_resolving_needs_the_callers_session() -> None:
    """The service opens no database of its own (it used to create ./var/truceline.sqlite3)."""
    with pytest.raises(TypeError):
        resolve_group("Jamat ul Ahrar")  # type: ignore[call-arg]
