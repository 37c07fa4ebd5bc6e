"""Gazetteer in the database: built-in places from the profile, audited local additions."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine, func, select
from typer.testing import CliRunner

from truceline.audit.actor import Actor
from truceline.audit.models import AuditEntry
from truceline.cli.main import build_app
from truceline.db.engine import transaction
from truceline.geo.geoparse import Geoparser
from truceline.geo.models import GazetteerPlace
from truceline.geo.services import (
    InvalidPlace,
    add_local_place,
    gazetteer_with_local_places,
    load_builtin_places,
)

MONITOR = Actor(name="monitor-7", role="field_monitor")


def test_init_loaded_every_shipped_place_and_reloading_adds_nothing(engine: Engine) -> None:
    with transaction(engine) as session:
        before = session.scalar(select(func.count()).select_from(AuditEntry))
        assert load_builtin_places(session) == 2251
        assert session.scalar(select(func.count()).select_from(GazetteerPlace)) == 2251
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == before


def test_local_place_is_audited_and_found_by_locate(engine: Engine) -> None:
    with transaction(engine) as session:
        place = add_local_place(
            session,
            actor=MONITOR,
            name="Shonkri check post",
            lat=34.01,
            lon=71.05,
            kind="post",
            names=("شنکری",),
        )
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
    assert (
        entry is not None
        and entry.action == "gazetteer_place_added"
        and entry.object_id == place.id
    )
    assert entry.actor == "monitor-7"
    assert (place.country, place.admin1) == ("PK", "Khyber Pakhtunkhwa")
    with transaction(engine) as session:
        parser = Geoparser(gazetteer_with_local_places(session))
    assert parser.locate("شنکری")[0].place_id == place.id


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": " ", "lat": 34.0, "lon": 71.0, "kind": "post"}, "name: must not be empty"),
        ({"name": "X", "lat": 34.0, "lon": 71.0, "kind": "city"}, "kind: 'city'"),
        ({"name": "X", "lat": 10.0, "lon": 10.0, "kind": "post"}, "neither side"),
    ],
)
def test_bad_local_places_are_refused_naming_the_field(
    engine: Engine, fields: dict[str, object], message: str
) -> None:
    with transaction(engine) as session, pytest.raises(InvalidPlace, match=message):
        add_local_place(session, actor=MONITOR, **fields)  # type: ignore[arg-type]


def test_cli_added_place_is_located_by_the_cli(engine: Engine) -> None:
    app = build_app()
    runner = CliRunner()
    added = runner.invoke(
        app,
        ["geo", "add-place", "Tangi Kalay", "34.2", "71.0", "--kind", "populated_place", "--json"],
    )
    assert added.exit_code == 0, added.output
    found = runner.invoke(app, ["geo", "locate", "Tangi Kalay village", "--json"])
    assert json.loads(found.stdout)["matches"][0]["place_id"] == json.loads(added.stdout)["id"]
