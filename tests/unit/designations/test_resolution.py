"""``resolve_group(name)`` as intake calls it: no session needed."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from truceline.config import get_settings
from truceline.designations.resolution import resolve_group


def test_resolves_against_the_configured_database(sqlite_engine: Engine) -> None:
    result = resolve_group("Fitna al-Hindustan")
    assert result is not None and result.ambiguous
    assert {c.group_id for c in result.candidates} == {"BLA", "BLF"}
    majeed = resolve_group("مجید بریگیڈ")
    assert majeed is not None and majeed.group_id == "BLA_MB"


def test_falls_back_to_the_built_in_aliases_before_init(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRUCELINE_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    get_settings.cache_clear()
    try:
        result = resolve_group("Jamat ul Ahrar")
    finally:
        get_settings.cache_clear()
    assert result is not None and result.group_id == "JUA"
