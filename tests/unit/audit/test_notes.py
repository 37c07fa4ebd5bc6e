from __future__ import annotations

import json

import pytest
from nacl.signing import SigningKey

from truceline.audit.notes import (
    Checkpoint,
    Note,
    NoteError,
    PublicKey,
    cosign_body,
    parse_checkpoint_body,
    parse_note,
    parse_public_keys,
    parse_vkey,
    sign_note_body,
    verify_cosignature,
    verify_note_signature,
)

SIGNER = SigningKey(bytes(range(32)))
PUBLIC = PublicKey("example.org/log", bytes(SIGNER.verify_key))
CHECKPOINT = Checkpoint("example.org/log", 5, bytes(32), 1_790_000_000)


def test_checkpoint_body_has_origin_size_root_and_time_lines() -> None:
    body = CHECKPOINT.body()
    assert body == (
        "example.org/log\n5\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\ntime 1790000000\n"
    )
    assert parse_checkpoint_body(body) == CHECKPOINT


def test_signed_note_round_trips_and_its_signature_line_starts_with_an_em_dash() -> None:
    body = CHECKPOINT.body()
    note = Note(body, (sign_note_body(body, PUBLIC.name, SIGNER),))
    text = note.text()
    assert "\n\n\u2014 example.org/log " in text
    parsed = parse_note(text)
    assert parsed == note
    assert verify_note_signature(parsed.body, parsed.signatures[0], PUBLIC)


def test_a_note_signature_does_not_verify_over_a_changed_body() -> None:
    body = CHECKPOINT.body()
    signature = sign_note_body(body, PUBLIC.name, SIGNER)
    assert not verify_note_signature(body.replace("\n5\n", "\n6\n"), signature, PUBLIC)


def test_key_id_is_the_c2sp_hash_of_name_type_and_key() -> None:
    import hashlib

    expected = hashlib.sha256(b"example.org/log\n\x01" + PUBLIC.public_key).digest()[:4]
    assert PUBLIC.note_key_id == expected
    assert parse_vkey(PUBLIC.vkey()) == PUBLIC


def test_a_vkey_whose_id_does_not_match_its_key_is_refused() -> None:
    name, _, encoded = PUBLIC.vkey().split("+", 2)
    with pytest.raises(NoteError, match="does not match"):
        parse_vkey(f"{name}+00000000+{encoded}")


def test_cosignature_carries_its_time_and_verifies_only_for_that_body() -> None:
    witness = SigningKey(bytes(range(1, 33)))
    witness_public = PublicKey("witness-AF", bytes(witness.verify_key))
    body = CHECKPOINT.body()
    cosignature = cosign_body(body, "witness-AF", witness, 1_790_000_100)
    assert len(cosignature.payload) == 8 + 64
    assert verify_cosignature(body, cosignature, witness_public) == 1_790_000_100
    assert verify_cosignature(body.replace("\n5\n", "\n4\n"), cosignature, witness_public) is None
    # A cosignature is not a note signature (different key id and signed bytes).
    assert not verify_note_signature(body, cosignature, witness_public)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("no blank line\n", "body, a blank line"),
        ("body\n\nnot a signature\n", "signature line 1"),
        ("body\n\n\u2014 name !!!\n", "bad base64"),
    ],
)
def test_malformed_notes_are_refused_with_the_reason(text: str, message: str) -> None:
    with pytest.raises(NoteError, match=message):
        parse_note(text)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("origin\n05\nAAAA\ntime 1\n", "decimal"),
        ("origin\n5\nAAAA\ntime 1\n", "32 bytes"),
        ("origin\n5\n" + "A" * 43 + "=\nwhen 1\n", "time"),
        ("origin\n5\n", "4 lines"),
    ],
)
def test_malformed_checkpoint_bodies_are_refused(body: str, message: str) -> None:
    with pytest.raises(NoteError, match=message):
        parse_checkpoint_body(body)


def test_public_keys_are_read_from_a_keys_document_or_vkey_lines() -> None:
    entry = {"vkey": PUBLIC.vkey(), "not_before": "2026-01-01T00:00:00+00:00", "not_after": None}
    document = json.dumps({"keys": [entry]})
    (from_document,) = parse_public_keys(document)
    assert from_document.public_key == PUBLIC.public_key
    assert not from_document.valid_at(1_700_000_000) and from_document.valid_at(1_800_000_000)
    assert parse_public_keys(PUBLIC.vkey() + "\n\n") == [PUBLIC]
