from __future__ import annotations

import json
import stat
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from support_audit import ORIGIN
from truceline.audit.keys import (
    KeyFileError,
    PrivateKey,
    check_key_directory,
    generate_key,
    keys_document,
    load_private_key,
    rotate_log_key,
    signing_keys_at,
)
from truceline.audit.notes import parse_public_keys
from truceline.db.base import utcnow
from truceline.db.engine import transaction


def test_a_new_key_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    key = generate_key("witness-AF", "witness", path=tmp_path / "af.key")
    assert stat.S_IMODE(key.path.stat().st_mode) == 0o600
    loaded = load_private_key(key.path)
    assert loaded.public == key.public
    assert "private_key" in json.loads(key.path.read_text())


def test_an_existing_key_file_is_never_overwritten(tmp_path: Path) -> None:
    generate_key("witness-AF", "witness", path=tmp_path / "af.key")
    with pytest.raises(KeyFileError, match="refusing to overwrite"):
        generate_key("witness-AF", "witness", path=tmp_path / "af.key")


def test_a_key_file_readable_by_others_is_refused_naming_the_file(tmp_path: Path) -> None:
    key = generate_key(ORIGIN, "log", directory=tmp_path)
    key.path.chmod(0o644)
    with pytest.raises(KeyFileError, match=r"mode 0644.*chmod 600") as caught:
        check_key_directory(tmp_path)
    assert str(key.path) in str(caught.value)
    with pytest.raises(KeyFileError, match="mode 0644"):
        load_private_key(key.path)


@pytest.mark.parametrize("name", ["", "has space", "a+b"])
def test_key_names_that_break_the_note_format_are_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(KeyFileError, match="key name"):
        generate_key(name, "log", directory=tmp_path)


def test_a_malformed_key_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "bad.key"
    path.write_text("{}")
    path.chmod(0o600)
    with pytest.raises(KeyFileError, match="malformed"):
        load_private_key(path)


def test_signing_needs_a_valid_log_key(tmp_path: Path) -> None:
    with pytest.raises(KeyFileError, match="audit keys generate"):
        signing_keys_at(tmp_path, utcnow())


def test_rotation_overlaps_then_retires_the_old_key(engine: Engine, log_key: PrivateKey) -> None:
    with transaction(engine) as session:
        new_key, retired = rotate_log_key(
            session, log_key.path.parent, ORIGIN, overlap=timedelta(days=7)
        )
        document = keys_document(session, ORIGIN)
    assert [key.public.public_key for key in retired] == [log_key.public.public_key]
    now = utcnow()
    during_overlap = signing_keys_at(log_key.path.parent, now + timedelta(days=1))
    assert {key.public.vkey() for key in during_overlap} == {
        log_key.public.vkey(),
        new_key.public.vkey(),
    }
    after_overlap = signing_keys_at(log_key.path.parent, now + timedelta(days=8))
    assert [key.public.vkey() for key in after_overlap] == [new_key.public.vkey()]
    published = parse_public_keys(json.dumps(document))
    old = next(key for key in published if key.public_key == log_key.public.public_key)
    assert old.not_after is not None
    assert not old.valid_at(int((now + timedelta(days=8)).timestamp()))


def test_other_private_keys_in_the_directory_are_checked_but_not_loaded(tmp_path: Path) -> None:
    log_key = generate_key(ORIGIN, "log", directory=tmp_path)
    custodian = tmp_path / "custodian.key"
    custodian.write_text("00" * 32 + "\n")
    custodian.chmod(0o600)
    assert [key.public for key in signing_keys_at(tmp_path, utcnow())] == [log_key.public]
    custodian.chmod(0o644)
    with pytest.raises(KeyFileError, match="custodian.key has mode 0644"):
        check_key_directory(tmp_path)
