"""Protected identities by construction: sealing, refusal to serialise, key files, coarsening."""

from __future__ import annotations

import copy
import json
import math
import pickle
from pathlib import Path
from typing import Any

import pytest
from fastapi.encoders import jsonable_encoder
from hypothesis import given
from hypothesis import strategies as st
from nacl.public import PrivateKey
from pydantic import BaseModel, ConfigDict

from support_leakcheck import assert_no_identity_leak, find_identity_leaks
from truceline.accounts.sealing import (
    IdentityDetails,
    IdentityError,
    SealedIdentity,
    generate_custodian_key,
    load_private_key,
    load_public_key,
    new_pseudonym,
    seal,
    unseal,
)
from truceline.config import get_settings
from truceline.geo.coarsening import coarsen, coarsen_for_public, public_location

NAME, PHONE, VILLAGE = "Gul Rahman Wazir", "+92 300 555 0147", "Spinwam"


@pytest.fixture
def details() -> IdentityDetails:
    return IdentityDetails(name=NAME, phone=PHONE, village=VILLAGE)


@pytest.fixture
def key() -> PrivateKey:
    return PrivateKey.generate()


@pytest.fixture
def sealed(details: IdentityDetails, key: PrivateKey) -> SealedIdentity:
    return seal(details, key.public_key, pseudonym="R-TEST0001")


def test_only_the_custodian_key_opens_a_sealed_identity(
    sealed: SealedIdentity, key: PrivateKey
) -> None:
    opened = unseal(sealed, key)
    assert (opened.name, opened.phone, opened.village) == (NAME, PHONE, VILLAGE)
    with pytest.raises(IdentityError, match="was sealed to custodian key"):
        unseal(sealed, PrivateKey.generate())


def test_the_ciphertext_does_not_contain_the_details(sealed: SealedIdentity) -> None:
    assert_no_identity_leak([NAME, PHONE, VILLAGE], [sealed.ciphertext, repr(sealed), str(sealed)])


def test_text_forms_hide_the_content(details: IdentityDetails, sealed: SealedIdentity) -> None:
    assert repr(details) == str(details) == f"{details}" == "IdentityDetails(<hidden>)"
    assert repr(sealed) == "SealedIdentity(pseudonym='R-TEST0001', <sealed>)"


@pytest.mark.parametrize("kind", ["details", "sealed"])
def test_no_generic_serialiser_accepts_an_identity(
    kind: str, request: pytest.FixtureRequest
) -> None:
    value = request.getfixturevalue(kind)
    attempts: list[Any] = [
        lambda: json.dumps(value),
        lambda: json.dumps({"reporter": value}),
        lambda: pickle.dumps(value),
        lambda: copy.copy(value),
        lambda: copy.deepcopy(value),
        lambda: dict(value),
        lambda: vars(value),
        lambda: jsonable_encoder({"reporter": value}),
    ]
    for attempt in attempts:
        with pytest.raises((TypeError, ValueError)):
            attempt()


@pytest.mark.parametrize("identity_type", [SealedIdentity, IdentityDetails])
def test_an_api_schema_cannot_even_declare_an_identity_field(identity_type: type) -> None:
    with pytest.raises(TypeError, match="cannot be part of an API schema"):

        class Leaky(BaseModel):  # noqa: F841 (defining it is the test)
            model_config = ConfigDict(arbitrary_types_allowed=True)
            reporter: identity_type  # type: ignore[valid-type]


def test_a_loosely_typed_schema_refuses_to_serialise_an_identity(sealed: SealedIdentity) -> None:
    class Loose(BaseModel):
        reporter: Any

    with pytest.raises(Exception, match="serializ|Unable"):
        Loose(reporter=sealed).model_dump_json()


def test_identities_are_immutable(details: IdentityDetails, sealed: SealedIdentity) -> None:
    with pytest.raises(AttributeError):
        details.name = "someone else"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        sealed.pseudonym = "R-OTHER"  # type: ignore[misc]


