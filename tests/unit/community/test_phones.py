"""Phone numbers: normalised, matched by keyed digest, sealed for the gateway."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from truceline.community.phones import PhoneError, PhoneVault, normalise_phone


@pytest.mark.parametrize(
    "raw",
    ["+93 70 123 4567", "0093701234567", "0701234567", "+93 (70) 123-4567", "۰۷۰۱۲۳۴۵۶۷"],
)
def test_every_way_of_writing_an_afghan_number_is_one_number(raw: str) -> None:
    assert normalise_phone(raw) == "+93701234567"


def test_pakistani_national_form() -> None:
    assert normalise_phone("0300 1234567") == "+923001234567"


def test_something_that_is_not_a_number_is_refused_without_echoing_it() -> None:
    with pytest.raises(PhoneError) as error:
        normalise_phone("call me on whatsapp")
    assert "whatsapp" not in str(error.value)


def test_the_digest_matches_the_same_number_and_hides_it() -> None:
    vault = PhoneVault(os.urandom(32))
    digest = vault.digest("0701234567")
    assert digest == vault.digest("+93 70 123 4567")
    assert "701234567" not in digest
    assert PhoneVault(os.urandom(32)).digest("0701234567") != digest


def test_a_sealed_number_opens_only_with_the_same_key() -> None:
    vault = PhoneVault(os.urandom(32))
    sealed = vault.seal("0701234567")
    assert b"701234567" not in sealed
    assert vault.open(sealed) == "+93701234567"
    with pytest.raises(Exception):  # noqa: B017 - nacl's CryptoError
        PhoneVault(os.urandom(32)).open(sealed)


def test_the_vault_of_a_keys_dir_creates_its_key_file_readable_by_its_owner_only(
    tmp_path: Path,
) -> None:
    first = PhoneVault.in_keys_dir(tmp_path).digest("0701234567")
    key_file = tmp_path / "community-phone.key"
    assert key_file.stat().st_mode & 0o077 == 0
    assert PhoneVault.in_keys_dir(tmp_path).digest("0701234567") == first
