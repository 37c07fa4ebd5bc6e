from __future__ import annotations

import json
from pathlib import Path

import pytest
import stix2
from sqlalchemy import Engine

from truceline.action_requests import intelligence, stix
from truceline.action_requests.domain import Step
from truceline.action_requests.exceptions import RequestRefused
from truceline.action_requests.services import RequestSpec
from truceline.db.engine import transaction

from .support import AF, MEDIATOR, PK, TTP_ARREST, run_to, submit

HIDDEN = "SECRET-UNRELEASED-SOURCE"


def _world(session, tmp_path: Path):  # type: ignore[no-untyped-def]
    placed = RequestSpec(**{**TTP_ARREST.__dict__, "lat": 32.95, "lon": 69.21, "tlp": "red"})
    delivered = run_to(session, submit(session, placed), Step.DELIVER)
    pending = submit(session)  # not yet delivered: AF must not see it
    intelligence.create_package(session, PK, title="source", body=HIDDEN, tlp="red",
                                audience="mediator_and_party", keys_dir=tmp_path,
                                request=delivered)  # fmt: skip
    return delivered, pending


def test_the_bundle_validates_with_stix2_and_maps_requests_groups_places(
    engine: Engine, tmp_path: Path
) -> None:
    with transaction(engine) as session:
        delivered, _pending = _world(session, tmp_path)
        text, count = stix.export_bundle(session, MEDIATOR, keys_dir=tmp_path)
    assert count == 2
    bundle = stix2.parse(text, allow_custom=True, version="2.1")
    kinds = [o.type for o in bundle.objects]
    assert kinds.count("report") == 2
    assert "intrusion-set" in kinds and "location" in kinds and "relationship" in kinds
    report = next(o for o in bundle.objects if o.get("x_truceline_code") == delivered.code)
    assert report.object_marking_refs == [stix2.TLP_RED.id]
    assert HIDDEN in text  # the mediator reads every package


def test_the_other_party_exports_only_what_it_may_see(engine: Engine, tmp_path: Path) -> None:
    with transaction(engine) as session:
        delivered, pending = _world(session, tmp_path)
        text, count = stix.export_bundle(session, AF, keys_dir=tmp_path)
    assert count == 1
    assert delivered.code in text and pending.code not in text
    assert HIDDEN not in text


def test_a_bundle_is_imported_as_a_package_with_its_strictest_mark(
    engine: Engine, tmp_path: Path
) -> None:
    with transaction(engine) as session:
        _world(session, tmp_path)
        text, _ = stix.export_bundle(session, PK, keys_dir=tmp_path)
        package = stix.import_bundle(session, PK, text, keys_dir=tmp_path, audience="mediator")
        assert package.tlp == "red"
        assert package.media_type == "application/stix+json"
        opened = intelligence.open_package(session, MEDIATOR, package, keys_dir=tmp_path)
        assert json.loads(opened.body)["type"] == "bundle"


def test_a_file_that_is_not_a_bundle_is_refused_naming_the_file(
    engine: Engine, tmp_path: Path
) -> None:
    with transaction(engine) as session, pytest.raises(RequestRefused) as refused:
        stix.import_bundle(session, PK, '{"type": "nonsense"}', keys_dir=tmp_path,
                           audience="mediator")  # fmt: skip
    assert refused.value.field == "file"