def test_pseudonyms_are_random_and_readable() -> None:
    names = {new_pseudonym() for _ in range(200)}
    assert len(names) == 200
    assert all(len(n) == 10 and n.startswith("R-") and not set(n[2:]) & set("01OI") for n in names)


def test_custodian_keys_are_written_private_and_not_overwritten(tmp_path: Path) -> None:
    files = generate_custodian_key(tmp_path / "keys")
    assert files.private_key.stat().st_mode & 0o777 == 0o600
    assert bytes(load_private_key(files.private_key).public_key) == bytes(
        load_public_key(tmp_path / "keys")
    )
    with pytest.raises(IdentityError, match="--force"):
        generate_custodian_key(tmp_path / "keys")


def test_a_private_key_readable_by_others_is_refused(tmp_path: Path) -> None:
    files = generate_custodian_key(tmp_path)
    files.private_key.chmod(0o644)
    with pytest.raises(IdentityError, match="readable by others.*chmod 600"):
        load_private_key(files.private_key)


def test_a_missing_public_key_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(IdentityError, match="truceline keys custodian generate"):
        load_public_key(tmp_path)


def test_points_in_one_cell_coarsen_to_the_same_centre() -> None:
    # Two houses 300 m apart in Barmal district come out identical.
    assert coarsen(32.9201, 69.1702, 5) == coarsen(32.9215, 69.1728, 5)
    assert coarsen(32.92, 69.17, 5) != coarsen(33.10, 69.17, 5)


@given(
    lat=st.floats(min_value=-80, max_value=80),
    lon=st.floats(min_value=-179.9, max_value=179.9),
    precision=st.floats(min_value=0.5, max_value=50),
)
def test_a_coarsened_point_stays_within_its_cell(lat: float, lon: float, precision: float) -> None:
    c_lat, c_lon = coarsen(lat, lon, precision)
    north_km = abs(c_lat - lat) * 111.32
    east_km = abs(c_lon - lon) * 111.32 * math.cos(math.radians(c_lat))
    assert north_km <= precision / 2 + 0.01
    assert east_km <= precision / 2 + 0.05 * precision + 0.01


def test_only_small_or_unknown_places_are_coarsened() -> None:
    town = public_location(34.0, 71.5, population=2_000_000, precision_km=5, threshold=5000)
    village = public_location(34.0012, 71.5013, population=800, precision_km=5, threshold=5000)
    unknown = public_location(34.0012, 71.5013, population=None, precision_km=5, threshold=5000)
    assert town == (34.0, 71.5)
    assert village == unknown == coarsen(34.0012, 71.5013, 5)


def test_public_coarsening_follows_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:

    monkeypatch.setenv("TRUCELINE_PUBLIC_LOCATION_PRECISION_KM", "20")
    monkeypatch.setenv("TRUCELINE_SMALL_VILLAGE_POPULATION", "100")
    get_settings.cache_clear()
    try:
        assert coarsen_for_public(32.92, 69.17, population=500, settings=get_settings()) == (
            32.92,
            69.17,
        )
        assert coarsen_for_public(32.92, 69.17, population=50, settings=get_settings()) == coarsen(
            32.92, 69.17, 20
        )
    finally:
        get_settings.cache_clear()


def test_the_leak_check_finds_every_written_form() -> None:
    pashto = "ګل رحمان"
    payloads: list[Any] = [
        ("plain", f"reporter {NAME}"),
        ("folded", NAME.upper()),
        ("json", json.dumps({"n": pashto})),
        ("phone", "call 0300-555-0147"),
        ("clean", "R-TEST0001 reported shelling"),
    ]
    leaks = find_identity_leaks([NAME, pashto, PHONE], payloads)
    assert [leak.split(" ")[0] for leak in leaks] == ["plain", "folded", "json", "phone"]
    with pytest.raises(AssertionError, match="identity leaked: plain contains"):
        assert_no_identity_leak([NAME], payloads)
