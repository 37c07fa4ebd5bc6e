"""Small files in each import format, written per test, for the exchange tests."""

from __future__ import annotations

import csv
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from truceline.db.engine import make_engine
from truceline.exchange.ucdp import GED_COLUMNS

GED_SAMPLE_ROW: dict[str, str] = {
    "id": "1001", "relid": "PAK-2009-1-1-1", "year": "2009", "active_year": "1",
    "code_status": "Clear", "type_of_violence": "1", "conflict_dset_id": "209",
    "conflict_new_id": "209", "conflict_name": "Pakistan: Government",
    "dyad_dset_id": "1", "dyad_new_id": "1", "dyad_name": "Government of Pakistan - TTP",
    "side_a_dset_id": "142", "side_a_new_id": "142", "side_a": "Government of Pakistan",
    "side_b_dset_id": "1", "side_b_new_id": "1", "side_b": "TTP", "number_of_sources": "2",
    "source_article": '"Dawn,2009-05-02,Clash in Swat"', "source_office": "Dawn",
    "source_date": "2009-05-02", "source_headline": "Clash in Swat",
    "source_original": "security officials", "where_prec": "2",
    "where_coordinates": "Mingora town", "where_description": "near Mingora, Swat",
    "adm_1": "Khyber Pakhtunkhwa", "adm_2": "Swat district", "latitude": "34.7717",
    "longitude": "72.3602", "geom_wkt": "POINT (72.3602 34.7717)", "priogrid_gid": "1",
    "country": "Pakistan", "iso3": "PAK", "country_id": "770", "region": "Asia",
    "event_clarity": "1", "date_prec": "1", "date_start": "2009-05-01 00:00:00.000",
    "date_end": "2009-05-01 00:00:00.000", "deaths_a": "2", "deaths_b": "6",
    "deaths_civilians": "1", "deaths_unknown": "0", "best": "9", "high": "14", "low": "7",
    "gwnoa": "770", "gwnob": "",
}  # fmt: skip


GedRow = Callable[..., dict[str, str]]
WriteGed = Callable[..., Path]


@pytest.fixture
def ged_row() -> GedRow:
    """Make the sample GED row with some columns changed."""

    def make(**changes: str) -> dict[str, str]:
        return {**GED_SAMPLE_ROW, **changes}

    return make


@pytest.fixture
def write_ged(tmp_path: Path) -> WriteGed:
    """Write GED rows to a CSV file (optionally with the HDX tag row) and return its path."""

    def write(rows: list[dict[str, str]], *, hdx: bool = False, name: str = "ged.csv") -> Path:
        path = tmp_path / name
        with path.open("w", encoding="utf-8", newline="") as out:
            writer = csv.DictWriter(out, fieldnames=list(GED_COLUMNS))
            writer.writeheader()
            if hdx:
                out.write("#event+id,#x" + ",#x" * (len(GED_COLUMNS) - 2) + "\n")
            writer.writerows(rows)
        return path

    return write


@pytest.fixture
def shared_ged(ged_pakistan_csv: Path) -> Path:
    """The UCDP GED extract for Pakistan, 1989-2014 (5,296 events), shipped with the demo."""
    return ged_pakistan_csv


@pytest.fixture
def fresh_engine(
    engine: Engine, request: pytest.FixtureRequest, sqlite_template: Path, tmp_path: Path
) -> Iterator[Engine]:
    """A second fresh database (schema and profile) on the same back end as ``engine``."""
    if engine.dialect.name == "sqlite":
        path = tmp_path / "fresh.sqlite3"
        shutil.copyfile(sqlite_template, path)
        fresh = make_engine(f"sqlite:///{path}")
        yield fresh
        fresh.dispose()
        return
    template = request.getfixturevalue("pg_template")
    name = f"tl_fresh_{uuid.uuid4().hex[:12]}"
    admin = create_engine(engine.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    fresh = make_engine(engine.url.set(database=name).render_as_string(hide_password=False))
    yield fresh
    fresh.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()
